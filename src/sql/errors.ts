import { SalesPoliciesError } from '../core/errors.js';

/**
 * A policy, rule or option that `toSql` cannot compile to a query that decides exactly as
 * `evaluate` does. It names the feature and, for a rule, where it sits in the rules file; the
 * compiler never writes a query that would decide differently instead.
 *
 * @example
 * try { toSql('review.readiness', { dialect: 'duckdb' }); }
 * catch (e) { if (e instanceof SqlCompileError) console.log(e.code, e.feature); } //=> 'SQL_UNSUPPORTED', 'policy review.readiness'
 */
export class SqlCompileError extends SalesPoliciesError {
  readonly policy: string;
  /** What cannot be compiled, e.g. `operator "lessThan" on the string fact "channel"`. */
  readonly feature: string;
  /** Where, in the rules file's JSON (`rules[3].conditions.all[1]`), when a rule holds it. */
  readonly at: string | undefined;
  constructor(policy: string, feature: string, reason: string, at?: string) {
    super('SQL_UNSUPPORTED', `${policy}: cannot compile ${feature} to SQL${at === undefined ? '' : ` (${at})`}: ${reason}`);
    this.policy = policy;
    this.feature = feature;
    this.at = at;
  }
}
