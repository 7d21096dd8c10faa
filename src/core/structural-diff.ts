import { canonicalJson } from './canonical-json.js';
import type { PathSegment } from './path.js';
import { toDotPath } from './path.js';

/**
 * One place where an actual JSON value differs from the expected one: `changed` (both have a
 * value there), `missing` (only the expected has it) or `unexpected` (only the actual has it).
 */
export interface Difference {
  /** Dotted path, e.g. `outcome.route` or `basis`; `''` for the whole value. */
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'unexpected';
  readonly expected?: unknown;
  readonly actual?: unknown;
}

/**
 * How {@link structuralDiff} matches objects: `exact` wants the same keys on both sides;
 * `partial` checks only the keys the expected value gives (at every depth), as OpenFisca tests do.
 */
export type MatchMode = 'exact' | 'partial';

/**
 * The places where `actual` differs from `expected`, by dotted path: objects are compared key by
 * key (in `partial` mode only the expected's keys), arrays of objects of one length element by
 * element, anything else (scalars, lists of scalars) as a whole, order and key order ignored.
 * Empty when they match.
 *
 * @example
 * structuralDiff({ authority: 'sales_vp' }, { authority: 'marketing_director', route: [] }, 'partial', ['outcome']);
 * //=> [{ path: 'outcome.authority', kind: 'changed', expected: 'sales_vp', actual: 'marketing_director' }]
 */
export function structuralDiff(expected: unknown, actual: unknown, mode: MatchMode, at: readonly PathSegment[] = []): Difference[] {
  const out: Difference[] = [];
  walk(expected, actual, mode, [...at], out);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function walk(expected: unknown, actual: unknown, mode: MatchMode, path: PathSegment[], out: Difference[]): void {
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of Object.keys(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key)) out.push({ path: toDotPath([...path, key]), kind: 'missing', expected: expected[key] });
      else walk(expected[key], actual[key], mode, [...path, key], out);
    }
    if (mode === 'exact') {
      for (const key of Object.keys(actual)) {
        if (!Object.prototype.hasOwnProperty.call(expected, key)) out.push({ path: toDotPath([...path, key]), kind: 'unexpected', actual: actual[key] });
      }
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length && expected.some((item) => item !== null && typeof item === 'object')) {
    expected.forEach((item, index) => walk(item, actual[index], mode, [...path, index], out));
    return;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) out.push({ path: toDotPath(path), kind: 'changed', expected, actual });
}
