import type { CommissionShare, PoolPart } from '../../src/commission/pool-split.js';
import { Dec } from '../../src/core/money.js';

// D-COM-2 written the plain way, in decimal.js: the definition the library's integer split
// (src/commission/pool-split.ts) must equal, on every pool, set of percents and agents.

/**
 * Splits `pool` by percent: each amount `pool × percent / 100` rounded down to the fen, the rest
 * to the first share in output order (descending percent, then agent id by code point).
 *
 * @example
 * splitPoolDecimal('0.03', [{ agent: 'A', percent: 50 }, { agent: 'B', percent: 50 }]);
 * //=> [{ agent: 'A', percent: 50, amount: '0.02' }, { agent: 'B', percent: 50, amount: '0.01' }]
 */
export function splitPoolDecimal(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  const total = new Dec(pool);
  const ordered = [...parts].sort((a, b) => new Dec(b.percent).cmp(a.percent) || byCodePoint(a.agent, b.agent));
  const amounts = ordered.map((part) => total.times(part.percent).div(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
  const rest = amounts.reduce((left, amount) => left.minus(amount), total);
  if (amounts.length > 0) amounts[0] = amounts[0]!.plus(rest);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: amounts[index]!.toFixed(2, Dec.ROUND_DOWN) }));
}

/**
 * The exact sum of some percents, in decimal.js.
 *
 * @example
 * percentTotalDecimal([33.33, 33.34, 33.33]).toString(); //=> '100'
 */
export function percentTotalDecimal(percents: readonly number[]): Dec {
  return percents.reduce((sum, percent) => sum.plus(percent), new Dec(0));
}

/** Code-point order, written the slow obvious way: compare the arrays of code points. */
function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
