import type { CaseFile, CaseResult, Evaluator } from '../core/cases.js';
import { parseCaseFile, runCase } from '../core/cases.js';
import { compileRuleFile } from '../core/rule-loader.js';
import { formatRuleSetIssue, RuleSetError, safeJson } from '../core/errors.js';
import type { RuleSetIssue } from '../core/errors.js';
import type { Difference } from '../core/structural-diff.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import { loadRuleSet } from '../node/load-rule-set.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { isPolicyId } from '../policies.js';
import type { RuleSet } from '../rule-set.js';
import type { Io } from './io.js';
import { EXIT, rulesDir, UsageError } from './io.js';
import { parseVerb } from './command.js';
import { testSpec } from './test-spec.js';
import { selectPolicies } from './policy-patterns.js';

interface FileCoverage {
  readonly file: string;
  readonly policy: string;
  readonly rules: number;
  readonly decided: number;
  /** Rules no case makes decide, as `rules[3] REV-6.3`. */
  readonly uncovered: readonly string[];
}

/**
 * `sales-policies test [--rules DIR] [--policy ID,PREFIX.*] [--case TEXT] [--min-coverage N]
 * [--verbose] [--allow-empty] [--format text|json]`: runs every case file against the rule set
 * and reports rule coverage (the rules no case makes decide). Prints one line per case file,
 * each failure in full (where expected and actual differ, by path, then the trace), and the
 * totals; `--verbose` lists every case. Nothing to test, a rule set that does not load and a
 * broken case file are findings (exit 1), like failed cases.
 *
 * @example
 * testVerb(['--min-coverage', '100'], io); //=> 0 when every case passes and every rule decides in some case
 */
export function testVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(testSpec, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = values.format ?? 'text';
  const minCoverage = values['min-coverage'] === undefined ? undefined : Number(values['min-coverage']);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100)) throw new UsageError('--min-coverage takes a percentage from 0 to 100');
  const policies = values.policy === undefined ? undefined : selectPolicies('--policy', values.policy);
  const caseName = values.case;
  if (caseName === '') throw new UsageError('--case takes part of a case name');
  const dir = rulesDir(values.rules);
  const folder = readRuleFolder(dir);
  let rules: RuleSet;
  try {
    rules = loadRuleSet(dir);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return brokenRuleSet(error.issues, format, io);
  }
  const run = (policy: string, facts: unknown, options: object) => (evaluate as unknown as Evaluator)(policy, facts, { ...options, rules });

  const results: { file: string; result: CaseResult }[] = [];
  const broken: RuleSetIssue[] = [];
  const files: { file: string; policy: string; passed: number; failed: number }[] = [];
  const decidedByPolicy = new Map<string, Set<number>>();
  for (const [index, file] of folder.cases.entries()) {
    io.progress?.(`testing ${file.path} (${index + 1}/${folder.cases.length})`);
    if (file.parseError !== undefined) {
      broken.push({ code: 'invalid_json', file: file.path, path: '', message: `not JSON: ${file.parseError}` });
      continue;
    }
    let cases: CaseFile;
    try {
      cases = parseCaseFile(file.json, file.path);
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      broken.push(...error.issues);
      continue;
    }
    if (!isPolicyId(cases.policy)) {
      broken.push({ code: 'unknown_policy', file: file.path, path: 'policy', message: `no policy ${safeJson(cases.policy)} exists` });
      continue;
    }
    if (policies !== undefined && !policies.has(cases.policy)) continue;
    const chosen = caseName === undefined ? cases.cases : cases.cases.filter((c) => c.name.includes(caseName));
    if (chosen.length === 0) continue;
    const decided = decidedByPolicy.get(cases.policy) ?? new Set<number>();
    decidedByPolicy.set(cases.policy, decided);
    let failed = 0;
    for (const testCase of chosen) {
      const result = runCase(run, cases.policy, testCase, cases.asOf);
      results.push({ file: file.path, result });
      if (!result.passed) failed++;
      if ('decision' in result.actual) for (const rule of result.actual.decision.trace) if (rule.fired) decided.add(rule.index);
    }
    files.push({ file: file.path, policy: cases.policy, passed: chosen.length - failed, failed });
  }
  io.progress?.('');

  // Coverage over the rules files of the policies tested (all of them without --policy).
  const coverage: FileCoverage[] = folder.rules.flatMap((file) => {
    const policy = (file.json as { policy?: unknown } | undefined)?.policy;
    if (typeof policy !== 'string' || (policies !== undefined && !policies.has(policy))) return [];
    const spec = compileRuleFile(file.json, file.path).spec;
    const decided = decidedByPolicy.get(policy) ?? new Set<number>();
    const uncovered = spec.rules.flatMap((rule, index) => (decided.has(index) ? [] : [`rules[${index}] ${rule.name}`]));
    return [{ file: file.path, policy, rules: spec.rules.length, decided: spec.rules.length - uncovered.length, uncovered }];
  });
  const totalRules = coverage.reduce((n, c) => n + c.rules, 0);
  const totalDecided = coverage.reduce((n, c) => n + c.decided, 0);
  const percent = totalRules === 0 ? 100 : Math.floor((1000 * totalDecided) / totalRules) / 10;
  const failed = results.filter((r) => !r.result.passed);
  const belowCoverage = minCoverage !== undefined && percent < minCoverage;
  const empty = results.length === 0 && values['allow-empty'] !== true;
  const filtered = policies !== undefined || caseName !== undefined;
  const emptyMessage = filtered ? 'no case matches --policy/--case' : `no cases to run: no *.cases.json under ${values.rules ?? 'the bundled rules'}`;

  if (format === 'json') {
    io.out(
      JSON.stringify(
        {
          passed: results.length - failed.length,
          failed: failed.length,
          ...(empty ? { error: `${emptyMessage} (pass --allow-empty to accept)` } : {}),
          brokenCaseFiles: broken,
          files,
          coverage: { percent, rules: totalRules, decided: totalDecided, files: coverage },
          failures: failed.map(({ file, result }) => ({ file, ...result })),
        },
        null,
        2,
      ),
    );
  } else {
    const verbose = values.verbose === true;
    for (const issue of broken) io.out(`✗ ${formatRuleSetIssue(issue)}`);
    for (const f of files) {
      io.out(f.failed === 0 ? `✓ ${f.file}: ${f.passed} case${f.passed === 1 ? '' : 's'} passed` : `✗ ${f.file}: ${f.failed} of ${f.passed + f.failed} failed`);
      if (verbose) for (const { result } of results.filter((r) => r.file === f.file)) io.out(`    ${result.passed ? '✓' : '✗'} ${result.name}`);
    }
    for (const { file, result } of failed) {
      io.out(`\n✗ ${file} › ${result.name}`);
      io.out(formatDifferences(result.differences));
      if ('decision' in result.actual) io.out(explain(result.actual.decision, { rules }).replace(/^/gm, '    '));
      else io.out(`    ${result.actual.error} at ${result.actual.paths.join(', ') || '(no path)'}\n${result.actual.message.replace(/^/gm, '    ')}`);
    }
    if (failed.length > 0) io.out('');
    for (const c of coverage) {
      if (verbose || c.uncovered.length > 0) io.out(`${c.file}: ${c.decided}/${c.rules} rules decide in some case${c.uncovered.length > 0 ? `; never: ${c.uncovered.join(', ')}` : ''}`);
    }
    io.out(`rule coverage ${percent}% (${totalDecided}/${totalRules})${minCoverage === undefined ? '' : `, minimum ${minCoverage}%`}`);
    io.out(`cases: ${results.length - failed.length} passed, ${failed.length} failed${broken.length > 0 ? `; ${broken.length} problem${broken.length === 1 ? '' : 's'} in case files` : ''}`);
    if (empty) io.err(`sales-policies: ${emptyMessage} (pass --allow-empty to accept)`);
  }
  return failed.length > 0 || broken.length > 0 || belowCoverage || empty ? EXIT.findings : EXIT.ok;
}

