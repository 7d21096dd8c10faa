import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';

const FACTS = ['jointReception', 'newClientArrived', 'enoughStaffFree', 'splitOff', 'oldClientReturned', 'followingBoth'] as const;

describe('commission.conduct', () => {
  it('matches COM-11 and COM-12 on all 64 combinations of the facts', () => {
    for (let bits = 0; bits < 64; bits++) {
      const facts = Object.fromEntries(FACTS.map((name, i) => [name, (bits & (1 << i)) !== 0])) as Record<(typeof FACTS)[number], boolean>;
      // SPEC §2, read directly.
      const violations = [
        ...(facts.jointReception && facts.newClientArrived && facts.enoughStaffFree && facts.splitOff ? ['COM-11'] : []),
        ...(facts.jointReception && facts.oldClientReturned && facts.followingBoth ? ['COM-12'] : []),
      ];
      const decision = evaluate('commission.conduct', facts, { asOf: '2026-01-01' });
      expect({ facts, outcome: decision.outcome, basis: decision.basis }).toEqual({ facts, outcome: { allowed: violations.length === 0, violations }, basis: ['COM-11', 'COM-12'] });
    }
  });
});
