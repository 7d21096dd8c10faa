/**
 * One step into a JSON value: an object key or an array index.
 *
 * @example
 * const path: PathSegment[] = ['handlers', 0]; // facts.handlers[0]
 */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Renders a path as people write it: `rules[2].conditions.all[0].operator`.
 * Keys that are not identifiers are quoted: `facts["first name"]`.
 *
 * @example
 * toDotPath(['rules', 2, 'conditions', 'all', 0, 'operator']);
 * //=> 'rules[2].conditions.all[0].operator'
 */
export function toDotPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Reads the value at `path` inside `root`, following own properties only, so a path never
 * reaches into `Object.prototype`. Returns `undefined` where the path leads nowhere.
 *
 * @example
 * valueAt({ handlers: ['a', 'b'] }, ['handlers', 1]);
 * //=> 'b'
 */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/**
 * Follows a condition's `path` into a fact's value the way json-rules-engine does: a path applies
 * only to an object (any other value is returned as it is), and each step reads an own property,
 * `undefined` once a step misses. A string a step in has its own `length` and indices, except the
 * empty string: jsonpath-plus reads properties only of a truthy value, so `$.name.length` on
 * `{ name: "" }` is `undefined` there, and so here. Shared by the evaluator and the SQL compiler so
 * both agree.
 *
 * @example
 * followPath({ a: [1, 2] }, ['a', 1]); //=> 2
 * followPath('x', ['a']); //=> 'x'
 * followPath({ name: '' }, ['name', 'length']); //=> undefined
 */
export function followPath(value: unknown, segments: readonly PathSegment[] | undefined): unknown {
  if (segments === undefined || value === null || typeof value !== 'object') return value;
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || current === undefined || current === '') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