/**
 * Where a case's expected and actual differ, one path at a time: `-` the expected value, `+` the
 * actual. Our own few lines rather than jest-diff or `diff`: decisions are small JSON objects, and
 * a dotted path per difference (the same paths errors use) says more than a line diff of two
 * pretty-printed blobs, with no dependency for the CLI to carry.
 */
function formatDifferences(differences: readonly Difference[]): string {
  const lines = ['    - expected  + actual'];
  for (const d of differences) {
    const at = d.path === '' ? '(the whole result)' : d.path;
    if (d.kind === 'missing') lines.push(`    ${at}: missing`, `      - ${safeJson(d.expected, 200)}`);
    else if (d.kind === 'unexpected') lines.push(`    ${at}: not expected (the case matches the whole outcome; "match": "partial" checks only the fields given)`, `      + ${safeJson(d.actual, 200)}`);
    else lines.push(`    ${at}:`, `      - ${safeJson(d.expected, 200)}`, `      + ${safeJson(d.actual, 200)}`, ...listChange(d.expected, d.actual));
  }
  return lines.join('\n');
}

/** For two lists of scalars (a route, a basis), the items only one side has: the gist of a long list. */
function listChange(expected: unknown, actual: unknown): string[] {
  if (!Array.isArray(expected) || !Array.isArray(actual)) return [];
  const key = (item: unknown) => JSON.stringify(item);
  const only = (a: readonly unknown[], b: readonly unknown[]) => {
    const left = b.map(key);
    return a.filter((item) => {
      const at = left.indexOf(key(item));
      if (at === -1) return true;
      left.splice(at, 1);
      return false;
    });
  };
  const missing = only(expected, actual);
  const extra = only(actual, expected);
  if (missing.length + extra.length === 0) return ['      (the same items, in another order)'];
  return [`      (${[missing.length > 0 ? `only expected: ${missing.map((i) => safeJson(i, 60)).join(', ')}` : '', extra.length > 0 ? `only actual: ${extra.map((i) => safeJson(i, 60)).join(', ')}` : ''].filter(Boolean).join('; ')})`];
}

function brokenRuleSet(issues: readonly RuleSetIssue[], format: 'text' | 'json', io: Io): number {
  if (format === 'json') io.out(JSON.stringify({ error: 'INVALID_RULE_SET', issues }, null, 2));
  else io.out(`✗ the rule set does not load, so no case can run:\n${issues.map((issue) => `  ${formatRuleSetIssue(issue)}`).join('\n')}`);
  return EXIT.findings;
}
