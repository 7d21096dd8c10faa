import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCase } from '../core/cases.js';
import type { Evaluator } from '../core/cases.js';
import { parseCaseFile } from '../core/cases.js';
import { formatRuleSetIssue, PolicyInputError, RuleSetError, SalesPoliciesError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import { isPolicyId, POLICY_IDS } from '../policies.js';

/** Exit codes shared by every verb: 0 ok, 1 findings (bad facts, failed cases), 2 usage or unreadable input. */
const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const HELP = `sales-policies: sales-operations procedures as rules as code

Usage:
  sales-policies eval <policy> --facts <file|-> [--as-of DATE] [--time-zone TZ] [--no-trace] [--explain [--lang en|zh]]
  sales-policies demo [--lang en|zh]      evaluate every bundled example case and explain each decision
  sales-policies policies                 list the policy ids
  sales-policies --help | --version

Exit codes: 0 ok, 1 findings (bad facts, failed cases), 2 usage or unreadable input.
Policies: ${POLICY_IDS.join(', ')}`;

class UsageError extends Error {}

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: () => string;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 *
 * @example
 * main(['eval', 'review.approval', '--facts', 'facts.json']); //=> 0, and the decision on stdout
 */
export function main(argv: readonly string[], io: Io = processIo()): number {
  try {
    const [verb, ...rest] = argv;
    switch (verb) {
      case 'eval':
        return evalVerb(rest, io);
      case 'demo':
        return demoVerb(rest, io);
      case 'policies':
        io.out(POLICY_IDS.join('\n'));
        return EXIT.ok;
      case '--version':
      case '-v':
        io.out(packageVersion());
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
    throw error;
  }
}

function evalVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, {
    facts: { type: 'string' },
    'as-of': { type: 'string' },
    'time-zone': { type: 'string' },
    'no-trace': { type: 'boolean' },
    explain: { type: 'boolean' },
    lang: { type: 'string' },
  });
  const [policy, ...extra] = positionals;
  if (policy === undefined) throw new UsageError('eval needs a policy id');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (!isPolicyId(policy)) throw new UsageError(`unknown policy ${JSON.stringify(policy)}: known policies are ${POLICY_IDS.join(', ')}`);
  if (typeof values.facts !== 'string') throw new UsageError('eval needs --facts <file> (or --facts - for standard input)');
  const lang = readLang(values.lang);
  const facts = readJson(values.facts, io);
  const options: EvaluateOptions = {
    ...(typeof values['as-of'] === 'string' ? { asOf: values['as-of'] } : {}),
    ...(typeof values['time-zone'] === 'string' ? { timeZone: values['time-zone'] } : {}),
    trace: values['no-trace'] !== true,
  };
  const decision = (evaluate as unknown as Evaluator)(policy, facts, options);
  io.out(values.explain === true ? explain(decision, { lang }) : JSON.stringify(decision, null, 2));
  return EXIT.ok;
}

function demoVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { lang: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const lang = readLang(values.lang);
  const rulesDir = bundledRulesDir();
  let passed = 0;
  let failed = 0;
  for (const path of filesEndingIn(rulesDir, '.cases.json')) {
    const file = relative(join(rulesDir, '..'), path);
    const cases = parseCaseFile(JSON.parse(readFileSync(path, 'utf8')), file);
    io.out(`\n━━ ${file} (${cases.cases.length} cases)`);
    for (const testCase of cases.cases) {
      const result = runCase(evaluate as unknown as Evaluator, cases.policy, testCase, cases.asOf);
      result.passed ? passed++ : failed++;
      io.out(`\n${result.passed ? '✓' : '✗ FAILED:'} ${testCase.name}`);
      io.out('decision' in result.actual ? explain(result.actual.decision, { lang }) : `refused (${result.actual.error}):\n${result.actual.message}`);
    }
  }
  io.out(`\n${passed + failed} cases: ${passed} as expected, ${failed} not`);
  return failed === 0 ? EXIT.ok : EXIT.findings;
}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function readLang(lang: unknown): 'en' | 'zh' {
  if (lang === undefined || lang === 'en' || lang === 'zh') return lang ?? 'en';
  throw new UsageError(`--lang takes en or zh, not ${JSON.stringify(lang)}`);
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

/** The package root: `dist/cli.js` sits one level below it, `src/cli/main.ts` two. */
function packageRoot(): string {
  for (const up of ['../', '../../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
  }
  throw new UsageError('cannot find the bundled rules folder next to this program');
}

function bundledRulesDir(): string {
  return join(packageRoot(), 'rules');
}

function filesEndingIn(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdin: () => readFileSync(0, 'utf8'),
  };
}
