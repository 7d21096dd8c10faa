import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { EvaluateOptions } from '../core/policy.js';
import type { PolicyId } from '../policies.js';
import { duckdbString, sqlIdentifier } from '../sql/dialect.js';
import type { SqlFactColumn, SqlQuery } from '../sql/to-sql.js';
import { compileSql } from '../sql/to-sql.js';
import type { Io } from './io.js';
import { blankLines, lineOfRow } from './blank-lines.js';
import { EXIT, UsageError } from './io.js';

/** File formats the DuckDB engine reads and writes, by extension. */
const FORMATS: Readonly<Record<string, 'parquet' | 'csv' | 'ndjson'>> = { '.parquet': 'parquet', '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/** The part of @duckdb/node-api this engine uses (loaded only here, so the package does not need it otherwise). */
interface DuckDb {
  readonly DuckDBInstance: {
    create(path: string): Promise<{
      connect(): Promise<DuckDbConnection>;
      closeSync(): void;
    }>;
  };
}
/** The part of a DuckDB connection the engines use. */
export interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }>;
  start(sql: string): Promise<{ getResult(): Promise<unknown> }>;
  readonly progress: { readonly percentage: number };
  closeSync(): void;
}

/**
 * Loads the optional peer dependency @duckdb/node-api, or says how to install it.
 *
 * @example
 * const instance = await (await loadDuckDb()).DuckDBInstance.create(':memory:');
 */
