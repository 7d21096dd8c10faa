import { readRuleFolder, ruleSetOf } from '../node/rule-folder.js';
import { isPolicyId, POLICY_IDS } from '../policies.js';
import { SQL_DIALECTS } from '../sql/dialect.js';
import type { SqlPolicyId } from '../sql/policies.js';
import { compileSql } from '../sql/to-sql.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, parseVerbArgs, rulesDir, UsageError } from './io.js';

/**
 * `sales-policies sql POLICY --dialect duckdb|postgres [--as-of DATE] [--time-zone TZ] [--rules DIR]`:
 * prints the one query that decides the policy over a `facts` table, as `toSql` writes it.
 *
 * @example
 * sqlVerb(['review.approval', '--dialect', 'postgres', '--as-of', '2026-01-01'], io); //=> 0, the query on stdout
 */
export function sqlVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, {
    dialect: { type: 'string' },
    'as-of': { type: 'string' },
    'time-zone': { type: 'string' },
    rules: { type: 'string' },
  });
  const [policy, ...extra] = positionals;
  if (policy === undefined) throw new UsageError('sql needs a policy id');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (!isPolicyId(policy)) throw new UsageError(`unknown policy ${JSON.stringify(policy)}: known policies are ${POLICY_IDS.join(', ')}`);
  if (values.dialect === undefined) throw new UsageError(`sql needs --dialect ${SQL_DIALECTS.join('|')}`);
  const dialect = oneOfFlag('--dialect', values.dialect, SQL_DIALECTS, 'duckdb');
  const query = compileSql(policy as SqlPolicyId, {
    dialect,
    ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    ...(values['time-zone'] === undefined ? {} : { timeZone: values['time-zone'] }),
    ...(values.rules === undefined ? {} : { rules: ruleSetOf(readRuleFolder(rulesDir(values.rules))) }),
  });
  io.out(`${query.sql};`);
  return EXIT.ok;
}
