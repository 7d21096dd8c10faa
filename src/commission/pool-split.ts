import { Dec, toMoneyString } from '../core/money.js';

// Splitting a commission pool into exact amounts (D-COM-2): the only module of the area that
// does money arithmetic, so the only one that brings decimal.js.

/** An agent and the percent of the pool a rule gives them, before the money is split. */
export interface PoolPart {
  readonly agent: string;
  readonly percent: number;
}

/** One agent's share: `percent` of the pool and the exact amount, a string with two places. */
export interface CommissionShare {
  readonly agent: string;
  readonly percent: number;
  readonly amount: string;
}

/**
 * Splits `pool` by percent under D-COM-2: each amount is `pool × percent / 100` rounded down to
 * the fen; what rounding leaves goes to the first share in output order (descending percent,
 * then agent id in code-point order, i.e. UTF-8 byte order), so the amounts add up to `pool` exactly.
 *
 * @example
 * splitPool('10000.01', [{ agent: 'B', percent: 50 }, { agent: 'A', percent: 50 }]);
 * //=> [{ agent: 'A', percent: 50, amount: '5000.01' }, { agent: 'B', percent: 50, amount: '5000.00' }]
 */
export function splitPool(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  return splitPoolInCents(pool, parts) ?? splitPoolExact(pool, parts);
}

/**
 * D-COM-2 with decimal.js: the definition the integer-cents path must equal (a property test
 * compares the two on random pools and shares).
 *
 * @example
 * splitPoolExact('0.03', [{ agent: 'A', percent: 50 }, { agent: 'B', percent: 50 }]);
 * //=> [{ agent: 'A', percent: 50, amount: '0.02' }, { agent: 'B', percent: 50, amount: '0.01' }]
 */
export function splitPoolExact(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  const total = new Dec(pool);
  const ordered = [...parts].sort((a, b) => new Dec(b.percent).cmp(a.percent) || compareCodePoints(a.agent, b.agent));
  const amounts = ordered.map((part) => total.times(part.percent).div(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
  const rest = amounts.reduce((left, amount) => left.minus(amount), total);
  if (amounts.length > 0) amounts[0] = amounts[0]!.plus(rest);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: toMoneyString(amounts[index]!) }));
}

/**
 * The exact sum of some percents, as a decimal string (`33.33 + 33.34 + 33.33` is `'100'`, where
 * adding the numbers gives 99.99999999999999).
 *
 * @example
 * percentTotal([33.33, 33.34, 33.33]); //=> '100'
 */
export function percentTotal(percents: readonly number[]): string {
  return percents.reduce((sum, percent) => sum.plus(percent), new Dec(0)).toString();
}

/** The most integer digits of a pool split in number cents: q × percent stays below 2^53. */
const MAX_NUMBER_CENTS_DIGITS = 13;
const DIGITS = /^[0-9]+$/;

/**
 * D-COM-2 in integer cents, without allocating Decimals, for whole percents and pools with at
 * most two places: in numbers for pools of at most 13 integer digits (every pool a deal has), in
 * BigInts beyond; `undefined` otherwise, for {@link splitPoolExact}. With pool = 100q + r cents,
 * pool × p / 100 rounded down is q·p + ⌊r·p / 100⌋ cents, every term an exact integer.
 */
function splitPoolInCents(pool: string, parts: readonly PoolPart[]): CommissionShare[] | undefined {
  for (const part of parts) if (!Number.isInteger(part.percent) || part.percent < 0 || part.percent > 100) return undefined;
  const cents = numberCents(pool);
  if (cents === undefined) return splitInBigCents(pool, parts);
  const ordered = inOutputOrder(parts);
  if (ordered.length === 1 && ordered[0]!.percent === 100) return [{ agent: ordered[0]!.agent, percent: 100, amount: centsToString(cents) }];
  const r = cents % 100;
  const q = (cents - r) / 100;
  const amounts = ordered.map((part) => q * part.percent + Math.floor((r * part.percent) / 100));
  if (amounts.length > 0) amounts[0] = amounts[0]! + cents - amounts.reduce((sum, amount) => sum + amount, 0);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: centsToString(amounts[index]!) }));
}

/**
 * A pool of digits with at most one point, two places and 13 integer digits, in cents; otherwise
 * `undefined`. Read digit by digit: every partial value is an integer below 10^15, exact.
 */
function numberCents(pool: string): number | undefined {
  let value = 0;
  let dot = -1;
  for (let i = 0; i < pool.length; i++) {
    const code = pool.charCodeAt(i);
    if (code === 46 && dot === -1 && i > 0) dot = i;
    else if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else return undefined;
  }
  const places = dot === -1 ? 0 : pool.length - dot - 1;
  if ((dot === -1 ? pool.length : dot) > MAX_NUMBER_CENTS_DIGITS || places > 2 || (dot !== -1 && places === 0)) return undefined;
  return places === 0 ? value * 100 : places === 1 ? value * 10 : value;
}

/** {@link splitPoolInCents} for pools beyond 13 integer digits, in BigInt cents. */
function splitInBigCents(pool: string, parts: readonly PoolPart[]): CommissionShare[] | undefined {
  const dot = pool.indexOf('.');
  const integer = dot === -1 ? pool : pool.slice(0, dot);
  const fraction = dot === -1 ? '' : pool.slice(dot + 1);
  if (fraction.length > 2 || !DIGITS.test(integer) || (dot !== -1 && !DIGITS.test(fraction))) return undefined;
  const cents = BigInt(integer) * 100n + BigInt(fraction.padEnd(2, '0'));
  const ordered = inOutputOrder(parts);
  const amounts = ordered.map((part) => (cents * BigInt(part.percent)) / 100n);
  if (amounts.length > 0) amounts[0] = amounts[0]! + cents - amounts.reduce((sum, amount) => sum + amount, 0n);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: bigCentsToString(amounts[index]!) }));
}

/** Descending percent, then agent id by code point; one or two parts (nearly every split) without a sort. */
function inOutputOrder(parts: readonly PoolPart[]): readonly PoolPart[] {
  if (parts.length < 2) return parts;
  if (parts.length === 2) {
    const [a, b] = parts as readonly [PoolPart, PoolPart];
    return b.percent - a.percent > 0 || (a.percent === b.percent && compareCodePoints(a.agent, b.agent) > 0) ? [b, a] : parts;
  }
  return [...parts].sort((a, b) => b.percent - a.percent || compareCodePoints(a.agent, b.agent));
}

function centsToString(cents: number): string {
  const fen = cents % 100;
  return `${(cents - fen) / 100}.${fen < 10 ? '0' : ''}${fen}`;
}

function bigCentsToString(cents: bigint): string {
  const fen = cents % 100n;
  return `${cents / 100n}.${fen < 10n ? '0' : ''}${fen}`;
}

/**
 * Orders agent ids by Unicode code point, which is the byte order of their UTF-8 (what SQL engines
 * sort by: DuckDB's default, PostgreSQL's COLLATE "C"), so that the SQL the library compiles splits
 * a pool exactly as this does. JavaScript's `<` compares UTF-16 code units, which differs only
 * where a character above U+FFFF meets one in U+E000…U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) stand for code points above every BMP character: lift them above E000–FFFF.
    const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}
