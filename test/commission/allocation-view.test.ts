// What commission.allocation's rules read and what it hands back: the view (every checked fact and
// the derived ones in one object) and the outcomes shared between decisions.
import { describe, expect, it } from 'vitest';
import bundled from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import cases from '../../rules/commission/allocation.cases.json' with { type: 'json' };
import { allocationView } from '../../src/commission/allocation-view.js';
import { commissionAllocation } from '../../src/commission/allocation.js';
import { engineOf } from '../../src/engine.js';
import type { CommissionAllocationFacts } from '../../src/index.js';
import { evaluate } from '../../src/index.js';

const AS_OF = { asOf: '2026-01-01', trace: false };
const context = { timeZone: 'Asia/Shanghai', maxItems: 100_000 };
const schema = engineOf(commissionAllocation).definition.facts(context);
const DERIVED = ['handlerCount', 'originalAgentCount', 'receivingAgentCount', 'otherReceivingAgentCount', 'otherHandlerCount', 'closerIsHandler', 'closerIsProtector', 'closerIsReferrer'];
const accepted = cases.cases.flatMap((c) => {
  const parsed = schema.safeParse(c.facts);
  if (!parsed.success) return [];
  try {
    return [{ name: c.name, facts: parsed.data, view: allocationView(parsed.data) }];
  } catch {
    return [];
  }
});

describe('the view commission.allocation rules read', () => {
  it('reads cases of the case file', () => {
    expect(accepted.length).toBeGreaterThan(20);
  });

  it.each(accepted)('$name: holds every checked fact as checked, and just the facts the rules file declares', ({ facts, view }) => {
    for (const [name, value] of Object.entries(facts)) expect(view[name as keyof typeof view]).toBe(value);
    // The rules file declares the derived facts too (the rules read them).
    expect(DERIVED.every((name) => name in bundled.facts)).toBe(true);
    expect(Object.keys(view).sort()).toEqual(Object.keys(bundled.facts).sort());
  });
});

describe('commission.allocation outcomes', () => {
  const lease: CommissionAllocationFacts = { pool: '100', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['wang'], closer: 'wang', receivingAgents: ['wang'], protectedBy: null };
  const ruling = { ...lease, handlers: ['wang', 'li'], receivingAgents: ['wang', 'li', 'zhao'] };

  it('an outcome that depends on the rule alone is frozen, so a caller cannot change the next decision', () => {
    const first = evaluate('commission.allocation', ruling, AS_OF);
    expect(first.outcome).toEqual({ status: 'needs_ruling', by: 'leasing_manager' });
    expect(Object.isFrozen(first.outcome)).toBe(true);
    expect(Object.isFrozen(first.basis)).toBe(true);
    expect(() => {
      (first.outcome as { by: string }).by = 'someone';
    }).toThrow(TypeError);
    expect(evaluate('commission.allocation', ruling, AS_OF).outcome).toEqual({ status: 'needs_ruling', by: 'leasing_manager' });
  });

  it('an invalid contract lists its violations in a frozen copy, not the rules file\'s array', () => {
    const outcome = evaluate('commission.allocation', { ...lease, handlers: ['wang', 'li', 'zhao'], receivingAgents: ['wang', 'li', 'zhao'] }, AS_OF).outcome;
    expect(outcome).toEqual({ status: 'invalid', violations: ['COM-6'] });
    if (outcome.status !== 'invalid') return expect.unreachable();
    expect(Object.isFrozen(outcome.violations)).toBe(true);
  });

  it('an allocation is built for each decision: its shares are the caller\'s', () => {
    const a = evaluate('commission.allocation', lease, AS_OF).outcome;
    const b = evaluate('commission.allocation', { ...lease, pool: '200' }, AS_OF).outcome;
    expect(a).toEqual({ status: 'allocated', shares: [{ agent: 'wang', percent: 100, amount: '100.00' }] });
    expect(b).toEqual({ status: 'allocated', shares: [{ agent: 'wang', percent: 100, amount: '200.00' }] });
  });
});
