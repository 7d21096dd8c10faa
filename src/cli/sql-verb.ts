import { SQL_DIALECTS } from '../sql/dialect.js';
import type { SqlPolicyId } from '../sql/policies.js';
import { compileSql } from '../sql/to-sql.js';
import type { Io } from './io.js';
import type { VerbSpec } from './command.js';
import { DECIDING_FLAGS, formatFlag, parseVerb } from './command.js';
import { decidingFrom, policyArg } from './deciding.js';
import { EXIT, UsageError } from './io.js';

/** `sales-policies sql`: its flags, help and examples. */
export const sqlSpec = {
  name: 'sql',
  summary: 'Print a policy as one SQL query over a "facts" table (DuckDB or PostgreSQL), as toSql writes it.',
  usage: 'sql <policy> --dialect duckdb|postgres [--rules DIR] [--as-of DATE] [--time-zone TZ]',
  flags: {
    dialect: { type: 'string', value: SQL_DIALECTS.join('|'), choices: SQL_DIALECTS, help: 'the SQL dialect' },
    ...DECIDING_FLAGS,
    ...formatFlag(['text', 'json']),
  },
  examples: ['sales-policies sql review.approval --dialect postgres --as-of 2026-01-01 > approval.sql'],
  details: 'JSON: {"policy", "dialect", "sql", "inputs": [{name, kind}], "outputs": [{name, type}]}.',
} as const satisfies VerbSpec;

/**
 * `sales-policies sql POLICY --dialect duckdb|postgres [--as-of DATE] [--time-zone TZ] [--rules DIR]`:
 * prints the one query that decides the policy over a `facts` table, as `toSql` writes it.
 *
 * @example
 * sqlVerb(['review.approval', '--dialect', 'postgres', '--as-of', '2026-01-01'], io); //=> 0, the query on stdout
 */
export function sqlVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(sqlSpec, args);
  const [given, ...extra] = positionals;
  if (given === undefined) throw new UsageError('sql needs a policy id');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const policy = policyArg(given);
  if (values.dialect === undefined) throw new UsageError(`sql needs --dialect ${SQL_DIALECTS.join('|')}`);
  const deciding = decidingFrom({ ...values, 'as-of': undefined });
  const query = compileSql(policy as SqlPolicyId, {
    dialect: values.dialect,
    ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    timeZone: deciding.timeZone,
    ...(deciding.rules === undefined ? {} : { rules: deciding.rules }),
  });
  if (values.format === 'json') io.out(JSON.stringify({ policy, dialect: values.dialect, sql: query.sql, inputs: query.inputs, outputs: query.outputs }, null, 2));
  else io.out(`${query.sql};`);
  return EXIT.ok;
}
