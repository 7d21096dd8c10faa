import { existsSync, statSync } from 'node:fs';
import { DEFAULT_TIME_ZONE, timeZoneProblem, dateProblem } from '../core/dates.js';
import { FactsFileError, readFactsFile } from '../node/facts-file.js';
import { loadRuleSet } from '../node/load-rule-set.js';
import type { PolicyId } from '../policies.js';
import type { SqlPolicyId } from '../sql/policies.js';
import { SQL_POLICY_IDS } from '../sql/policies.js';
import type { ImpactReport } from '../toolkit/impact.js';
import { impact, UnreadableRow } from '../toolkit/impact.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb } from './command.js';
import { policyArg } from './deciding.js';
import { impactWithDuckDb } from './impact-duckdb.js';
import { impactMarkdown, impactText } from './impact-format.js';
import { connectPostgres, impactWithPostgres, postgresImpactQuery } from './impact-postgres.js';
import type { Io } from './io.js';
import { EXIT, rulesDir, UsageError } from './io.js';

/**
 * Codes of rows that could not be read from the file at all: a defect of the file, exit 1.
 *
 * @example
 * UNREADABLE.has('INVALID_JSON'); //=> true
 */
export const UNREADABLE = new Set(['INVALID_JSON', 'INVALID_CSV', 'LINE_TOO_LONG']);

/** `sales-policies impact`: its flags, help and examples. */
export const impactSpec = {
  name: 'impact',
  summary: 'What a rule change does to real decisions: every row of a file of historical facts decided under both rule sets, the changes counted.',
  usage: 'impact --base OLD_DIR --rules NEW_DIR --data FILE [--policy ID] [options]',
  flags: {
    base: {
      type: 'string',
      short: 'b',
      value: 'DIR',
      help: 'the rules before the change (default: the bundled rules)',
    },
    rules: {
      type: 'string',
      short: 'r',
      value: 'DIR',
      help: 'the rules after the change (default: the bundled rules)',
    },
    data: {
      type: 'string',
      short: 'd',
      value: 'FILE',
      help: 'historical facts: .ndjson/.jsonl (one object a line) or .csv (a header row)',
    },
    policy: {
      type: 'string',
      short: 'p',
      value: 'ID',
      help: 'the policy the rows are facts of (default: the rows\' "policy" column; one policy per run)',
    },
    id: {
      type: 'string',
      value: 'FIELD',
      help: "the field holding a row's id, shown in examples (default: id; else the row number)",
    },
    'as-of-field': {
      type: 'string',
      value: 'FIELD',
      help: 'the field holding the date each row is decided as of (YYYY-MM-DD), so a dated change shows from its date on',
    },
    'as-of': {
      type: 'string',
      value: 'DATE',
      help: 'decide every row (without --as-of-field date) as on this date (default: today in the time zone)',
    },
    'time-zone': {
      type: 'string',
      value: 'TZ',
      help: 'IANA time zone of calendar dates (default: Asia/Shanghai)',
    },
    examples: {
      type: 'string',
      value: 'N',
      help: 'example ids per transition (default: 5)',
    },
    ...formatFlag(['text', 'json', 'markdown']),
    'fail-on-change': {
      type: 'boolean',
      help: 'exit 1 when any row changes outcome or only one side refuses it (for CI)',
    },
    engine: {
      type: 'string',
      value: 'node|duckdb|postgres',
      choices: ['node', 'duckdb', 'postgres'],
      help: "duckdb: the report computed in embedded DuckDB from both rule sets' SQL (.parquet, .csv, .ndjson; needs @duckdb/node-api); postgres: computed in PostgreSQL over --table (needs pg)",
    },
    table: {
      type: 'string',
      value: 'NAME',
      help: 'postgres: the table or view of history, with "id" and one column per fact as toSql reads them (default: facts)',
    },
    'pg-url': {
      type: 'string',
      value: 'URL',
      help: 'postgres: the connection (default: the PG* environment variables, as psql reads them)',
    },
    'print-sql': {
      type: 'boolean',
      help: 'postgres: print the one query instead of running it (its rows are the report\'s groups)',
    },
  },
  examples: [
    'sales-policies impact --base main-rules --rules rules --data contracts.ndjson --policy review.approval   # the report',
    'sales-policies impact -b main-rules -r rules -d deals.csv --policy commission.allocation --as-of-field signedOn   # money per agent',
    'sales-policies impact -b main-rules -r rules -d history.ndjson --format markdown --fail-on-change   # a pull-request comment',
    'sales-policies impact -b main-rules -r rules --engine postgres --table history.contracts --policy review.approval --as-of 2027-01-01',
  ],
  details:
    'Reports rows decided by both sides, rows whose outcome changes, each (before → after) transition with\n' +
    'its count, basis and first example ids, rows one side refuses (bad facts, a rule gap) and the other\n' +
    'decides, and for commission.allocation the money per agent before, after and the difference (exact fen).\n' +
    'A CSV cell that is true/false/null, a JSON list or object, or a number that prints back as written\n' +
    'becomes that value; an empty cell leaves the fact out. Memory is constant in the rows.\n' +
    'Exit 1 when a rule set does not load, a row cannot be read, or (--fail-on-change) anything changes.\n' +
    'Parquet: --engine duckdb (it also reads CSV and NDJSON, with its own CSV reading: see eval --engine duckdb).\n' +
    'History in PostgreSQL: --engine postgres --table NAME decides every row as of one --as-of date; examples\n' +
    'are the smallest ids. --print-sql prints the query for a DBA to read or run (no connection is made).',
} as const satisfies VerbSpec;

