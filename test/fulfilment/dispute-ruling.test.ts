import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/fulfilment/dispute-ruling.rules.json' with { type: 'json' };
import type { FulfilmentDisputeRulingFacts } from '../../src/index.js';
import { DISPUTE_PARTIES, evaluate, PolicyInputError, RuleSetError } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown; maxItems?: number } = {}) => evaluate('fulfilment.disputeRuling', facts as FulfilmentDisputeRulingFacts, { asOf, ...options });

const parties = fc.array(fc.constantFrom(...DISPUTE_PARTIES), { minLength: 2, maxLength: 8 });

describe('fulfilment.disputeRuling properties (SPEC §4)', () => {
  it('the chief rules exactly when every party is a subordinate; otherwise the sales manager, with the first reason that applies', () => {
    fc.assert(
      fc.property(parties, (list) => {
        const { outcome, basis } = run({ parties: list });
        expect(basis).toEqual(['FUL-P5']);
        if (list.every((party) => party === 'order_processing_staff')) expect(outcome).toEqual({ status: 'decided', decidedBy: 'order_processing_chief' });
        else expect(outcome).toEqual({ status: 'needs_ruling', by: 'sales_manager', reason: list.includes('other') ? 'party_outside_section' : 'chief_is_party' });
      }),
    );
  });

  it('does not depend on the order of the parties', () => {
    fc.assert(
      fc.property(
        parties.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          expect(run({ parties: shuffled }).outcome).toEqual(run({ parties: list }).outcome);
        },
      ),
    );
  });
});

describe('fulfilment.disputeRuling errors', () => {
  it.each([
    ['one party', ['order_processing_staff']],
    ['no party', []],
  ])('%s is not a dispute: an input error at parties', (_name, list) => {
    let error: unknown;
    try {
      run({ parties: list });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyInputError);
    expect((error as PolicyInputError).issues).toEqual([{ code: 'too_small', path: 'parties', message: `a dispute needs at least 2 parties, not ${list.length}`, received: list, expected: 'at least 2 parties' }]);
  });

  it('refuses an unknown role at its index, and too many parties for maxItems', () => {
    expect(() => run({ parties: ['order_processing_staff', 'ceo'] })).toThrow(/parties\[1\]/);
    expect(() => run({ parties: ['other', 'other', 'other'] }, { maxItems: 2 })).toThrow(PolicyInputError);
  });

  it('a rules file that names another ruler is refused at load; one that leaves a case open is a rule gap', () => {
    const other = structuredClone(rules) as { rules: { event: { params: Record<string, unknown> } }[] };
    other.rules[1]!.event.params['by'] = 'ceo';
    expect(() => run({ parties: ['other', 'other'] }, { rules: other })).toThrow(RuleSetError);
    const open = structuredClone(rules) as { rules: unknown[] };
    open.rules.splice(2, 1);
    expect(() => run({ parties: ['order_processing_chief', 'order_processing_staff'] }, { rules: open })).toThrow(/no rule decides these facts/);
  });

  it('types parties as a list of the known roles', () => {
    const typed = (facts: FulfilmentDisputeRulingFacts) => facts;
    // @ts-expect-error 'ceo' is not a party role
    typed({ parties: ['ceo', 'other'] });
    expect(run(typed({ parties: ['order_processing_staff', 'order_processing_staff'] })).outcome).toEqual({ status: 'decided', decidedBy: 'order_processing_chief' });
  });
});
