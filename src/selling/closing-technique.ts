import * as z from 'zod/mini';
import rules from '../../rules/selling/closing-technique.rules.json' with { type: 'json' };
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { SellingClosingTechniqueCheckedFacts, SellingClosingTechniqueFacts } from '../generated/facts-types.js';

const POLICY = 'selling.closingTechnique';

/**
 * The eight closing techniques of 「服装导购员促成服装订单八种技巧」, in the source's order (SEL-1 … SEL-8).
 *
 * @example
 * CLOSING_TECHNIQUES[2]; //=> 'scarcity'
 */
export const CLOSING_TECHNIQUES = [
  'alternative_choice',
  'help_choose',
  'scarcity',
  'trial_purchase',
  'feigned_departure',
  'counter_question',
  'direct_ask',
  'ask_for_advice',
] as const;
/**
 * One of {@link CLOSING_TECHNIQUES}.
 *
 * @example
 * const technique: ClosingTechnique = 'trial_purchase';
 */
export type ClosingTechnique = (typeof CLOSING_TECHNIQUES)[number];

const closingTechniqueEvent = { technique: z.strictObject({ technique: z.enum(CLOSING_TECHNIQUES) }) };

/**
 * What the salesperson observes; every fact is a boolean, default `false`. `stockTrulyLow` and
 * `offerTrulyEnding` are true only when real (D-SEL-1).
 *
 * @example
 * const facts: SellingClosingTechniqueFacts = { repeatedBuyingSignals: true, hesitating: true };
 */
export type { SellingClosingTechniqueFacts };

/**
 * The techniques that fit, in the source's order; empty when none does.
 *
 * @example
 * const outcome: SellingClosingTechniqueOutcome = { techniques: ['alternative_choice', 'help_choose'] };
 */
export interface SellingClosingTechniqueOutcome {
  readonly techniques: readonly ClosingTechnique[];
}

/**
 * `selling.closingTechnique`: which of the eight closing techniques fit what the salesperson
 * observes (SEL-1 … SEL-8), every one that applies, in table order. Each rule quotes the
 * technique's example line from the source, with an English gloss (see `explain`). Scarcity
 * (SEL-3) is suggested only when the stock is truly low or the offer truly ending (D-SEL-1).
 *
 * @example
 * sellingClosingTechnique.evaluate({ repeatedBuyingSignals: true, hesitating: true, doubtsProduct: true }).outcome;
 * //=> { techniques: ['alternative_choice', 'trial_purchase'] }
 */
export const sellingClosingTechnique = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/selling/closing-technique.rules.json',
  facts: declaredFacts<SellingClosingTechniqueFacts, SellingClosingTechniqueCheckedFacts>,
  event: closingTechniqueEvent,
  decide: (fired) => {
    const techniques: ClosingTechnique[] = [];
    // Table order is the rules file's order, whatever priorities a custom file gives.
    for (const rule of [...fired].sort((a, b) => a.index - b.index)) {
      const technique = rule.definition.event.params.technique;
      if (!techniques.includes(technique)) techniques.push(technique);
    }
    const outcome: SellingClosingTechniqueOutcome = { techniques };
    return { outcome };
  },
});