export async function loadDuckDb(): Promise<DuckDb> {
  try {
    const name = '@duckdb/node-api';
    return (await import(name)) as DuckDb;
  } catch (error) {
    throw new UsageError(
      `--engine duckdb needs the optional peer dependency @duckdb/node-api, which is not installed (npm install @duckdb/node-api): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function formatOf(flag: string, path: string): 'parquet' | 'csv' | 'ndjson' {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) throw new UsageError(`${flag} ${JSON.stringify(path)}: the DuckDB engine reads and writes .parquet, .csv and .ndjson (or .jsonl) files`);
  return format;
}

/**
 * `sales-policies eval POLICY --engine duckdb --input FILE --output FILE`: the policy compiled to
 * SQL (`toSql`) and run by embedded DuckDB over a Parquet, CSV or NDJSON file of facts, one
 * decision row per fact row. Rows whose facts evaluate would refuse get an `error` and no
 * outcome; the exit code is then 1, as with `--ndjson`. Progress goes to stderr on a terminal.
 *
 * @example
 * // sales-policies eval review.approval --engine duckdb --input facts.parquet --output decisions.parquet
 */
export async function evalWithDuckDb(policy: PolicyId, options: EvaluateOptions, input: string, output: string, io: Io, idField = 'id'): Promise<number> {
  const inputFormat = formatOf('--input', input);
  const outputFormat = formatOf('--output', output);
  if (!existsSync(input)) throw new UsageError(`--input: no file ${JSON.stringify(input)}`);
  const query = compileSql(policy, { dialect: 'duckdb', ...options });
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // DuckDB tracks a query's progress only with its progress bar on; it must not print it itself.
    if (io.progress !== undefined) await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    await connection.run(`CREATE TEMPORARY VIEW "facts" AS ${await factsView(connection, query, input, inputFormat, idField)}`);
    const decided = sqlIdentifier('decided');
    const hidden = (field: string) => `q."id".${sqlIdentifier(field)}`;
    const shown = (name: string) => (outputFormat === 'csv' && /\[\]$|^STRUCT|^jsonb/.test(query.outputs.find((o) => o.name === name)!.type) ? `to_json(${sqlIdentifier(name)})` : sqlIdentifier(name));
    // The same join keys as `--ndjson`: the input's line (row) number, then the row's id.
    // Parquet and CSV are tables: one flat column per outcome field. NDJSON is written line by line
    // in the shape `--ndjson --no-trace` writes (ndjsonLine), one JSON text per row.
    const select =
      outputFormat === 'ndjson'
        ? [`${ndjsonLine(query, hidden, decided)} AS "line"`]
        : [
            `${hidden('line')} AS "line"`,
            `${hidden('id')} AS "id"`,
            ...query.outputs.filter((o) => o.name !== 'error').map((o) => `CASE WHEN ${decided} IS NULL THEN ${shown(o.name)} END AS ${sqlIdentifier(o.name)}`),
            `${decided} AS "error"`,
          ];
    // One VARCHAR column of JSON text, written unquoted as CSV: each row is one JSON line (JSON text holds no raw line break).
    const copy = `COPY (
  SELECT ${select.join(',\n    ')}
  FROM (SELECT *, COALESCE(q."id"."input_error", q."error", q."id"."late_error") AS ${decided} FROM (\n${query.sql}\n) AS q) AS q
  ORDER BY q."id"."n"
) TO ${duckdbString(output)} (${outputFormat === 'parquet' ? 'FORMAT PARQUET' : outputFormat === 'csv' ? 'FORMAT CSV, HEADER' : "FORMAT CSV, HEADER false, QUOTE '', ESCAPE ''"})`;
    const pending = await connection.start(copy);
    const timer = io.progress === undefined ? undefined : setInterval(() => io.progress?.(`${policy}: ${Math.max(0, connection.progress.percentage).toFixed(0)}% of ${input}`), 250);
    try {
      await pending.getResult();
    } finally {
      if (timer !== undefined) clearInterval(timer);
      io.progress?.('');
    }
    const written = duckdbString(output);
    const summarised =
      outputFormat === 'ndjson'
        ? `SELECT count(*) AS "rows", count("error") AS "errors", min("error") AS "example" FROM (SELECT json_extract_string("json", '$.error.code') || ' ' || COALESCE(json_extract_string("json", '$.error.issues[0].path') || ': ' || json_extract_string("json", '$.error.issues[0].message'), json_extract_string("json", '$.error.message')) AS "error" FROM read_ndjson_objects(${written}))`
        : `SELECT count(*) AS "rows", count("error") AS "errors", min("error") FILTER (WHERE "error" IS NOT NULL) AS "example" FROM ${outputFormat === 'parquet' ? 'read_parquet' : 'read_csv'}(${written})`;
    const [summary] = (await connection.runAndReadAll(summarised)).getRowObjectsJson();
    const rows = Number(summary?.['rows'] ?? 0);
    const errors = Number(summary?.['errors'] ?? 0);
    io.err(`${rows} rows: ${rows - errors} decided, ${errors} refused${errors > 0 ? ` (e.g. ${String(summary?.['example'])})` : ''}; decisions in ${output}`);
    return errors > 0 ? EXIT.findings : EXIT.ok;
  } catch (error) {
    // DuckDB refusing the input (a line that is not JSON, a corrupt parquet file): its message names the file, and the line or row.
    if (error instanceof UsageError || !(error instanceof Error)) throw error;
    const message = error.message.length > 500 ? `${error.message.slice(0, 500)}…` : error.message;
    io.err(`sales-policies: DuckDB cannot read ${input}: ${message}`);
    return EXIT.usage;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * One NDJSON output line as SQL, in the shape `eval --ndjson --no-trace` writes: `{line, id,
 * policy, asOf, outcome, basis}` for a decided row (outcome fields that are NULL, absent in the
 * outcome, left out; amounts as decimal strings, as evaluate gives them), `{line, id, error}` for
 * a refused one, where `error` is `{code, issues: [{path, message}]}` for bad facts and `{code,
 * message}` otherwise. `json_merge_patch` onto `{}` drops the members that are NULL.
 */
function ndjsonLine(query: SqlQuery, hidden: (field: string) => string, decided: string): string {
  const when = (value: string) => `CASE WHEN ${decided} IS NULL THEN ${value} END`;
  const fields = query.outputs.filter((o) => o.name !== 'error' && o.name !== 'basis');
  const outcome = `json_object(${fields.map((o) => `${duckdbString(o.name)}, ${decimalsAsText(sqlIdentifier(o.name), o.type)}`).join(', ')})`;
  const error = `CASE WHEN starts_with(${decided}, 'INVALID_FACTS ')
    THEN json_object('code', 'INVALID_FACTS', 'issues', json_array(json_object('path', regexp_extract(${decided}, '(?s)^INVALID_FACTS (.*?): ', 1), 'message', regexp_extract(${decided}, '(?s)^INVALID_FACTS .*?: (.*)$', 1))))
    ELSE json_object('code', regexp_extract(${decided}, '^([A-Z_]+)', 1), 'message', regexp_replace(${decided}, '(?s)^[A-Z_]+:? ', '')) END`;
  const line = [
    `'line', ${hidden('line')}`,
    `'id', ${hidden('id')}`,
    `'policy', ${when(duckdbString(query.policy))}`,
    `'asOf', ${when(duckdbString(query.asOf))}`,
    `'outcome', ${when(outcome)}`,
    `'basis', ${when(sqlIdentifier('basis'))}`,
    `'error', CASE WHEN ${decided} IS NOT NULL THEN ${error} END`,
  ];
  return `CAST(json_merge_patch('{}', json_object(${line.join(', ')})) AS VARCHAR)`;
}

/** A column with its DECIMAL members as text (`5000.00`), the way evaluate writes money; lists of structs member by member. */
function decimalsAsText(column: string, type: string): string {
  if (type.startsWith('DECIMAL')) return `CAST(${column} AS VARCHAR)`;
  const struct = /^STRUCT\((.*)\)\[\]$/.exec(type);
  if (struct === null || !struct[1]!.includes('DECIMAL')) return column;
  const members = struct[1]!.split(/,\s*(?![^()]*\))/).map((member) => /^(\w+)\s+(.*)$/.exec(member.trim())!);
  const packed = members.map(([, name, memberType]) => `${sqlIdentifier(name!)} := ${memberType!.startsWith('DECIMAL') ? `CAST(s.${sqlIdentifier(name!)} AS VARCHAR)` : `s.${sqlIdentifier(name!)}`}`);
  return `list_transform(${column}, lambda s: struct_pack(${packed.join(', ')}))`;
}

/**
 * The `facts` view over the input file. Its `id` is a struct the query passes through untouched:
 * the row's own id (the `id` column, else its position), its position (to keep the file's
 * order), and the errors of values the file holds that the SQL's column types cannot (a JSON
 * `null` where evaluate wants a boolean, a field no fact has, a JSON number beyond 2^53, …).
 * With `asOfField`, that column is no fact: its text rides in the struct as `asOf`.
 *
 * @example
 * await connection.run(`CREATE TEMPORARY VIEW "facts" AS ${await factsView(connection, query, 'deals.csv', 'csv', 'id')}`);
 */
export async function factsView(connection: DuckDbConnection, query: SqlQuery, input: string, format: 'parquet' | 'csv' | 'ndjson', idField: string, asOfField?: string): Promise<string> {
  const facts = query.inputs;
  if (format === 'ndjson') return ndjsonView(query, input, idField, await blankLines(input), asOfField);
  const source = format === 'parquet' ? `read_parquet(${duckdbString(input)})` : `read_csv(${duckdbString(input)}, header = true, all_varchar = true, allow_quoted_nulls = false)`;
  const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson().map((row) => String(row['column_name']));
  const known = new Set(facts.map((fact) => fact.name));
  const unknown = columns.filter((name) => name !== idField && name !== asOfField && !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(`${input}: ${unknown.map((name) => JSON.stringify(name)).join(', ')} ${unknown.length === 1 ? 'is not a fact' : 'are not facts'} of ${query.policy}; its facts are ${facts.map((f) => f.name).join(', ')} (and an optional ${JSON.stringify(idField)})`);
  }
  const present = new Set(columns);
  const checks: string[] = [];
  const values = facts.map((fact) => {
    const column = sqlIdentifier(fact.name);
    if (!present.has(fact.name)) return `NULL AS ${column}`;
    if (format === 'parquet') return column;
    // CSV: every cell is text, read as the Node reader reads it (readFactsFile): an empty cell is a
    // missing fact (NULL), `""` the empty text, `null` null; booleans true or false, lists and objects as JSON.
    const wrong = (expected: string) => duckdbString(`INVALID_FACTS ${fact.name}: expected ${expected}`);
    switch (fact.kind.type) {
      case 'boolean':
        checks.push(`WHEN ${column} NOT IN ('true', 'false') THEN ${duckdbString(`INVALID_FACTS ${fact.name}: expected boolean (true or false)`)}`);
        return `CASE ${column} WHEN 'true' THEN true WHEN 'false' THEN false END AS ${column}`;
      case 'list':
      case 'object':
        checks.push(`WHEN NOT json_valid(${column}) OR ${column} = 'null' THEN ${duckdbString(`INVALID_FACTS ${fact.name}: expected ${fact.kind.type === 'list' ? 'a list' : 'an object'} written as JSON`)}`);
        if (fact.kind.type === 'object') checks.push(...memberChecks(fact, `CAST(${column} AS JSON)`));
        return `CASE WHEN json_valid(${column}) THEN CAST(${column} AS JSON) END AS ${column}`;
      case 'string':
        // The Node reader reads null, true, false, a number or JSON as that value, not as text.
        checks.push(`WHEN ${csvNotText(column)} THEN ${wrong('string')}`);
        return column;
      case 'nullableString':
        checks.push(`WHEN ${column} <> 'null' AND ${csvNotText(column)} THEN ${wrong('string or null')}`);
        return `NULLIF(${column}, 'null') AS ${column}`;
      default:
        return column;
    }
  });
  const csv = format === 'csv';
  const id = present.has(idField) ? (csv ? `COALESCE(${sqlIdentifier(idField)}, CAST(row_number() OVER () AS VARCHAR))` : sqlIdentifier(idField)) : 'row_number() OVER ()';
  const asOf = asOfField === undefined ? '' : `, 'asOf': ${present.has(asOfField) ? (csv ? `NULLIF(${sqlIdentifier(asOfField)}, 'null')` : `CAST(${sqlIdentifier(asOfField)} AS VARCHAR)`) : 'CAST(NULL AS VARCHAR)'}`;
  // As in NDJSON (see ndjsonView): an empty cell of a nullable fact is a missing fact, which
  // evaluate may refuse (SqlQuery.absentChecks); `null` is null.
  const absent = csv ? query.absentChecks.filter((check) => present.has(check.fact) && present.has(check.when.fact)) : [];
  const late = absent.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${absent.map((check) => `WHEN ${sqlIdentifier(check.fact)} IS NULL AND ${sqlIdentifier(check.when.fact)} = ${duckdbString(check.when.value)} THEN ${duckdbString(`INVALID_FACTS ${check.fact}: ${check.message}`)}`).join(' ')} END`;
  return `SELECT {'id': ${id}, 'n': row_number() OVER (), 'line': row_number() OVER (), 'input_error': ${checks.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${checks.join(' ')} END`}, 'late_error': ${late}${asOf}} AS "id",
  ${values.join(',\n  ')}
FROM ${source}`;
}

/**
 * A CSV cell the Node reader reads as something else than text: `null`, `true`, `false`, JSON
 * (a list or object), or a number that prints back as written in JavaScript (at most 15
 * significant digits, no exponent: below 1e21, not below 1e-6).
 */
function csvNotText(column: string): string {
  const number = [
    `regexp_full_match(${column}, '-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?')`,
    `${column} <> '-0'`,
    `length(ltrim(regexp_replace(${column}, '[-.]', '', 'g'), '0')) <= 15`,
    `length(split_part(ltrim(${column}, '-'), '.', 1)) <= 21`,
    `NOT regexp_matches(${column}, '^-?0\\.0{6}')`,
  ];
  return `(${column} IN ('null', 'true', 'false') OR (regexp_matches(${column}, '^[[{]') AND json_valid(${column})) OR (${number.join(' AND ')}))`;
}

/** JSON type names as DuckDB's json_type gives them. */
const NUMBER_TYPES = "('BIGINT', 'UBIGINT', 'DOUBLE')";

/** Object members that are null or of the wrong JSON type: the SQL reads a null member as absent, evaluate refuses it. */
function memberChecks(fact: SqlFactColumn, json: string): string[] {
  if (fact.kind.type !== 'object') return [];
  return Object.entries(fact.kind.members).map(([member, type]) => {
    const path = duckdbString(`$.${member}`);
    return `WHEN json_type(${json}) = 'OBJECT' AND json_type(${json}, ${path}) = 'NULL' THEN ${duckdbString(`INVALID_FACTS ${fact.name}.${member}: expected ${type}`)}`;
  });
}

/**
 * NDJSON: each line is read as one JSON object, so that a missing field and a `null` stay apart,
 * unknown fields are refused per line (as evaluate refuses them), and every value is checked
 * against the JSON type evaluate takes before it becomes a column.
 */
function ndjsonView(query: SqlQuery, input: string, idField: string, blanks: readonly number[], asOfField?: string): string {
  const facts = query.inputs;
  const line = '"json"';
  const member = (name: string) => `json_extract(${line}, ${duckdbString(`$.${JSON.stringify(name)}`)})`;
  const type = (name: string) => `json_type(${member(name)})`;
  const names = [...facts.map((fact) => fact.name), idField, ...(asOfField === undefined ? [] : [asOfField])];
  const text = (name: string) => `json_extract_string(${line}, ${duckdbString(`$.${JSON.stringify(name)}`)})`;
  // Facts schemas that are unions: until the facts that choose the variant are valid, evaluate
  // reports only them, so a line's other checks wait for them. Each level is valid when its fact
  // holds one of its values (or, for a level that chooses only after another value, does not choose).
  const levels = query.variants.map((variant) => {
    const valid = `${text(variant.fact)} IN (${variant.values.map(duckdbString).join(', ')})`;
    return { fact: variant.fact, valid: variant.when === undefined ? valid : `(${text(variant.when.fact)} <> ${duckdbString(variant.when.value)} OR ${valid})` };
  });
  // `AND <the levels before this fact are valid>`, for the checks that wait for the variant.
  const chosen = (fact?: string) => {
    const level = levels.findIndex((l) => l.fact === fact);
    const before = level === -1 ? levels : levels.slice(0, level);
    return before.map((l) => ` AND ${l.valid}`).join('');
  };
  const checks: string[] = [
    `WHEN json_type(${line}) <> 'OBJECT' THEN 'INVALID_FACTS : expected an object'`,
    `WHEN true${chosen()} AND len(list_filter(json_keys(${line}), lambda k: k NOT IN (${names.map(duckdbString).join(', ')}))) > 0 THEN 'INVALID_FACTS ' || list_filter(json_keys(${line}), lambda k: k NOT IN (${names.map(duckdbString).join(', ')}))[1] || ': unknown field'`,
  ];
  const values = facts.map((fact) => {
    const column = sqlIdentifier(fact.name);
    const value = member(fact.name);
    const wrong = (expected: string) => duckdbString(`INVALID_FACTS ${fact.name}: expected ${expected}`);
    switch (fact.kind.type) {
      case 'decimal':
        checks.push(
          `WHEN ${value} IS NOT NULL AND ${type(fact.name)} NOT IN ('VARCHAR', ${NUMBER_TYPES.slice(1, -1)})${chosen(fact.name)} THEN ${wrong('a number or a decimal string')}`,
          `WHEN ${type(fact.name)} IN ${NUMBER_TYPES} AND abs(CAST(${value} AS DOUBLE)) >= 9007199254740992${chosen(fact.name)} THEN ${duckdbString(`INVALID_FACTS ${fact.name}: a number must be below 2^53 in magnitude; give larger amounts as strings`)}`,
        );
        return `CASE WHEN ${type(fact.name)} = 'VARCHAR' THEN json_extract_string(${value}, '$') WHEN ${type(fact.name)} IN ${NUMBER_TYPES} THEN CAST(${value} AS VARCHAR) END AS ${column}`;
      case 'boolean':
        checks.push(`WHEN ${value} IS NOT NULL AND ${type(fact.name)} <> 'BOOLEAN'${chosen(fact.name)} THEN ${wrong('boolean')}`);
        return `CASE WHEN ${type(fact.name)} = 'BOOLEAN' THEN CAST(${value} AS BOOLEAN) END AS ${column}`;
      case 'string':
      case 'nullableString':
        if (fact.kind.type === 'string') checks.push(`WHEN ${value} IS NOT NULL AND ${type(fact.name)} <> 'VARCHAR'${chosen(fact.name)} THEN ${wrong('string')}`);
        else checks.push(`WHEN ${value} IS NOT NULL AND ${type(fact.name)} NOT IN ('VARCHAR', 'NULL')${chosen(fact.name)} THEN ${wrong('string or null')}`);
        return `CASE WHEN ${type(fact.name)} = 'VARCHAR' THEN json_extract_string(${value}, '$') END AS ${column}`;
      default:
        if (fact.kind.type === 'object') checks.push(...memberChecks(fact, value));
        return `${value} AS ${column}`;
    }
  });
  // The SQL reads a NULL nullable fact as null; in a JSON line a missing one is something else,
  // which evaluate may refuse (see SqlQuery.absentChecks). Reported only when nothing else is wrong, as evaluate's derive does.
  const absent = query.absentChecks.map(
    (check) => `WHEN ${member(check.fact)} IS NULL AND ${text(check.when.fact)} = ${duckdbString(check.when.value)} THEN ${duckdbString(`INVALID_FACTS ${check.fact}: ${check.message}`)}`,
  );
  const late = absent.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${absent.join(' ')} END`;
  // DuckDB skips blank lines: number each row by its line in the file, as --ndjson does.
  const fileLine = lineOfRow('"row#"', blanks);
  const asOf = asOfField === undefined ? '' : `, 'asOf': json_extract_string(${line}, ${duckdbString(`$.${JSON.stringify(asOfField)}`)})`;
  return `SELECT {'id': COALESCE(${member(idField)}, CAST(${fileLine} AS JSON)), 'n': "row#", 'line': ${fileLine}, 'input_error': CASE ${checks.join('\n    ')} END, 'late_error': ${late}${asOf}} AS "id",
  ${values.join(',\n  ')}
FROM (SELECT "json", row_number() OVER () AS "row#" FROM read_ndjson_objects(${duckdbString(input)}))`;
}