/**
 * `sales-policies impact --base OLD --rules NEW --data FILE`: the impact report, as text,
 * Markdown (for a pull-request comment) or JSON.
 *
 * @example
 * impactVerb(['--base', 'main-rules', '--rules', 'rules', '--data', 'history.ndjson', '--policy', 'review.approval'], io); //=> 0
 */
export async function impactVerb(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerb(impactSpec, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (the policy goes in --policy)`);
  if (values.base === undefined && values.rules === undefined)
    throw new UsageError('impact compares two rule sets: give --base OLD_DIR and/or --rules NEW_DIR (the other defaults to the bundled rules)');
  const engine = values.engine ?? 'node';
  if (engine === 'postgres') refuseFilesOnly(values);
  else if (values.table !== undefined || values['pg-url'] !== undefined || values['print-sql'] === true) throw new UsageError('--table, --pg-url and --print-sql go with --engine postgres');
  const policy = engine === 'node' ? undefined : sqlPolicyArg(values.policy, engine);
  const file = engine === 'postgres' ? undefined : dataFile(values.data, engine);
  const timeZone = values['time-zone'] ?? DEFAULT_TIME_ZONE;
  const zoneProblem = timeZoneProblem(timeZone);
  if (zoneProblem !== undefined) throw new UsageError(`--time-zone: ${zoneProblem}`);
  const asOf = values['as-of'];
  const asOfProblem = asOf === undefined ? undefined : dateProblem(asOf);
  if (asOfProblem !== undefined) throw new UsageError(`--as-of: ${asOfProblem}`);
  const examples = values.examples === undefined ? 5 : Number(values.examples);
  if (!Number.isSafeInteger(examples) || examples < 0) throw new UsageError(`--examples takes a whole number ≥ 0, not ${JSON.stringify(values.examples)}`);
  // Both sides load before a row is read: a side that does not load is exit 1, never a report.
  const base = loadRuleSet(rulesDir(values.base));
  const rules = loadRuleSet(rulesDir(values.rules));
  const dated = { ...(asOf === undefined ? {} : { asOf }), ...(values['as-of-field'] === undefined ? {} : { asOfField: values['as-of-field'] }) };

  const postgres = { table: values.table ?? 'facts', timeZone, examples, ...(asOf === undefined ? {} : { asOf }) };
  if (engine === 'postgres' && values['print-sql'] === true) {
    io.out(postgresImpactQuery(policy!, base, rules, postgres));
    return EXIT.ok;
  }
  let report: ImpactReport;
  try {
    if (engine === 'postgres') {
      const db = await connectPostgres(values['pg-url']);
      try {
        report = await impactWithPostgres(policy!, base, rules, postgres, db.query);
      } finally {
        await db.close();
      }
    } else if (engine === 'duckdb') {
      report = await impactWithDuckDb(policy!, base, rules, file!, { timeZone, examples, idField: values.id ?? 'id', ...dated }, io);
    } else {
      const { policy: chosen, rows } = await withPolicy(readFactsFile(file!), values.policy === undefined ? undefined : policyArg(values.policy));
      report = await impact(chosen, rows, {
        base,
        rules,
        timeZone,
        examples,
        ...dated,
        ...(values.id === undefined ? {} : { idField: values.id }),
        ...(io.progress === undefined ? {} : { onProgress: (n: number) => io.progress!(`${n.toLocaleString('en')} rows`) }),
      });
    }
  } catch (error) {
    if (error instanceof FactsFileError) throw new UsageError(error.message);
    throw error;
  } finally {
    io.progress?.('');
  }
  const sides = {
    base: values.base ?? 'the bundled rules',
    rules: values.rules ?? 'the bundled rules',
    asOf: values['as-of-field'] === undefined ? asOf ?? 'today' : `each row's ${values['as-of-field']}`,
  };
  if (values.format === 'json') io.out(JSON.stringify(report, null, 2));
  else io.out(values.format === 'markdown' ? impactMarkdown(report, sides) : impactText(report, sides));
  const unreadable = Object.entries(report.refusedByBoth).filter(([code]) => UNREADABLE.has(code));
  if (unreadable.length > 0) {
    io.err(`${file ?? values.table}: ${unreadable.map(([code, n]) => `${n} ${code}`).join(', ')} row(s) could not be read`);
    return EXIT.findings;
  }
  if (values['fail-on-change'] === true && (report.changed > 0 || report.refusals.length > 0)) return EXIT.findings;
  return EXIT.ok;
}

