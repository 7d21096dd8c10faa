import type { PathSegment } from './path.js';
import { toDotPath } from './path.js';

/**
 * Machine-readable codes of every error this library throws on purpose. `SQL_UNSUPPORTED`: a
 * policy or rule feature that `toSql` (`sales-policies/sql`) cannot compile.
 */
export type SalesPoliciesErrorCode = 'INVALID_FACTS' | 'INVALID_OPTIONS' | 'INVALID_RULE_SET' | 'RULE_GAP' | 'SQL_UNSUPPORTED' | 'UNKNOWN_POLICY';

/**
 * The base of every error this library throws on purpose. Anything else escaping `evaluate` is a bug.
 *
 * @example
 * try { evaluate('review.approval', {}); } catch (e) { if (e instanceof SalesPoliciesError) console.log(e.code); }
 */
export class SalesPoliciesError extends Error {
  readonly code: SalesPoliciesErrorCode;
  constructor(code: SalesPoliciesErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The kinds of problem zod reports, kept by our issues under the same names (zod's
 * `unrecognized_keys` becomes one `unknown_field` or `unknown_key` issue per key).
 */
type SchemaIssueCode = 'invalid_type' | 'invalid_value' | 'invalid_format' | 'invalid_union' | 'invalid_key' | 'invalid_element' | 'too_big' | 'too_small' | 'not_multiple_of' | 'custom';

/**
 * What kind of problem an {@link InputIssue} is: a schema check (`invalid_type`, `too_big`, …),
 * `unknown_field` (a fact the policy does not take), `invalid_option` (an option of `evaluate`),
 * or `too_many_issues` (the list was cut short).
 *
 * @example
 * const code: InputIssueCode = 'unknown_field';
 */
export type InputIssueCode =
  | SchemaIssueCode
  | 'unknown_field'
  | 'invalid_option'
  | 'too_many_issues'
  // commission.protection: a question without its subject; two entries that cannot both hold.
  | 'missing_question'
  | 'conflicting_entries'
  // The explorer's facts form: a JSON field whose text does not parse.
  | 'invalid_json'
  // Facts that cannot be read as plain data: a throwing getter, a Proxy trap, a revoked Proxy.
  | 'unreadable_facts';

/**
 * What kind of problem a {@link RuleSetIssue} is. Loading: the file's shape (a schema check, or
 * `unknown_key`, `missing_key`, `not_json`, `invalid_json`, `too_deep`), its conditions
 * (`unknown_operator`, `unknown_fact`, `invalid_path`, …), parameters (`missing_parameter`, …),
 * events (`invalid_event`) and the set (`unknown_policy`, `wrong_policy`, `duplicate_policy`);
 * case files add `duplicate_case` and zod's `unrecognized_keys`.
 *
 * @example
 * const code: RuleSetIssueCode = 'invalid_event';
 */
export type RuleSetIssueCode =
  | SchemaIssueCode
  | 'unknown_key'
  | 'missing_key'
  | 'not_json'
  | 'invalid_json'
  | 'too_deep'
  | 'too_many_issues'
  | 'reserved_name'
  | 'values_on_non_string'
  | 'minimum_on_non_number'
  | 'misplaced_fact_key'
  | 'empty_range'
  | 'bad_fact_default'
  | 'incomplete_fact'
  | 'invalid_condition'
  | 'invalid_date'
  | 'invalid_fact'
  | 'invalid_path'
  | 'invalid_parameter_value'
  | 'missing_parameter'
  | 'undeclared_parameter'
  | 'unknown_parameter'
  | 'unordered_effective_date'
  | 'duplicate_effective_date'
  | 'unknown_fact'
  | 'unknown_operator'
  | 'unsupported_feature'
  | 'invalid_event'
  | 'invalid_rule_set'
  | 'unknown_policy'
  | 'wrong_policy'
  | 'duplicate_policy'
  | 'duplicate_case'
  | 'unrecognized_keys'
  | 'invalid_name'
  | 'not_compiled'
  | 'too_many_conditions'
  | 'unknown_condition'
  | 'condition_cycle'
  | 'invalid_priority'
  | 'fact_in_event_params'
  | 'forbidden_key'
  | 'duplicate_key'
  | 'unreadable'
  | 'no_rules_files';

/** One problem with the facts or options given to `evaluate`. */
export interface InputIssue {
  /** What kind of problem: `invalid_type`, `unknown_field`, `too_big`, … */
  readonly code: InputIssueCode;
  /** Dotted path of the bad field inside the facts (or `options.asOf`), e.g. `signoffs[1].step`. */
  readonly path: string;
  /** A sentence a person can act on. */
  readonly message: string;
  /** The value received at `path` (`undefined` when it was missing). */
  readonly received: unknown;
  /** What was expected there, in words or as a type name. */
  readonly expected: string;
}

/** One problem with a rules file: which file, where in its JSON, and what is wrong. */
export interface RuleSetIssue {
  readonly code: RuleSetIssueCode;
  /** The rules file, e.g. `rules/review/approval.rules.json`. */
  readonly file: string;
  /** Dotted JSON path inside the file, e.g. `rules[2].conditions.all[0].operator`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Facts or options that do not fit the policy. Carries every issue, not only the first.
 *
 * @example
 * try { evaluate('review.approval', { amount: 'lots' }); }
 * catch (e) { if (e instanceof PolicyInputError) console.log(e.issues[0]?.path); } //=> 'amount'
 */
export class PolicyInputError extends SalesPoliciesError {
  readonly policy: string;
  readonly issues: readonly InputIssue[];
  constructor(policy: string, issues: readonly InputIssue[], code: 'INVALID_FACTS' | 'INVALID_OPTIONS' = 'INVALID_FACTS') {
    super(code, `${policy}: ${issues.length === 1 ? 'the input has a problem' : `the input has ${issues.length} problems`}\n${formatIssues(issues)}`);
    this.policy = policy;
    this.issues = issues;
  }
}

/**
 * A rules file that cannot be used: bad JSON shape, unknown operator, undeclared fact, missing
 * parameter. Every issue names the file and the JSON path.
 *
 * @example
 * try { compileRuleFile({ policy: 'x' }, 'my.rules.json'); }
 * catch (e) { if (e instanceof RuleSetError) console.log(e.issues[0]?.file); } //=> 'my.rules.json'
 */
export class RuleSetError extends SalesPoliciesError {
  readonly issues: readonly RuleSetIssue[];
  constructor(issues: readonly RuleSetIssue[]) {
    super('INVALID_RULE_SET', `invalid rule set\n${issues.map(formatRuleSetIssue).join('\n')}`);
    this.issues = issues;
  }
}

/**
 * A policy id that this library (or the given rule set) does not know. Lists the known ones.
 *
 * @example
 * try { evaluate('review.aproval' as never, {}); }
 * catch (e) { if (e instanceof UnknownPolicyError) console.log(e.known.length); }
 */
export class UnknownPolicyError extends SalesPoliciesError {
  readonly policy: string;
  readonly known: readonly string[];
  constructor(policy: string, known: readonly string[]) {
    super('UNKNOWN_POLICY', `unknown policy ${safeJson(policy)}: known policies are ${known.join(', ')}`);
    this.policy = policy;
    this.known = known;
  }
}

/**
 * Prints input issues the way zod's `prettifyError` does: `✖ message` then `→ at path`.
 *
 * @example
 * formatIssues([{ code: 'invalid_type', path: 'amount', message: 'expected a decimal amount', received: 'x', expected: 'decimal' }]);
 * //=> '✖ expected a decimal amount (received "x")\n  → at amount'
 */
export function formatIssues(issues: readonly InputIssue[]): string {
  return issues
    .map((issue) => {
      const received = issue.received === undefined ? 'nothing' : safeJson(issue.received);
      return `✖ ${issue.message} (received ${received})${issue.path ? `\n  → at ${issue.path}` : ''}`;
    })
    .join('\n');
}

/**
 * One line per rule-set issue: `file → json.path: message`.
 *
 * @example
 * formatRuleSetIssue({ code: 'unknown_operator', file: 'a.rules.json', path: 'rules[0].conditions.all[0].operator', message: 'unknown operator "lessThen"' });
 * //=> 'a.rules.json → rules[0].conditions.all[0].operator: unknown operator "lessThen"'
 */
export function formatRuleSetIssue(issue: RuleSetIssue): string {
  return `${issue.file} → ${issue.path || '(root)'}: ${issue.message}`;
}

/**
 * Builds a rule-set issue from a path given as segments.
 *
 * @example
 * ruleSetIssue('a.rules.json', ['rules', 0, 'name'], 'too_small', 'a rule needs a name').path; //=> 'rules[0].name'
 */
export function ruleSetIssue(file: string, path: readonly PathSegment[], code: RuleSetIssueCode, message: string): RuleSetIssue {
  return { code, file, path: toDotPath(path), message };
}

/**
 * `JSON.stringify` that never throws and never prints more than a line: a received value can be
 * huge, cyclic, nested thousands deep or a BigInt. It reads only as much of the value as the line
 * shows, so a list of a million items costs what a short one does.
 *
 * @example
 * safeJson({ amount: 'lots' }); //=> '{"amount":"lots"}'
 * safeJson(new Array(1_000_000).fill(1)); //=> '[1,1,1,…' (80 characters)
 */
export function safeJson(value: unknown, max = 80): string {
  let text: string;
  try {
    const out: string[] = [];
    const written = boundedJson(value, out, max + 1);
    text = written ? out.join('') : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Writes JSON for `value` into `out` until `budget` characters are written; false when JSON has no text for it. */
function boundedJson(value: unknown, out: string[], budget: number): boolean {
  let left = budget;
  const write = (text: string) => {
    out.push(text);
    left -= text.length;
  };
  const visit = (v: unknown, inArray: boolean): boolean => {
    if (typeof v === 'bigint') return write(`${v}n`), true;
    if (typeof v === 'string') return write(JSON.stringify(v.length > left ? v.slice(0, left) : v)), true;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') {
      if (inArray) write('null');
      return inArray;
    }
    if (v === null || typeof v !== 'object') return write(JSON.stringify(v)), true;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return visit((v as { toJSON: () => unknown }).toJSON(), inArray);
    if (Array.isArray(v)) {
      write('[');
      for (let i = 0; i < v.length && left > 0; i++) {
        if (i > 0) write(',');
        visit(v[i], true);
      }
      write(']');
      return true;
    }
    write('{');
    let first = true;
    // for…in stops when the line is full; Object.keys would list a million keys first.
    for (const key in v) {
      if (left <= 0) break;
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      const mark = out.length;
      const spent = left;
      write(`${first ? '' : ','}${JSON.stringify(key)}:`);
      if (visit((v as Record<string, unknown>)[key], false)) first = false;
      else {
        out.length = mark;
        left = spent;
      }
    }
    write('}');
    return true;
  };
  return visit(value, false);
}

/**
 * The rules in force decide nothing (or something the policy cannot use) for these facts: a
 * defect of the rule set, not of the facts. The bundled rules are proven free of gaps; a custom
 * rule set can have them, and `sales-policies validate` finds them before they ship.
 *
 * @example
 * try { evaluate('review.approval', facts, { rules: myRules }); }
 * catch (e) { if (e instanceof RuleGapError) console.log(e.policy); }
 */
export class RuleGapError extends SalesPoliciesError {
  readonly policy: string;
  constructor(policy: string, message: string) {
    super('RULE_GAP', `${policy}: ${message}`);
    this.policy = policy;
  }
}
