import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Evaluator } from '../core/cases.js';
import { parseCaseFile, runCase } from '../core/cases.js';
import { formatRuleSetIssue, PolicyInputError, RuleSetError, SalesPoliciesError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import { isPolicyId, POLICY_IDS } from '../policies.js';
import { diffVerb } from './diff-verb.js';
import { docsVerb } from './docs-verb.js';
import { initVerb } from './init-verb.js';
import { evalNdjson } from './ndjson.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, packageRoot, parseVerbArgs, processIo, rulesDir, UsageError } from './io.js';
import { schemasVerb } from './schemas-verb.js';
import { evalWithDuckDb } from './duckdb-engine.js';
import { sqlVerb } from './sql-verb.js';
import { readRuleFolder, ruleSetOf } from '../node/rule-folder.js';
import { SQL_POLICY_IDS } from '../sql/policies.js';
import { testVerb } from './test-verb.js';
import { validateVerb } from './validate.js';

const HELP = `sales-policies: sales-operations procedures as rules as code

Usage:
  sales-policies eval <policy> --facts <file|-> [--as-of DATE] [--time-zone TZ] [--no-trace] [--explain [--lang en|zh]]
  sales-policies eval <policy> --ndjson [--fail-fast] [--as-of DATE] [--no-trace] < facts.ndjson > decisions.ndjson
  sales-policies eval <policy> --engine duckdb --input facts.parquet|.csv|.ndjson --output decisions.parquet|.csv|.ndjson [--as-of DATE] [--rules DIR]
  sales-policies sql <policy> --dialect duckdb|postgres [--as-of DATE] [--rules DIR]   print the policy as one SQL query
  sales-policies init [DIR] [--policies ID,PREFIX.*] [--force]   copy the bundled rules into DIR (default rules) to own
  sales-policies validate [--rules DIR] [--format text|json|github] [--strict]
  sales-policies test [--rules DIR] [--min-coverage N] [--format text|json]
  sales-policies diff OLD_DIR NEW_DIR [--as-of DATE] [--format text|json|markdown] [--fail-on-change]
  sales-policies docs [--rules DIR] [--as-of DATE] [--lang en|zh] [--html FILE]
  sales-policies demo [--lang en|zh]      evaluate every bundled example case and explain each decision
  sales-policies policies                 list the policy ids
  sales-policies schemas --out DIR        write the JSON Schemas of rules and case files
  sales-policies --help | --version

Without --rules, the verbs use the rules bundled with the package. --engine duckdb and sql cover
${SQL_POLICY_IDS.join(', ')}; the DuckDB engine needs the optional peer dependency @duckdb/node-api.
Exit codes: 0 ok, 1 findings (bad facts, unsound rules, failed cases, changes with --fail-on-change),
2 usage or unreadable input.
Policies: ${POLICY_IDS.join(', ')}`;

const VERBS: Readonly<Record<string, (args: readonly string[], io: Io) => number | Promise<number>>> = {
  eval: evalVerb,
  validate: validateVerb,
  test: testVerb,
  init: initVerb,
  diff: diffVerb,
  docs: docsVerb,
  demo: demoVerb,
  schemas: schemasVerb,
  sql: sqlVerb,
  policies: (_args, io) => {
    io.out(POLICY_IDS.join('\n'));
    return EXIT.ok;
  },
};

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 *
 * @example
 * main(['eval', 'review.approval', '--facts', 'facts.json']); //=> 0, and the decision on stdout
 */
export function main(argv: readonly string[], io: Io = processIo()): number | Promise<number> {
  try {
    const [verb, ...rest] = argv;
    if (verb !== undefined && Object.prototype.hasOwnProperty.call(VERBS, verb)) {
      const code = VERBS[verb]!(rest, io);
      return typeof code === 'number' ? code : code.catch((error: unknown) => report(error, io));
    }
    switch (verb) {
      case '--version':
      case '-v':
        io.out((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return verb === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(verb)}`);
    }
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof UsageError) {
    io.err(`sales-policies: ${error.message}\nRun "sales-policies --help" for usage.`);
    return EXIT.usage;
  }
  if (error instanceof PolicyInputError) {
    io.err(error.message);
    // Bad facts are findings; a bad --as-of or --time-zone is a usage error.
    return error.code === 'INVALID_OPTIONS' ? EXIT.usage : EXIT.findings;
  }
  if (error instanceof RuleSetError) {
    io.err(error.issues.map(formatRuleSetIssue).join('\n'));
    return EXIT.usage;
  }
  if (error instanceof SalesPoliciesError) {
    io.err(`sales-policies: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
    io.err(`sales-policies: ${error.message}`); // a file-system error: unreadable input
    return EXIT.usage;
  }
  throw error;
}

function evalVerb(args: readonly string[], io: Io): number | Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    facts: { type: 'string' },
    ndjson: { type: 'boolean' },
    'fail-fast': { type: 'boolean' },
    'as-of': { type: 'string' },
    'time-zone': { type: 'string' },
    'no-trace': { type: 'boolean' },
    explain: { type: 'boolean' },
    lang: { type: 'string' },
    engine: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    rules: { type: 'string' },
  });
  const [policy, ...extra] = positionals;
  if (policy === undefined) throw new UsageError('eval needs a policy id');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (!isPolicyId(policy)) throw new UsageError(`unknown policy ${JSON.stringify(policy)}: known policies are ${POLICY_IDS.join(', ')}`);
  const options: EvaluateOptions = {
    ...(typeof values['as-of'] === 'string' ? { asOf: values['as-of'] } : {}),
    ...(typeof values['time-zone'] === 'string' ? { timeZone: values['time-zone'] } : {}),
    trace: values['no-trace'] !== true,
  };
  const engine = oneOfFlag('--engine', values.engine, ['node', 'duckdb'], 'node');
  if (engine === 'duckdb') {
    for (const flag of ['facts', 'ndjson', 'fail-fast', 'no-trace', 'explain', 'lang'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--engine duckdb reads --input and writes --output: leave out --${flag}`);
    }
    if (typeof values.input !== 'string' || typeof values.output !== 'string') throw new UsageError('--engine duckdb needs --input FILE and --output FILE (.parquet, .csv or .ndjson)');
    const { trace: _trace, ...sqlOptions } = options;
    return evalWithDuckDb(policy, { ...sqlOptions, ...(values.rules === undefined ? {} : { rules: ruleSetOf(readRuleFolder(rulesDir(values.rules))) }) }, values.input, values.output, io);
  }
  for (const flag of ['input', 'output', 'rules'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --engine duckdb`);
  }
  if (values.ndjson === true) {
    if (values.facts !== undefined || values.explain === true) throw new UsageError('--ndjson reads standard input and writes JSON lines: leave out --facts and --explain');
    return evalNdjson(policy, options, values['fail-fast'] === true, io);
  }
  if (values['fail-fast'] === true) throw new UsageError('--fail-fast goes with --ndjson');
  if (typeof values.facts !== 'string') throw new UsageError('eval needs --facts <file> (or --facts - for standard input), or --ndjson');
  const lang = oneOfFlag('--lang', values.lang, ['en', 'zh'], 'en');
  const facts = readJson(values.facts, io);
  const decision = (evaluate as unknown as Evaluator)(policy, facts, options);
  io.out(values.explain === true ? explain(decision, { lang }) : JSON.stringify(decision, null, 2));
  return EXIT.ok;
}

function demoVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { lang: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const lang = oneOfFlag('--lang', values.lang, ['en', 'zh'], 'en');
  const root = packageRoot();
  let passed = 0;
  let failed = 0;
  const paths = readdirSync(join(root, 'rules'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cases.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const path of paths) {
    const file = relative(root, path);
    const cases = parseCaseFile(JSON.parse(readFileSync(path, 'utf8')), file);
    io.out(`\n━━ ${file} (${cases.cases.length} cases)`);
    for (const testCase of cases.cases) {
      const result = runCase(evaluate as unknown as Evaluator, cases.policy, testCase, cases.asOf);
      if (result.passed) passed++;
      else failed++;
      io.out(`\n${result.passed ? '✓' : '✗ FAILED:'} ${testCase.name}`);
      io.out('decision' in result.actual ? explain(result.actual.decision, { lang }) : `refused (${result.actual.error}):\n${result.actual.message}`);
    }
  }
  io.out(`\n${passed + failed} cases: ${passed} as expected, ${failed} not`);
  return failed === 0 ? EXIT.ok : EXIT.findings;
}

function readJson(source: string, io: Io): unknown {
  let text: string;
  try {
    text = source === '-' ? io.stdin() : readFileSync(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source === '-' ? 'standard input' : source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source === '-' ? 'standard input' : source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
