import type { CaseFile, CaseResult, Evaluator } from '../core/cases.js';
import { parseCaseFile, runCase } from '../core/cases.js';
import { compileRuleFile } from '../core/compile.js';
import { RuleSetError } from '../core/errors.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import { readRuleFolder, ruleSetOf } from '../node/rule-folder.js';
import { isPolicyId } from '../policies.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, parseVerbArgs, rulesDir, UsageError } from './io.js';

interface FileCoverage {
  readonly file: string;
  readonly policy: string;
  readonly rules: number;
  readonly decided: number;
  /** Rules no case makes decide, as `rules[3] REV-6.3`. */
  readonly uncovered: readonly string[];
}

/**
 * `sales-policies test [--rules DIR] [--min-coverage N] [--format text|json]`: runs every case
 * file against the rule set and reports rule coverage: the rules no case makes decide.
 *
 * @example
 * testVerb(['--min-coverage', '100'], io); //=> 0 when every case passes and every rule decides in some case
 */
export function testVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { rules: { type: 'string' }, 'min-coverage': { type: 'string' }, format: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = oneOfFlag('--format', values.format, ['text', 'json'], 'text');
  const minCoverage = values['min-coverage'] === undefined ? undefined : Number(values['min-coverage']);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100)) throw new UsageError('--min-coverage takes a percentage from 0 to 100');
  const folder = readRuleFolder(rulesDir(values.rules));
  const rules = ruleSetOf(folder);
  const run = (policy: string, facts: unknown, options: object) => (evaluate as unknown as Evaluator)(policy, facts, { ...options, rules });

  const results: { file: string; result: CaseResult }[] = [];
  const decidedByPolicy = new Map<string, Set<number>>();
  for (const [index, file] of folder.cases.entries()) {
    io.progress?.(`testing ${file.path} (${index + 1}/${folder.cases.length})`);
    if (file.parseError !== undefined) throw new UsageError(`${file.path} is not JSON: ${file.parseError}`);
    let cases: CaseFile;
    try {
      cases = parseCaseFile(file.json, file.path);
    } catch (error) {
      if (error instanceof RuleSetError) throw new UsageError(error.message);
      throw error;
    }
    if (!isPolicyId(cases.policy)) throw new UsageError(`${file.path}: no policy ${JSON.stringify(cases.policy)} exists`);
    const decided = decidedByPolicy.get(cases.policy) ?? new Set<number>();
    decidedByPolicy.set(cases.policy, decided);
    for (const testCase of cases.cases) {
      const result = runCase(run, cases.policy, testCase, cases.asOf);
      results.push({ file: file.path, result });
      if ('decision' in result.actual) for (const rule of result.actual.decision.trace) if (rule.fired) decided.add(rule.index);
    }
  }
  io.progress?.('');

  const coverage: FileCoverage[] = folder.rules.flatMap((file) => {
    const policy = (file.json as { policy?: unknown } | undefined)?.policy;
    if (typeof policy !== 'string') return [];
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

  if (format === 'json') {
    io.out(JSON.stringify({ passed: results.length - failed.length, failed: failed.length, coverage: { percent, rules: totalRules, decided: totalDecided, files: coverage }, failures: failed.map(({ file, result }) => ({ file, ...result })) }, null, 2));
  } else {
    for (const { file, result } of failed) {
      io.out(`✗ ${file} › ${result.name}`);
      io.out(`  expected ${JSON.stringify(result.expected)}`);
      if ('decision' in result.actual) {
        io.out(`  actual   ${JSON.stringify({ outcome: result.actual.decision.outcome, basis: result.actual.decision.basis })}`);
        io.out(explain(result.actual.decision, { rules }).replace(/^/gm, '    '));
      } else io.out(`  actual   ${result.actual.error} at ${result.actual.paths.join(', ') || '(no path)'}\n${result.actual.message.replace(/^/gm, '    ')}`);
    }
    for (const c of coverage) io.out(`${c.file}: ${c.decided}/${c.rules} rules decide in some case${c.uncovered.length > 0 ? `; never: ${c.uncovered.join(', ')}` : ''}`);
    io.out(`rule coverage ${percent}% (${totalDecided}/${totalRules})${minCoverage === undefined ? '' : `, minimum ${minCoverage}%`}`);
    io.out(`cases: ${results.length - failed.length} passed, ${failed.length} failed`);
  }
  return failed.length > 0 || belowCoverage ? EXIT.findings : EXIT.ok;
}
