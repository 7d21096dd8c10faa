/**
 * The rules at warehouse scale: `toSql` compiles a policy's rules (with the parameters in force
 * on a date) to one DuckDB or PostgreSQL query over a `facts` table, deciding every row as
 * `evaluate` would. Its own entry point, so the root bundle does not carry the compiler.
 *
 * @example
 * import { toSql } from 'sales-policies/sql';
 * const sql = toSql('review.approval', { dialect: 'postgres', asOf: '2026-01-01' });
 *
 * @packageDocumentation
 */
export { compileSql, toSql } from './to-sql.js';
export type { SqlColumn, SqlFactColumn, SqlQuery, ToSqlOptions } from './to-sql.js';
export type { FactKind } from './facts.js';
export { SQL_DIALECTS } from './dialect.js';
export type { SqlDialect } from './dialect.js';
export { SQL_POLICY_IDS } from './policies.js';
export type { SqlPolicyId } from './policies.js';
export { SqlCompileError } from './errors.js';
