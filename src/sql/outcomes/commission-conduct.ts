import type { SqlOutcome } from '../outcome.js';
import { sqlTypes } from '../outcome.js';
import { NO_ERROR } from '../query.js';

/**
 * `commission.conduct` in SQL: a collect-all policy, so its outcome is every fired rule's, not the
 * first one's. As conduct.ts: allowed unless a fired rule is a violation; the violations are the
 * ids of those that are, without repeats (each rule's `violation` was checked when the file was
 * compiled).
 *
 * @example
 * COMMISSION_CONDUCT_SQL.id; //=> 'commission.conduct'
 */
export const COMMISSION_CONDUCT_SQL: SqlOutcome = {
  id: 'commission.conduct',
  outcome: ({ dialect, fired }) => {
    const violating = fired.rules.flatMap((rule, position) => (rule.definition.event.params?.['violation'] === true ? [position] : []));
    const types = sqlTypes(dialect);
    return {
      columns: [
        ['allowed', violating.length === 0 ? 'true' : `NOT (${violating.map((position) => fired.fired(position)).join(' OR ')})`],
        [
          'violations',
          dialect.distinctInOrder(dialect.compact(violating.map((position) => `CASE WHEN ${fired.fired(position)} THEN ${dialect.string(fired.rules[position]!.name)} END`))),
          { values: violating.map((position) => fired.rules[position]!.name), list: true },
        ],
      ],
      types: [
        ['allowed', types.boolean],
        ['violations', types.words],
      ],
      basis: fired.names,
      basisValues: fired.nameValues,
      error: NO_ERROR,
    };
  },
};
