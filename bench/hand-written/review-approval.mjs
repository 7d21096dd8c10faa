// review.approval written by hand: the limit our evaluator is measured against. It does the same
// job as `evaluate('review.approval', facts, { trace: false })`: the same input checks (an object,
// no unknown fields, a non-negative decimal amount given as a safe number or a decimal string, a
// known channel, booleans defaulting to false), the same exactness (amounts compared digit for
// digit, never as floats), the same decision object. Numbers are inlined, as a programmer would.

const FIELDS = new Set(['amount', 'channel', 'disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']);
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const DEPARTMENTS = ['technical', 'materials', 'manufacturing', 'quality', 'finance', 'legal'];
const APPROVALS = ['marketing_director', 'sales_vp', 'general_manager'];

export class HandInputError extends Error {}

/** Non-negative decimal → canonical string (no leading zeros, no trailing fraction zeros). */
function amountOf(value) {
  let text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 53) throw new HandInputError('amount');
    text = String(value);
    if (text.includes('e')) throw new HandInputError('amount'); // tiny values: not worth a hand-written path
  } else if (typeof value === 'string') {
    if (value.length > 40 || !DECIMAL.test(value)) throw new HandInputError('amount');
    text = value;
  } else throw new HandInputError('amount');
  if (text.startsWith('-')) {
    if (/^-0*(\.0*)?$/.test(text)) return '0';
    throw new HandInputError('amount');
  }
  const dot = text.indexOf('.');
  let integer = dot === -1 ? text : text.slice(0, dot);
  let fraction = dot === -1 ? '' : text.slice(dot + 1);
  let i = 0;
  while (i < integer.length - 1 && integer.charCodeAt(i) === 48) i++;
  integer = i === 0 ? integer : integer.slice(i);
  let j = fraction.length;
  while (j > 0 && fraction.charCodeAt(j - 1) === 48) j--;
  fraction = fraction.slice(0, j);
  return fraction === '' ? integer : `${integer}.${fraction}`;
}

/** Exact comparison of two non-negative canonical decimals. */
function compare(a, b) {
  const ai = a.indexOf('.') === -1 ? a.length : a.indexOf('.');
  const bi = b.indexOf('.') === -1 ? b.length : b.indexOf('.');
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function flag(value) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new HandInputError('flag');
  return value;
}

export function handReviewApproval(facts, asOf) {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) throw new HandInputError('facts');
  for (const key of Object.keys(facts)) if (!FIELDS.has(key)) throw new HandInputError(key);
  const amount = amountOf(facts.amount);
  const channel = facts.channel;
  if (channel !== 'direct' && channel !== 'distributor') throw new HandInputError('channel');
  const disputed = flag(facts.disputed);
  const repeatBatch = flag(facts.repeatBatch);
  const technical = flag(facts.technicalTermsChanged);
  const price = flag(facts.priceChanged);
  return handKernel({ amount, channel, disputed, repeatBatch, technicalTermsChanged: technical, priceChanged: price }, asOf);
}

/** The decision alone, on facts already checked and normalised: the hand-written kernel. */
export function handKernel(f, asOf) {
  let authority;
  let basis;
  let departments = DEPARTMENTS;
  if (f.repeatBatch && !f.technicalTermsChanged && !f.priceChanged && !f.disputed) {
    authority = 'marketing_director';
    basis = 'REV-6.5';
    departments = ['materials', 'manufacturing'];
  } else if (compare(f.amount, '3000000') >= 0) {
    // Either channel (D-REV-2).
    [authority, basis] = ['general_manager', 'REV-6.3'];
  } else if (f.channel === 'distributor') {
    [authority, basis] = f.disputed ? ['sales_vp', 'REV-6.2'] : ['marketing_director', 'REV-6.1'];
  } else if (compare(f.amount, '500000') > 0) {
    [authority, basis] = f.disputed ? ['general_manager', 'REV-6.3'] : ['sales_vp', 'REV-6.2'];
  } else {
    [authority, basis] = f.disputed ? ['sales_vp', 'REV-6.2'] : ['marketing_director', 'REV-6.1'];
  }
  const route = [...departments, ...APPROVALS.slice(0, APPROVALS.indexOf(authority) + 1)];
  return { policy: 'review.approval', asOf, outcome: { authority, route }, basis: [basis], trace: [] };
}

// ─── The plain version an app would write ───────────────────────────────────────────────────────
// Amounts as JSON numbers (cents as fractions), no asOf: the decision is for today in Shanghai.
// The same input checks as above for what it accepts (an object, no unknown fields, a finite
// amount ≥ 0 below 2^53, a known channel, booleans defaulting to false) and the same exactness:
// comparing a double with a whole-number threshold is exact, so `Number` comparisons are the
// exact answer here. Strings are refused (an app that sends numbers checks for numbers). Today's
// date is remembered until Shanghai's next midnight (UTC+8, no daylight saving), as ours is.

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
let todayUntil = Number.NEGATIVE_INFINITY;
let todayFrom = Number.POSITIVE_INFINITY;
let todayDate = '';

function todayInShanghai() {
  const now = Date.now();
  if (now >= todayFrom && now < todayUntil) return todayDate;
  const day = Math.floor((now + SHANGHAI_OFFSET_MS) / DAY_MS);
  todayFrom = day * DAY_MS - SHANGHAI_OFFSET_MS;
  todayUntil = todayFrom + DAY_MS;
  todayDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  return todayDate;
}

const ROUTES = {
  marketing_director: [...DEPARTMENTS, 'marketing_director'],
  sales_vp: [...DEPARTMENTS, 'marketing_director', 'sales_vp'],
  general_manager: [...DEPARTMENTS, 'marketing_director', 'sales_vp', 'general_manager'],
  repeat: ['materials', 'manufacturing', 'marketing_director'],
};

export function handReviewApprovalNumbers(facts) {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) throw new HandInputError('facts');
  for (const key in facts) if (!FIELDS.has(key)) throw new HandInputError(key);
  const amount = facts.amount;
  if (typeof amount !== 'number' || !(amount >= 0) || amount >= 2 ** 53) throw new HandInputError('amount');
  const channel = facts.channel;
  if (channel !== 'direct' && channel !== 'distributor') throw new HandInputError('channel');
  const disputed = flag(facts.disputed);
  const repeatBatch = flag(facts.repeatBatch);
  const technical = flag(facts.technicalTermsChanged);
  const price = flag(facts.priceChanged);
  let authority;
  let basis;
  let route;
  if (repeatBatch && !technical && !price && !disputed) {
    [authority, basis, route] = ['marketing_director', 'REV-6.5', ROUTES.repeat];
  } else {
    // 3,000,000 or more goes to the general manager on either channel (D-REV-2), as in the exact version.
    if (amount >= 3_000_000) [authority, basis] = ['general_manager', 'REV-6.3'];
    else if (channel === 'distributor') [authority, basis] = disputed ? ['sales_vp', 'REV-6.2'] : ['marketing_director', 'REV-6.1'];
    else if (amount > 500_000) [authority, basis] = disputed ? ['general_manager', 'REV-6.3'] : ['sales_vp', 'REV-6.2'];
    else [authority, basis] = disputed ? ['sales_vp', 'REV-6.2'] : ['marketing_director', 'REV-6.1'];
    route = ROUTES[authority];
  }
  return { policy: 'review.approval', asOf: todayInShanghai(), outcome: { authority, route }, basis: [basis], trace: [] };
}
