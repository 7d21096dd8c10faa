import { canonicalDecimal } from '../core/decimal.js';

// Splitting a commission pool into exact amounts (D-COM-2) in integers: number cents for the
// pools deals have, BigInts for the rest. No decimal.js: the definition it must equal, in
// decimal.js, is in the tests (test/helpers/pool-split-decimal.ts), which compare the two on
// random pools, percents and agents. That keeps 12.9 KB gzipped out of every bundle that
// evaluates commission.allocation (the root entry point among them).

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
  return splitPoolInCents(pool, parts) ?? splitPoolScaled(pool, parts);
}

/**
 * The exact sum of some percents, as a decimal string without trailing zeros (`33.33 + 33.34 +
 * 33.33` is `'100'`, where adding the numbers gives 99.99999999999999).
 *
 * @example
 * percentTotal([33.33, 33.34, 33.33]); //=> '100'
 */
export function percentTotal(percents: readonly number[]): string {
  let sum: Scaled = { units: 0n, scale: 0 };
  for (const percent of percents) {
    const term = scaledOf(percent);
    const scale = Math.max(sum.scale, term.scale);
    sum = { units: rescale(sum, scale) + rescale(term, scale), scale };
  }
  return scaledToString(sum);
}

/** A decimal as an integer count of 10^-scale: `12.5` is `{ units: 125n, scale: 1 }`. */
interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

const CANONICAL_DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * A decimal as exact scaled integers: a canonical money string as it is, a rule's percent as
 * {@link canonicalDecimal} writes the number (`1e-7` as `0.0000001`).
 */
function scaledOf(value: string | number): Scaled {
  const text = typeof value === 'number' ? canonicalDecimal(value) : value;
  const match = CANONICAL_DECIMAL.exec(text);
  if (match === null) throw new RangeError(`not a decimal: ${text}`);
  const [, sign, integer, fraction = ''] = match;
  const digits = BigInt(integer! + fraction);
  return { units: sign === '-' ? -digits : digits, scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function scaledToString({ units, scale }: Scaled): string {
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${sign}${integer}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * D-COM-2 for any pool and percents, in BigInts: with pool = P·10^-a and percent = Q·10^-b, the
 * share in fen rounded toward zero is P·Q / 10^(a+b) in BigInt division, which truncates. The
 * first share takes the rest at the pool's own scale, then is rounded toward zero to the fen as
 * well; a negative amount that rounds to nothing keeps its sign (`-0.00`), as decimal.js's
 * `toFixed` writes it.
 */
function splitPoolScaled(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  const total = scaledOf(pool);
  const ordered = inOutputOrder(parts);
  const fen = ordered.map((part) => {
    const percent = scaledOf(part.percent);
    return (total.units * percent.units) / 10n ** BigInt(total.scale + percent.scale);
  });
  // The first share: the pool less the others, at the pool's scale, then rounded toward zero.
  const scale = Math.max(total.scale, 2);
  const step = 10n ** BigInt(scale - 2);
  const first = rescale(total, scale) - fen.reduce((sum, share, index) => (index === 0 ? sum : sum + share * step), 0n);
  return ordered.map((part, index) => {
    const amount = index > 0 ? fenToMoney(fen[index]!) : first < 0n && first > -step ? '-0.00' : fenToMoney(first / step);
    return { agent: part.agent, percent: part.percent, amount };
  });
}

function fenToMoney(fen: bigint): string {
  const magnitude = fen < 0n ? -fen : fen;
  const rest = magnitude % 100n;
  return `${fen < 0n ? '-' : ''}${magnitude / 100n}.${rest < 10n ? '0' : ''}${rest}`;
}

/** The most integer digits of a pool split in number cents: q × percent stays below 2^53. */
const MAX_NUMBER_CENTS_DIGITS = 13;

/**
 * D-COM-2 in number cents, without BigInts, for whole percents and pools of at most 13 integer
 * digits and two places (every pool a deal has); `undefined` otherwise, for {@link splitPoolScaled}. With pool = 100q + r cents,
 * pool × p / 100 rounded down is q·p + ⌊r·p / 100⌋ cents, every term an exact integer.
 */
function splitPoolInCents(pool: string, parts: readonly PoolPart[]): CommissionShare[] | undefined {
  for (const part of parts) if (!Number.isInteger(part.percent) || part.percent < 0 || part.percent > 100) return undefined;
  const cents = numberCents(pool);
  if (cents === undefined) return undefined;
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

/** Descending percent, then agent id by code point; one or two parts (nearly every split) without a sort. */
function inOutputOrder(parts: readonly PoolPart[]): readonly PoolPart[] {
  if (parts.length < 2) return parts;
  if (parts.length === 2) {
    const [a, b] = parts as readonly [PoolPart, PoolPart];
    return b.percent - a.percent > 0 || (a.percent === b.percent && compareCodePoints(a.agent, b.agent) > 0) ? [b, a] : parts;
  }
  return [...parts].sort((a, b) => b.percent - a.percent || compareCodePoints(a.agent, b.agent));
}

// The first share is negative when a rule's percents add up to more than 100: the magnitude is
// written, then the sign (`-110` cents is `-1.10`, where `%` would give `-1.0-10`).
function centsToString(cents: number): string {
  const magnitude = cents < 0 ? -cents : cents;
  const fen = magnitude % 100;
  return `${cents < 0 ? '-' : ''}${(magnitude - fen) / 100}.${fen < 10 ? '0' : ''}${fen}`;
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
