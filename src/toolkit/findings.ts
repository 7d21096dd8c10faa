import type { RuleSetIssueCode } from '../core/errors.js';
import { forTerminal, oneLine } from './escape.js';

/** How serious a finding is: errors fail `validate`; warnings are shown and do not. */
export type Severity = 'error' | 'warning';

/**
 * What `validate` found: anything loading refuses (a {@link RuleSetIssueCode}), and what only
 * `validate` looks for. Errors: `gap`, `conflict`, `monotonicity`, `unreachable` (in a fully
 * enumerated space), `unknown_fact`, `unknown_policy`, `broken_schema`. Warnings:
 * `example_parameter` (a parameter still at its example value) and `unreachable` (in a sampled
 * space, where not finding is no proof).
 *
 * @example
 * const code: FindingCode = 'example_parameter';
 */
export type FindingCode = RuleSetIssueCode | 'gap' | 'conflict' | 'monotonicity' | 'unreachable' | 'broken_schema' | 'missing_schema' | 'example_parameter' | 'too_large_sampled';

/** One thing `validate` found in a rules file, located by file, JSON path and line. */
export interface Finding {
  readonly severity: Severity;
  /** `gap`, `conflict`, `unreachable`, `monotonicity`, `example_parameter`, `unknown_fact`, … */
  readonly code: FindingCode;
  readonly file: string;
  readonly path: string;
  readonly message: string;
  /** The line of `path` in the file, when the file's text was at hand. */
  readonly line?: number;
}

/**
 * Prints findings for people: `severity file:line path [code]: message`.
 *
 * @example
 * formatFindingsText([{ severity: 'error', code: 'gap', file: 'a.rules.json', path: 'rules', line: 40, message: 'amount > 3000000: no rule decides' }]);
 * //=> 'error a.rules.json:40 rules [gap]: amount > 3000000: no rule decides'
 */
export function formatFindingsText(findings: readonly Finding[]): string {
  // One finding a line, whatever the names quoted in it hold (a newline could fake "0 errors").
  return findings.map((f) => `${f.severity} ${oneLine(f.file)}${f.line === undefined ? '' : `:${f.line}`} ${oneLine(f.path) || '(root)'} [${f.code}]: ${oneLine(f.message)}`).join('\n');
}

/**
 * Prints findings as GitHub Actions workflow commands, so each shows on the line of the pull
 * request's diff: `::error file=…,line=…,title=…::message`.
 *
 * @example
 * formatFindingsGithub([finding]); //=> '::error file=rules/review/approval.rules.json,line=40,title=gap::…'
 */
export function formatFindingsGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => `::${f.severity} file=${escapeProperty(f.file)}${f.line === undefined ? '' : `,line=${f.line}`},title=${escapeProperty(`${f.code} at ${f.path || '(root)'}`)}::${escapeData(f.message)}`)
    .join('\n');
}

function escapeData(text: string): string {
  return forTerminal(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
