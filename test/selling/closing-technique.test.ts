import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/selling/closing-technique.rules.json' with { type: 'json' };
import type { ClosingTechnique, SellingClosingTechniqueFacts } from '../../src/index.js';
import { CLOSING_TECHNIQUES, evaluate, explain, RuleSetError } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown } = {}) => evaluate('selling.closingTechnique', facts as SellingClosingTechniqueFacts, { asOf, ...options });

const FACTS = ['repeatedBuyingSignals', 'hesitating', 'choosingBetweenOptions', 'doubtsProduct', 'delaying', 'askedForUnavailableItem', 'otherTechniquesFailed', 'dealAboutToFail', 'stockTrulyLow', 'offerTrulyEnding'] as const;
type Observed = Partial<Record<(typeof FACTS)[number], boolean>>;
/** Any combination of the observations, each given as true, false, or left out (false). */
const observed: fc.Arbitrary<Observed> = fc.record(Object.fromEntries(FACTS.map((fact) => [fact, fc.boolean()])) as Record<(typeof FACTS)[number], fc.Arbitrary<boolean>>, { requiredKeys: [] });

function expected(f: Observed): ClosingTechnique[] {
  const fits: Record<ClosingTechnique, boolean> = {
    alternative_choice: !!f.repeatedBuyingSignals && !!f.hesitating,
    help_choose: !!f.choosingBetweenOptions,
    scarcity: !!f.stockTrulyLow || !!f.offerTrulyEnding,
    trial_purchase: !!f.doubtsProduct,
    feigned_departure: !!f.delaying,
    counter_question: !!f.askedForUnavailableItem,
    direct_ask: !!f.otherTechniquesFailed,
    ask_for_advice: !!f.dealAboutToFail,
  };
  return CLOSING_TECHNIQUES.filter((technique) => fits[technique]);
}

describe('selling.closingTechnique properties (SPEC §4)', () => {
  it('D-SEL-1: with stockTrulyLow and offerTrulyEnding both false, no combination of facts yields scarcity', () => {
    fc.assert(
      fc.property(observed, fc.constantFrom(false, undefined), fc.constantFrom(false, undefined), (facts, stock, offer) => {
        const honest: Observed = { ...facts };
        delete honest.stockTrulyLow;
        delete honest.offerTrulyEnding;
        if (stock !== undefined) honest.stockTrulyLow = stock;
        if (offer !== undefined) honest.offerTrulyEnding = offer;
        return !run(honest).outcome.techniques.includes('scarcity');
      }),
      { numRuns: 2000 },
    );
  });

  it('D-SEL-1, exhaustively: none of the 256 combinations of the other facts yields scarcity', () => {
    const others = FACTS.filter((fact) => fact !== 'stockTrulyLow' && fact !== 'offerTrulyEnding');
    for (let mask = 0; mask < 2 ** others.length; mask++) {
      const facts = Object.fromEntries(others.map((fact, bit) => [fact, (mask & (1 << bit)) !== 0]));
      expect(run({ ...facts, stockTrulyLow: false, offerTrulyEnding: false }).outcome.techniques).not.toContain('scarcity');
    }
  });

  it('suggests exactly the techniques whose row applies, in table order; none gives []', () => {
    fc.assert(fc.property(observed, (facts) => void expect(run(facts).outcome.techniques).toEqual(expected(facts))));
  });

  it('techniques always come in table order, each once, and basis follows them', () => {
    fc.assert(
      fc.property(observed, (facts) => {
        const { outcome, basis } = run(facts);
        const positions = outcome.techniques.map((t) => CLOSING_TECHNIQUES.indexOf(t));
        return positions.every((p, i) => i === 0 || p > positions[i - 1]!) && JSON.stringify(basis) === JSON.stringify(positions.map((p) => `SEL-${p + 1}`));
      }),
    );
  });

  it('keeps the file order whatever priorities a custom file gives', () => {
    const custom = structuredClone(rules) as any;
    custom.rules[7].priority = 9;
    expect(run({ repeatedBuyingSignals: true, hesitating: true, dealAboutToFail: true }, { rules: custom }).outcome.techniques).toEqual(['alternative_choice', 'ask_for_advice']);
  });

  it('suggests a technique two rows of a custom file give once', () => {
    const twice = structuredClone(rules) as any;
    twice.rules.push(structuredClone(twice.rules[3]));
    expect(run({ doubtsProduct: true }, { rules: twice }).outcome.techniques).toEqual(['trial_purchase']);
  });

  it('refuses a custom file that names an unknown technique', () => {
    const custom = structuredClone(rules) as any;
    custom.rules[2].event.params.technique = 'fake_scarcity';
    expect(() => run({ stockTrulyLow: true }, { rules: custom })).toThrow(RuleSetError);
    expect(() => run({ stockTrulyLow: true }, { rules: custom })).toThrow(/rules\[2\]\.event\.params\.technique: expected one of .* \(received "fake_scarcity"\)/);
  });
});

describe('selling.closingTechnique data', () => {
  it('gives each technique, in the source order, its Chinese name, an English gloss, the example line and its gloss', () => {
    expect(rules.rules.map((rule) => rule.event.params.technique)).toEqual([...CLOSING_TECHNIQUES]);
    const names = ['二选其一', '帮助准顾客挑选', '怕买不到', '先买一点试用看看', '欲擒故纵', '反问式的回答', '快刀斩乱麻', '拜师学艺,态度谦虚'];
    rules.rules.forEach((rule, index) => {
      const label = (rules.labels.techniques as Record<string, { en: string; zh: string }>)[rule.event.params.technique]!;
      expect(rule.name).toBe(`SEL-${index + 1}`);
      expect(label.zh).toBe(names[index]);
      expect(label.en).toMatch(/^[A-Z][\w ,-]+: \w/);
      expect(rule.source.quote).toMatch(/\p{Script=Han}/u);
      expect(rule.source.gloss).toMatch(/[a-z]{3}/);
    });
  });

  it('explain shows the example line with its English gloss', () => {
    const text = explain(run({ offerTrulyEnding: true }));
    expect(text).toContain('techniques = scarcity (Fear of missing out');
    expect(text).toContain('「“这种产品只剩最后一个了,短期内不再进货,你不买就没有了。”或说:“今天是优惠价的截止日,请把握良机,明天你就买不到这种折扣价了。”」');
    // The gloss translates the quote; D-SEL-1 (the library's own rule) is in the rule's description.
    expect(text).toContain("tomorrow you can't get this discount.\")");
    expect(text).not.toContain('D-SEL-1');
    expect(explain(run({}))).toBe('selling.closingTechnique (2026-01-01): techniques = []');
  });

  it('types every observation as an optional boolean', () => {
    const typed = (facts: SellingClosingTechniqueFacts) => facts;
    typed({});
    // @ts-expect-error observations are booleans
    typed({ delaying: 'yes' });
    // @ts-expect-error only the observations of the table
    typed({ lowStock: true });
    expect(run(typed({ delaying: true })).outcome.techniques).toEqual(['feigned_departure']);
  });
});
