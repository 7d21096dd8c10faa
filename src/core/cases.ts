import * as z from 'zod/mini';
import type { RuleSetIssue } from './errors.js';
import { RuleSetError, SalesPoliciesError } from './errors.js';
import { nameProblem } from './names.js';
import type { PathSegment } from './path.js';
import { toDotPath } from './path.js';
import type { Decision, EvaluateOptions } from './policy.js';
import type { Difference, MatchMode } from './structural-diff.js';
import { structuralDiff } from './structural-diff.js';

export { canonicalJson } from './canonical-json.js';

const expectedOutcome = z.strictObject({
  outcome: z.record(z.string(), z.unknown()),
  basis: z.optional(z.array(z.string())),
  warnings: z.optional(z.array(z.string())),
});
const expectedError = z.strictObject({
  /** The error code, e.g. `INVALID_FACTS`. */
  error: z.string(),
  /** The dotted paths of the issues, in order (input errors only). */
  paths: z.optional(z.array(z.string())),
});

/** `exact` (the default): the outcome has exactly the fields given; `partial`: only the fields given are checked. */
const matchMode = z.enum(['exact', 'partial']);

const caseSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** How `expected.outcome` is matched; overrides the file's `match`. */
  match: z.optional(matchMode),
  description: z.optional(z.string()),
  asOf: z.optional(z.string()),
  timeZone: z.optional(z.string()),
  facts: z.unknown(),
  expected: z.union([expectedOutcome, expectedError]),
});

/**
 * The shape of a `*.cases.json` file: examples an analyst writes, one decision each.
 *
 * @example
 * caseFileShape.safeParse(JSON.parse(text)).success; //=> true for a well-formed case file
 */
export const caseFileShape = z.strictObject({
  $schema: z.optional(z.string()),
  policy: z.string().check(z.minLength(1)),
  /** The date whose parameters apply to every case that gives none. */
  asOf: z.optional(z.string()),
  /** How every case's `expected.outcome` is matched unless the case says otherwise; `exact` by default. */
  match: z.optional(matchMode),
  cases: z.array(caseSchema).check(z.minLength(1)),
});

export type CaseFile = z.infer<typeof caseFileShape>;
export type PolicyCase = z.infer<typeof caseSchema>;

/**
 * Checks a parsed case file, or throws {@link RuleSetError} naming the file and JSON path. The
 * file's `match` is carried into each case that gives none, so a case can be run on its own.
 *
 * @example
 * parseCaseFile(JSON.parse(text), 'rules/review/approval.cases.json').cases.length; //=> 42
 */
export function parseCaseFile(json: unknown, file: string): CaseFile {
  const parsed = caseFileShape.safeParse(json);
  if (parsed.success) {
    const issues: RuleSetIssue[] = [];
    const policyProblem = nameProblem('policy', parsed.data.policy);
    if (policyProblem !== undefined) issues.push({ code: 'invalid_name', file, path: 'policy', message: policyProblem });
    const names = new Set<string>();
    for (const [index, { name }] of parsed.data.cases.entries()) {
      const problem = nameProblem('case', name);
      if (problem !== undefined) issues.push({ code: 'invalid_name', file, path: `cases[${index}].name`, message: problem });
      else if (names.has(name)) issues.push({ code: 'duplicate_case', file, path: `cases[${index}].name`, message: `a case named ${JSON.stringify(name)} comes earlier in the file: names identify cases` });
      names.add(name);
    }
    const fileMatch = parsed.data.match;
    if (issues.length === 0) return fileMatch === undefined ? parsed.data : { ...parsed.data, cases: parsed.data.cases.map((c) => ({ match: fileMatch, ...c })) };
    throw new RuleSetError(issues);
  }
  throw new RuleSetError(
    parsed.error.issues.map((issue) => ({
      code: issue.code,
      file,
      path: toDotPath(issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol')),
      message: issue.message,
    })),
  );
}

/** How one case came out. */
export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** What the case expected. */
  readonly expected: PolicyCase['expected'];
  /** What happened: the decision, or the error's code and issue paths. */
  readonly actual: { readonly decision: Decision<unknown> } | { readonly error: string; readonly paths: readonly string[]; readonly message: string };
  /** Where the actual differs from the expected, by dotted path (`outcome.authority`, `basis`); empty when passed. */
  readonly differences: readonly Difference[];
}

/** Anything that evaluates a policy by id (the package's `evaluate`, or one bound to a rule set). */
export type Evaluator = (policy: string, facts: unknown, options: EvaluateOptions) => Decision<unknown>;

/**
 * Runs one case: evaluates its facts and compares outcome, basis and warnings (or the expected
 * error) with what the case says. The outcome is matched whole, or only in the fields the case
 * gives when its `match` is `partial`; basis and warnings, when given, always whole.
 *
 * @example
 * runCase(evaluate, 'review.approval', file.cases[0]!, file.asOf).passed; //=> true
 */
export function runCase(evaluate: Evaluator, policy: string, testCase: PolicyCase, defaultAsOf?: string, options: EvaluateOptions = {}): CaseResult {
  const asOf = testCase.asOf ?? defaultAsOf;
  const evaluateOptions: EvaluateOptions = {
    ...options,
    ...(asOf === undefined ? {} : { asOf }),
    ...(testCase.timeZone === undefined ? {} : { timeZone: testCase.timeZone }),
  };
  let actual: CaseResult['actual'];
  try {
    actual = { decision: evaluate(policy, testCase.facts, evaluateOptions) };
  } catch (error) {
    if (!(error instanceof SalesPoliciesError)) throw error;
    const issues = 'issues' in error && Array.isArray(error.issues) ? (error.issues as { path: string }[]) : [];
    actual = { error: error.code, paths: issues.map((issue) => issue.path), message: error.message };
  }
  const differences = compare(testCase.expected, actual, testCase.match ?? 'exact');
  return { name: testCase.name, passed: differences.length === 0, expected: testCase.expected, actual, differences };
}

function compare(expected: PolicyCase['expected'], actual: CaseResult['actual'], mode: MatchMode): Difference[] {
  if ('error' in expected) {
    if (!('error' in actual)) return [{ path: '', kind: 'changed', expected, actual: { outcome: actual.decision.outcome, basis: actual.decision.basis } }];
    return [
      ...structuralDiff(expected.error, actual.error, 'exact', ['error']),
      ...(expected.paths === undefined ? [] : structuralDiff(expected.paths, actual.paths, 'exact', ['paths'])),
    ];
  }
  if (!('decision' in actual)) return [{ path: '', kind: 'changed', expected, actual: { error: actual.error, paths: actual.paths } }];
  const { decision } = actual;
  return [
    ...structuralDiff(expected.outcome, decision.outcome, mode, ['outcome']),
    ...(expected.basis === undefined ? [] : structuralDiff(expected.basis, decision.basis, 'exact', ['basis'])),
    ...(expected.warnings === undefined ? [] : structuralDiff(expected.warnings, decision.warnings ?? [], 'exact', ['warnings'])),
  ];
}
