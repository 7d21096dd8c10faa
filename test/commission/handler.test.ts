import { describe, expect, it } from 'vitest';
import bundled from '../../rules/commission/handler.rules.json' with { type: 'json' };
import type { CommissionHandlerFacts } from '../../src/index.js';
import { evaluate } from '../../src/index.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';

const REQUESTS = ['add_on', 'shop_transfer', 'payment_change', 'intent_refund', 'intent_sign'] as const;
const STATUSES = ['present', 'absent', 'departed'] as const;

/** SPEC §2's table for commission.handler, written out by hand. */
const SPEC: Record<(typeof REQUESTS)[number], { clause: string; away: string }> = {
  add_on: { clause: 'COM-1', away: 'leasing_director' },
  shop_transfer: { clause: 'COM-2', away: 'department_colleague' },
  payment_change: { clause: 'COM-2', away: 'department_colleague' },
  intent_refund: { clause: 'COM-3', away: 'leasing_manager' },
  intent_sign: { clause: 'COM-3', away: 'leasing_manager' },
};

describe('commission.handler', () => {
  it('matches the SPEC table on every request and status', () => {
    for (const request of REQUESTS) {
      for (const originalAgentStatus of STATUSES) {
        const decision = evaluate('commission.handler', { request, originalAgentStatus }, { asOf: '2026-01-01' });
        const expected = originalAgentStatus === 'present' ? 'original_agent' : SPEC[request].away;
        expect({ request, originalAgentStatus, outcome: decision.outcome, basis: decision.basis }).toEqual({ request, originalAgentStatus, outcome: { handler: expected }, basis: [SPEC[request].clause] });
      }
    }
  });

  it('a custom rules file that names an unknown handler is refused at load', () => {
    const rules = structuredClone(bundled);
    rules.rules[0]!.event.params.handler = 'receptionist';
    const facts: CommissionHandlerFacts = { request: 'add_on', originalAgentStatus: 'present' };
    expect(eventIssuesOf(() => evaluate('commission.handler', facts, { asOf: '2026-01-01', rules }))).toEqual([
      ['rules[0].event.params.handler', 'expected one of "original_agent", "department_colleague", "leasing_manager", "leasing_director" (received "receptionist")'],
    ]);
  });
});
