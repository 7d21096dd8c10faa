import { Decimal } from 'decimal.js';

/**
 * The library's own Decimal constructor, for money arithmetic (commission splits). Cloned so that
 * no setting here or in the app (`Decimal.set`) leaks either way; 64 significant digits hold any
 * amount below 1e30 to the fen. In a module of its own so that policies which only compare
 * amounts (exactly, as strings) do not bundle decimal.js.
 *
 * @example
 * new Dec('0.1').plus('0.2').toFixed(2); //=> '0.30'
 */
export const Dec = /* @__PURE__ */ Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -64, toExpPos: 64 });
export type Dec = InstanceType<typeof Dec>;

/**
 * Writes an amount of money as the library outputs it: a string with exactly two places.
 *
 * @example
 * toMoneyString(new Dec('5000')); //=> '5000.00'
 */
export function toMoneyString(amount: Dec): string {
  return amount.toFixed(2, Dec.ROUND_DOWN);
}
