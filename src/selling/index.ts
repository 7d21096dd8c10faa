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
export { CLOSING_TECHNIQUES, sellingClosingTechnique } from './closing-technique.js';
export type { ClosingTechnique, SellingClosingTechniqueFacts, SellingClosingTechniqueOutcome } from './closing-technique.js';
