/**
 * The closing-technique advice alone: `import { sellingClosingTechnique } from
 * 'sales-policies/selling'` pulls in no other area's rules.
 *
 * @example
 * import { sellingClosingTechnique } from 'sales-policies/selling';
 * sellingClosingTechnique.evaluate({ delaying: true }).outcome.techniques; //=> ['feigned_departure']
 *
 * @packageDocumentation
 */
import { sellingClosingTechnique } from './closing-technique.js';
export { CLOSING_TECHNIQUES, sellingClosingTechnique } from './closing-technique.js';
export type { ClosingTechnique, SellingClosingTechniqueFacts, SellingClosingTechniqueOutcome } from './closing-technique.js';

/**
 * The selling advice by id: the area's part of the registry (`src/policies.ts` assembles the areas). A new
 * policy of this area is registered here and nowhere else.
 *
 * @example
 * Object.keys(SELLING_POLICIES).includes('selling.closingTechnique'); //=> true
 */
export const SELLING_POLICIES = {
  'selling.closingTechnique': sellingClosingTechnique,
} as const;