/** `--policy` for an engine that computes in SQL: given, and one `toSql` covers. */
function sqlPolicyArg(given: string | undefined, engine: string): SqlPolicyId {
  if (given === undefined) throw new UsageError(`--engine ${engine} needs --policy ID (the data may hold no "policy" column)`);
  const policy = policyArg(given);
  if (!(SQL_POLICY_IDS as readonly string[]).includes(policy)) throw new UsageError(`--engine ${engine} covers ${SQL_POLICY_IDS.join(', ')}; not ${JSON.stringify(given)}`);
  return policy as SqlPolicyId;
}

/** `--data`: a file there is, of a format the engine reads. */
function dataFile(file: string | undefined, engine: string): string {
  if (file === undefined) throw new UsageError('impact needs --data FILE (.ndjson or .csv)');
  if (!existsSync(file)) throw new UsageError(`--data: no file ${JSON.stringify(file)}`);
  if (statSync(file).isDirectory()) throw new UsageError(`--data takes a file, ${JSON.stringify(file)} is a folder`);
  if (/\.parquet$/i.test(file) && engine !== 'duckdb') throw new UsageError('--data: Parquet is read only by --engine duckdb');
  return file;
}

/** What `--engine postgres` cannot take: it reads a table whose key is `id`, every row as of one date. */
function refuseFilesOnly(values: { readonly data?: string | undefined; readonly id?: string | undefined; readonly 'as-of-field'?: string | undefined }): void {
  if (values.data !== undefined) throw new UsageError('--engine postgres reads --table NAME, not --data FILE');
  if (values.id !== undefined) throw new UsageError('--engine postgres reads the table\'s "id" column, as toSql does: give --id to a view that renames it');
  // Each parameter version would need its own date range of rows: one run per version's dates (a view per range) does it today.
  if (values['as-of-field'] !== undefined) throw new UsageError('--engine postgres decides every row as of one --as-of date: for rows dated across rule versions, run once per version over a view of its dates, or use --engine duckdb');
}

/**
 * The policy of the run (`--policy`, else the first row's `policy` column) and the rows with
 * that column taken out; a row naming another policy is refused by both sides (`OTHER_POLICY`).
 *
 * @example
 * const { policy, rows } = await withPolicy(readFactsFile('history.ndjson'), undefined); // policy from the first row
 */
export async function withPolicy(rows: AsyncGenerator<unknown>, given: PolicyId | undefined): Promise<{ policy: PolicyId; rows: AsyncGenerator<unknown> }> {
  const first = await rows.next();
  let policy = given;
  if (policy === undefined) {
    const named = first.done === true ? undefined : (first.value as { policy?: unknown } | null)?.policy;
    if (typeof named !== 'string') throw new UsageError('impact needs --policy ID, or a "policy" column in the data naming it');
    policy = policyArg(named);
  }
  const chosen = policy;
  let row = 0;
  const strip = (value: unknown): unknown => {
    row++;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof UnreadableRow || !Object.prototype.hasOwnProperty.call(value, 'policy'))
      return value;
    const { policy: named, ...facts } = value as Record<string, unknown>;
    if (named !== chosen) return new UnreadableRow('OTHER_POLICY', `row ${row}: policy ${JSON.stringify(named)}, not ${chosen}: one policy per run`, row);
    return facts;
  };
  async function* all(): AsyncGenerator<unknown> {
    if (first.done === true) return;
    yield strip(first.value);
    for await (const value of rows) yield strip(value);
  }
  return { policy: chosen, rows: all() };
}
