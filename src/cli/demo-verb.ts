import type { CaseResult, Evaluator } from '../core/cases.js';
import { parseCaseFile, runCase } from '../core/cases.js';
import { RuleSetError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { colours } from './colour.js';
import type { VerbSpec } from './command.js';
import { DECIDING_FLAGS, formatFlag, parseVerb } from './command.js';
import { decidingFrom, policyArg } from './deciding.js';
import { decisionJson } from './decision-json.js';
import type { Io } from './io.js';
import { EXIT, rulesDir, UsageError } from './io.js';

/** How many decisions per policy the summary explains. */
const EXAMPLES_PER_POLICY = 1;

/** `sales-policies demo`: its flags, help and examples. */
export const demoSpec = {
  name: 'demo',
  summary: 'Run the example cases and explain decisions: by default one example per policy and the count; --all explains every case.',
  usage: 'demo [policy…] [--all] [--rules DIR] [--as-of DATE] [--lang en|zh]',
  flags: {
    all: { type: 'boolean', short: 'a', help: 'explain every case, not one example per policy' },
    ...DECIDING_FLAGS,
    lang: { type: 'string', short: 'l', value: 'en|zh', choices: ['en', 'zh'], help: 'language of the explanations (default: en)' },
    ...formatFlag(['text', 'json']),
  },
  examples: ['sales-policies demo                        # one explained example per policy, then "425 cases: 425 as expected"', 'sales-policies demo review.approval --all   # every approval case, explained', 'sales-policies demo --rules our-rules --lang zh'],
  details:
    'Cases that do not come out as expected are always shown in full; exit 1 when there is one.\n' +
    'JSON: {"cases", "asExpected", "files": [{"file", "policy", "cases", "asExpected", "shown": [{"name", "passed", "decision"?, "error"?}]}]}.',
} as const satisfies VerbSpec;

interface FileRun {
  readonly file: string;
  readonly policy: string;
  readonly results: readonly CaseResult[];
}

/**
 * `sales-policies demo [policy…] [--all]`: evaluates the example cases (the bundled ones, or
 * `--rules DIR`'s) and explains what they decide: a summary a person reads in one screen, or
 * every case with `--all`.
 *
 * @example
 * demoVerb(['review.approval'], io); //=> 0, one explained approval and "31 cases: 31 as expected"
 */
export function demoVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(demoSpec, args);
  const wanted = new Set<string>(positionals.map(policyArg));
  const deciding = decidingFrom(values);
  const lang = values.lang ?? 'en';
  const rules = deciding.rules;
  const options: EvaluateOptions = { timeZone: deciding.timeZone, ...(rules === undefined ? {} : { rules }) };
  const runs: FileRun[] = [];
  for (const file of readRuleFolder(rulesDir(values.rules)).cases) {
    if (file.parseError !== undefined) throw new RuleSetError([{ code: 'invalid_json', file: file.path, path: '', message: `not JSON: ${file.parseError}` }]);
    const cases = parseCaseFile(file.json, file.path);
    if (wanted.size > 0 && !wanted.has(cases.policy)) continue;
    const defaultAsOf = cases.asOf ?? (deciding.asOfGiven ? deciding.asOf : undefined);
    const results = cases.cases.map((testCase) => runCase(evaluate as unknown as Evaluator, cases.policy, testCase, defaultAsOf, options));
    runs.push({ file: file.path, policy: cases.policy, results });
  }
  if (wanted.size > 0 && runs.length === 0) throw new UsageError(`no case file for ${[...wanted].join(', ')} under ${values.rules ?? 'the bundled rules'}`);
  const shown = (run: FileRun) => (values.all === true ? run.results : [...examples(run.results), ...run.results.filter((r) => !r.passed)]);
  const total = runs.reduce((n, run) => n + run.results.length, 0);
  const passed = runs.reduce((n, run) => n + run.results.filter((r) => r.passed).length, 0);

  if (values.format === 'json') {
    const files = runs.map((run) => ({
      file: run.file,
      policy: run.policy,
      cases: run.results.length,
      asExpected: run.results.filter((r) => r.passed).length,
      shown: shown(run).map((r) => ({ name: r.name, passed: r.passed, ...('decision' in r.actual ? { decision: decisionJson(r.actual.decision, true) } : { error: r.actual }) })),
    }));
    io.out(JSON.stringify({ cases: total, asExpected: passed, files }, null, 2));
    return passed === total ? EXIT.ok : EXIT.findings;
  }
  const c = colours(io);
  for (const run of runs) {
    const ok = run.results.filter((r) => r.passed).length;
    io.out(`\n${c.bold(`━━ ${run.policy}`)} ${c.dim(`(${run.file}: ${run.results.length} cases, ${ok === run.results.length ? 'all as expected' : `${run.results.length - ok} not as expected`})`)}`);
    for (const result of shown(run)) {
      io.out(`\n${result.passed ? c.green('✓') : c.red('✗ NOT AS EXPECTED:')} ${result.name}`);
      if (!result.passed) io.out(`expected ${JSON.stringify(result.expected)}`);
      io.out('decision' in result.actual ? explain(result.actual.decision, { lang, ...(rules === undefined ? {} : { rules }) }) : `refused (${result.actual.error}):\n${result.actual.message}`);
    }
  }
  const summary = `${total} cases: ${passed} as expected${passed === total ? '' : `, ${total - passed} not`}`;
  io.out(`\n${passed === total ? c.green(summary) : c.red(summary)}${values.all === true ? '' : c.dim('   (sales-policies demo --all explains every case)')}`);
  return passed === total ? EXIT.ok : EXIT.findings;
}

/** The first passing decisions of a file, each resting on a different basis from the ones before. */
function examples(results: readonly CaseResult[]): CaseResult[] {
  const picked: CaseResult[] = [];
  const bases = new Set<string>();
  for (const result of results) {
    if (picked.length === EXAMPLES_PER_POLICY) break;
    if (!result.passed || !('decision' in result.actual)) continue;
    const basis = result.actual.decision.basis.join(',');
    if (bases.has(basis)) continue;
    bases.add(basis);
    picked.push(result);
  }
  return picked;
}
