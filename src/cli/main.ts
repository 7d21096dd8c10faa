import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRuleSetIssue, PolicyInputError, RuleSetError, SalesPoliciesError } from '../core/errors.js';
import { POLICY_IDS } from '../policies.js';
import { SQL_POLICY_IDS } from '../sql/policies.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb, requestedFormat, verbHelp, wantsHelp } from './command.js';
import { demoSpec, demoVerb } from './demo-verb.js';
import { initSpec, initVerb } from './init-verb.js';
import { didYouMean } from '../core/did-you-mean.js';
import { diffSpec, diffVerb } from './diff-verb.js';
import { docsSpec, docsVerb } from './docs-verb.js';
import { evalSpec, evalVerb } from './eval-verb.js';
import { impactSpec, impactVerb } from './impact-verb.js';
import type { Io } from './io.js';
import { EXIT, packageRoot, processIo, UsageError } from './io.js';
import { referenceSpec, referenceVerb } from './reference-verb.js';
import { schemasSpec, schemasVerb } from './schemas-verb.js';
import { sqlSpec, sqlVerb } from './sql-verb.js';
import { testSpec } from './test-spec.js';
import { testVerb } from './test-verb.js';
import { validateSpec, validateVerb } from './validate.js';

const policiesSpec = {
  name: 'policies',
  summary: 'List the policy ids.',
  usage: 'policies [--format text|json]',
  flags: { ...formatFlag(['text', 'json']) },
  examples: ['sales-policies policies', 'sales-policies policies --format json'],
  details: 'JSON: {"policies": [id], "sql": [id the SQL engines cover]}.',
} as const satisfies VerbSpec;

function policiesVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(policiesSpec, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  io.out(values.format === 'json' ? JSON.stringify({ policies: POLICY_IDS, sql: SQL_POLICY_IDS }, null, 2) : POLICY_IDS.join('\n'));
  return EXIT.ok;
}

/** A verb: its spec (parsing, --help, the overview) and what it runs. */
interface Verb {
  readonly spec: VerbSpec;
  readonly run: (args: readonly string[], io: Io) => number | Promise<number>;
}

const VERBS: Readonly<Record<string, Verb>> = {
  eval: { spec: evalSpec, run: evalVerb },
  validate: { spec: validateSpec, run: validateVerb },
  test: { spec: testSpec, run: testVerb },
  init: { spec: initSpec, run: initVerb },
  diff: { spec: diffSpec, run: diffVerb },
  impact: { spec: impactSpec, run: impactVerb },
  docs: { spec: docsSpec, run: docsVerb },
  demo: { spec: demoSpec, run: demoVerb },
  policies: { spec: policiesSpec, run: policiesVerb },
  schemas: { spec: schemasSpec, run: schemasVerb },
  reference: { spec: referenceSpec, run: referenceVerb },
  sql: { spec: sqlSpec, run: sqlVerb },
};

function overview(): string {
  const width = Math.max(...Object.keys(VERBS).map((name) => name.length));
  return `sales-policies: sales-operations procedures as rules as code

Usage: sales-policies <command> [options]     sales-policies <command> --help for its flags and examples

Commands:
${Object.values(VERBS).map(({ spec }) => `  ${spec.name.padEnd(width)}  ${spec.summary}`).join('\n')}

Options: -h, --help   -v, --version

Every deciding command takes --rules DIR (your own rules; default: the bundled ones), --as-of DATE and
--time-zone TZ; every command takes --format json (stable shapes, errors as {"error": {…}} on stdout).
--engine duckdb and sql cover ${SQL_POLICY_IDS.join(', ')}; the DuckDB engine needs the optional peer
dependency @duckdb/node-api.
Exit codes: 0 ok, 1 findings (bad facts, a rule set that does not load or is unsound, failed cases,
changes with --fail-on-change), 2 usage error or unreadable input.
Colour only on a terminal, never with NO_COLOR.
Policies: ${POLICY_IDS.join(', ')}

Example: sales-policies eval review.approval --facts facts.json --explain`;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 *
 * @example
 * main(['eval', 'review.approval', '--facts', 'facts.json']); //=> 0, and the decision on stdout
 */
export function main(argv: readonly string[], io: Io = processIo()): number | Promise<number> {
  const json = requestedFormat(argv.slice(1)) === 'json';
  try {
    const [verb, ...rest] = argv;
    if (verb !== undefined && Object.prototype.hasOwnProperty.call(VERBS, verb)) {
      const { spec, run } = VERBS[verb]!;
      if (wantsHelp(rest)) {
        io.out(verbHelp(spec));
        return EXIT.ok;
      }
      const code = run(rest, io);
      return typeof code === 'number' ? code : code.catch((error: unknown) => report(error, io, json, verb));
    }
    switch (verb) {
      case '--version':
      case '-v':
      case '-V':
        io.out((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
        io.out(overview());
        return verb === undefined ? EXIT.usage : EXIT.ok;
      case 'help': {
        const about = rest[0];
        if (about === undefined) io.out(overview());
        else if (Object.prototype.hasOwnProperty.call(VERBS, about)) io.out(verbHelp(VERBS[about]!.spec));
        else throw new UsageError(`unknown command ${JSON.stringify(about)}${didYouMean(about, Object.keys(VERBS))}`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(verb.startsWith('-') ? `unknown flag ${verb}${didYouMean(verb, ['--help', '--version'])}` : `unknown command ${JSON.stringify(verb)}${didYouMean(verb, Object.keys(VERBS))}`);
    }
  } catch (error) {
    return report(error, io, json, argv[0] !== undefined && Object.prototype.hasOwnProperty.call(VERBS, argv[0]) ? argv[0] : undefined);
  }
}

/**
 * Turns an error into its message (or, with `--format json`, `{"error": {code, message, issues?}}`
 * on stdout) and its exit code: 2 for usage and unreadable input, 1 for findings.
 */
function report(error: unknown, io: Io, json: boolean, verb?: string): number {
  const answer = (code: string, message: string, exit: number, issues?: readonly unknown[]) => {
    if (json) io.out(JSON.stringify({ error: { code, message, ...(issues === undefined ? {} : { issues }) } }, null, 2));
    else io.err(message);
    return exit;
  };
  if (error instanceof UsageError) {
    return answer('USAGE', json ? error.message : `sales-policies: ${error.message}\nRun "sales-policies ${verb === undefined ? '' : `${verb} `}--help" for usage.`, EXIT.usage);
  }
  if (error instanceof PolicyInputError) {
    // Bad facts are findings; a bad --as-of or --time-zone is a usage error.
    return answer(error.code, error.message, error.code === 'INVALID_OPTIONS' ? EXIT.usage : EXIT.findings, error.issues);
  }
  if (error instanceof RuleSetError) {
    // A rule set that does not load is a finding about the rules, as validate's errors are.
    return answer(error.code, json ? error.message : error.issues.map(formatRuleSetIssue).join('\n'), EXIT.findings, error.issues);
  }
  if (error instanceof SalesPoliciesError) return answer(error.code, `sales-policies: ${error.message}`, EXIT.usage);
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
    return answer('UNREADABLE', `sales-policies: ${error.message}`, EXIT.usage); // a file-system error: unreadable input
  }
  throw error;
}
