
/**
 * Who acts on the distribution order desk: the order processing chief (訂單處理科科長) and the
 * sales department manager (銷售部經理) the chief reports to (權力 2).
 *
 * @example
 * FULFILMENT_ROLES; //=> ['order_processing_chief', 'sales_manager']
 */
export const FULFILMENT_ROLES = ['order_processing_chief', 'sales_manager'] as const;
/**
 * One of {@link FULFILMENT_ROLES}.
 *
 * @example
 * const approver: FulfilmentRole = 'sales_manager';
 */
export type FulfilmentRole = (typeof FULFILMENT_ROLES)[number];

/**
 * Fired rules in the order of their rules file (a collect-all table's order), whatever their priorities.
 *
 * @example
 * inFileOrder(fired).map((rule) => rule.index); //=> [0, 2]
 */
export function inFileOrder<T extends { readonly index: number }>(fired: readonly T[]): T[] {
  return [...fired].sort((a, b) => a.index - b.index);
}
