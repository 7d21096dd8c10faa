import { Decimal } from 'decimal.js';

/**
 * The library's own Decimal constructor, for decimal arithmetic on rule values (the SQL compiler,
 * the toolkit) and for the tests' definition of the commission split. Cloned so that no setting
 * here or in the app (`Decimal.set`) leaks either way; 64 significant digits hold any amount below
 * 1e30 to the fen. In a module of its own: no policy imports it (they compare amounts exactly, as
 * strings, and split them in integers), so no policy bundles decimal.js.
 *
 * @example
 * new Dec('0.1').plus('0.2').toFixed(2); //=> '0.30'
 */
export const Dec = /* @__PURE__ */ Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -64, toExpPos: 64 });
export type Dec = InstanceType<typeof Dec>;
