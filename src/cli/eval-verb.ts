import { readFileSync } from 'node:fs';
import type { Evaluator } from '../core/cases.js';
import type { EvaluateOptions } from '../core/policy.js';
import { evaluate } from '../evaluate.js';
import { explain } from '../explain.js';
import type { VerbSpec } from './command.js';
import { DECIDING_FLAGS, formatFlag, parseVerb } from './command.js';
import { decisionJson } from './decision-json.js';
import { decidingFrom, policyArg } from './deciding.js';
import { evalWithDuckDb } from './duckdb-engine.js';
import type { Io } from './io.js';
import { DEFAULT_MAX_LINE_BYTES, EXIT, UsageError } from './io.js';
import { stripBom } from '../node/json-text.js';
import { evalNdjson } from './ndjson.js';

/** `sales-policies eval`: its flags, help and examples. */
export const evalSpec = {
  name: 'eval',
  summary: 'Decide one policy: one set of facts (--facts), a stream of JSON lines (--ndjson), or a Parquet/CSV/NDJSON file in DuckDB (--engine duckdb).',
  usage: 'eval <policy> (--facts FILE|- | --ndjson | --engine duckdb --input FILE --output FILE) [options]',
  flags: {
    facts: { type: 'string', value: 'FILE|-', help: 'the facts as one JSON object; - reads standard input' },
    ndjson: { type: 'boolean', help: 'one facts object per line on stdin, one decision per line on stdout, each with its "line" and "id"' },
    id: { type: 'string', value: 'FIELD', help: 'with --ndjson or --engine duckdb: the field holding a row\'s id, passed through as "id" (default: id; else the line number)' },
    'fail-fast': { type: 'boolean', help: 'with --ndjson: stop at the first bad line' },
    'max-line-bytes': { type: 'string', value: 'N', help: 'with --ndjson: a longer line is reported (LINE_TOO_LONG) and skipped, never read (default: 64 MB)' },
    ...DECIDING_FLAGS,
    'no-trace': { type: 'boolean', help: 'leave the trace out (faster; "basis" still names the rules)' },
    ...formatFlag(['json', 'text']),
    explain: { type: 'boolean', short: 'e', help: 'print the explanation a person reads (same as --format text)' },
    lang: { type: 'string', short: 'l', value: 'en|zh', choices: ['en', 'zh'], help: 'language of the explanation (default: en)' },
    engine: { type: 'string', value: 'node|duckdb', choices: ['node', 'duckdb'], help: 'duckdb: compile the policy to SQL and run it in embedded DuckDB (needs @duckdb/node-api)' },
    input: { type: 'string', short: 'i', value: 'FILE', help: 'with --engine duckdb: the facts, .parquet, .csv or .ndjson' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'with --engine duckdb: where the decisions go, .parquet, .csv or .ndjson' },
  },
  examples: [
    'sales-policies eval review.approval --facts facts.json --as-of 2026-01-01   # the decision as JSON',
    'echo \'{"clause":"price"}\' | sales-policies eval review.arbitration --facts - --explain --lang zh',
    'sales-policies eval review.approval --rules our-rules --facts facts.json     # with your own rules',
    'sales-policies eval review.approval --ndjson --no-trace < facts.ndjson > decisions.ndjson',
    'sales-policies eval commission.allocation --engine duckdb --input deals.parquet --output decisions.parquet',
  ],
  details:
    'Prints the decision as JSON ({policy, asOf, outcome, basis, trace, warnings?}; --no-trace leaves "trace" out),\n' +
    'or its explanation with --explain. Bad facts: every issue, exit 1 (with --format json, as {"error": {…}} on stdout).',
} as const satisfies VerbSpec;

/**
 * `sales-policies eval POLICY …`: one decision, a stream of them, or a file of them in DuckDB.
 *
 * @example
 * evalVerb(['review.approval', '--facts', 'facts.json', '--rules', 'our-rules'], io); //=> 0, the decision on stdout
 */
export function evalVerb(args: readonly string[], io: Io): number | Promise<number> {
  const { values, positionals } = parseVerb(evalSpec, args);
  const [given, ...extra] = positionals;
  if (given === undefined) throw new UsageError('eval needs a policy id ("sales-policies policies" lists them)');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const policy = policyArg(given);
  if (values.explain === true && values.format === 'json') throw new UsageError('--explain prints text: leave out --format json');
  const deciding = decidingFrom({ ...values, 'as-of': undefined });
  const options: EvaluateOptions = {
    // evaluate checks the date itself, against the versions of the rules it uses.
    ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    timeZone: deciding.timeZone,
    trace: values['no-trace'] !== true,
    ...(deciding.rules === undefined ? {} : { rules: deciding.rules }),
  };
  if (values.engine === 'duckdb') {
    for (const flag of ['facts', 'ndjson', 'fail-fast', 'no-trace', 'explain', 'lang', 'format'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--engine duckdb reads --input and writes --output: leave out --${flag}`);
    }
    if (values.input === undefined || values.output === undefined) throw new UsageError('--engine duckdb needs --input FILE and --output FILE (.parquet, .csv or .ndjson)');
    const { trace: _trace, ...sqlOptions } = options;
    return evalWithDuckDb(policy, sqlOptions, values.input, values.output, io, values.id ?? 'id');
  }
  for (const flag of ['input', 'output'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --engine duckdb`);
  }
  if (values.ndjson === true) {
    if (values.facts !== undefined || values.explain === true || values.format === 'text') throw new UsageError('--ndjson reads standard input and writes JSON lines: leave out --facts, --explain and --format text');
    return evalNdjson(policy, options, values['fail-fast'] === true, io, { idField: values.id ?? 'id', maxLineBytes: maxLineBytes(values['max-line-bytes']) });
  }
  for (const flag of ['fail-fast', 'id', 'max-line-bytes'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --ndjson${flag === 'id' ? ' or --engine duckdb' : ''}`);
  }
  if (values.facts === undefined) throw new UsageError('eval needs --facts FILE (or --facts - for standard input), or --ndjson');
  const facts = readJson(values.facts, io);
  const decision = (evaluate as unknown as Evaluator)(policy, facts, options);
  const text = values.explain === true || values.format === 'text';
  io.out(text ? explain(decision, { lang: values.lang ?? 'en', ...(deciding.rules === undefined ? {} : { rules: deciding.rules }) }) : JSON.stringify(decisionJson(decision, options.trace !== false), null, 2));
  return EXIT.ok;
}

function maxLineBytes(flag: string | undefined): number {
  if (flag === undefined) return DEFAULT_MAX_LINE_BYTES;
  const bytes = Number(flag);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`--max-line-bytes takes a whole number of bytes ≥ 1, not ${JSON.stringify(flag)}`);
  return bytes;
}

function readJson(source: string, io: Io): unknown {
  let text: string;
  try {
    text = source === '-' ? io.stdin() : readFileSync(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source === '-' ? 'standard input' : source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(stripBom(text));
  } catch (error) {
    throw new UsageError(`${source === '-' ? 'standard input' : source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
