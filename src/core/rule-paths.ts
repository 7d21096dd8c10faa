import type { PathSegment } from './path.js';
import type { FactReference } from './rule-file.js';

// What compiled rules read at run time from the rules-file format: the parameter prefix, `path`
// steps and fact references. Its own module so that evaluating bundled rules (checked when the
// library is built) never loads the rules-file loader in rule-file.ts and its zod schema.

/** The most issues a RuleSetError lists; then one `too_many_issues` issue says more were left out. */
export const MAX_RULE_SET_ISSUES = 100;

/**
 * Facts named `param.<name>` read the parameter `<name>` in force.
 *
 * @example
 * `${PARAMETER_PREFIX}directorLimit`; //=> 'param.directorLimit'
 */
export const PARAMETER_PREFIX = 'param.';

const PATH_SEGMENT = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d{1,9})\])/;

/**
 * Splits a json-rules-engine `path` into segments. Supported: `$`, then `.name` and `[index]`
 * steps (`$.referral.referrerAgent`, `$.handlers[0]`). Wildcards, filters and recursive descent
 * are not, nor two shapes json-rules-engine's JSONPath reads unlike a plain step (a step named
 * `$`, an index with a leading zero): they return `undefined`.
 *
 * @example
 * parsePath('$.referral.agents[1]'); //=> ['referral', 'agents', 1]
 */
export function parsePath(path: string): PathSegment[] | undefined {
  return pathProblem(path) === undefined ? splitPath(path) : undefined;
}

/**
 * Why a `path` is refused, or `undefined` when it is supported. Besides the JSONPath features this
 * library leaves out, two shapes that look like plain steps are refused because jsonpath-plus (the
 * reader json-rules-engine 7.3.1 uses) does not read them as plain steps: a step named `$` (it
 * means "the current value" there, not the key `"$"`), and an index with a leading zero (`[01]`
 * is the key `"01"` there, so it never reaches an array's element 1).
 */
export function pathProblem(path: string): string | undefined {
  const segments = splitPath(path);
  if (segments === undefined) return 'write "$" then ".name" or "[index]" steps, e.g. "$.referral.referrerAgent"';
  if (segments.includes('$')) return 'a step named "$" is read by json-rules-engine\'s JSONPath as "the value so far", not as the key "$"; rename the key';
  const leadingZero = /\[0\d+\]/.exec(path);
  if (leadingZero) return `the index ${leadingZero[0]} has a leading zero: json-rules-engine's JSONPath reads it as the key "${leadingZero[0].slice(1, -1)}", never an array position; write [${Number(leadingZero[0].slice(1, -1))}]`;
  return undefined;
}

function splitPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = PATH_SEGMENT.exec(rest);
    if (!match) return undefined;
    segments.push(match[1] ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/**
 * Is `value` a reference to a fact (`{ "fact": … }`), the way json-rules-engine tells?
 *
 * @example
 * isFactReference({ fact: 'param.vpLimit' }); //=> true
 */
export function isFactReference(value: unknown): value is FactReference {
  return value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, 'fact');
}
