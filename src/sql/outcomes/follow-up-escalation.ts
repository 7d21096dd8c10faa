import type { RuleFile } from '../../core/rule-file.js';
import type { Dialect } from '../dialect.js';
import type { FactReader, RowCheck, SqlValue } from '../facts.js';
import { column, enumFact } from '../facts.js';
import type { SqlOutcome } from '../outcome.js';
import { sqlTypes } from '../outcome.js';
import { NO_ERROR } from '../query.js';

// followUp.escalation's facts schema is a union on `event` (then on `complaintSeverity` for a
// complaint): each variant takes its own facts and refuses the others. What SQL needs of it that
// the rules file's `facts` block cannot say is here; the values are the block's.

/** Which variants read each optional fact (the others refuse it), and where it is read. */
const SCOPE: Readonly<Record<string, { readonly variants: readonly string[]; readonly here: string }>> = {
  complaintSeverity: { variants: ['minor', 'major'], here: 'a complaint' },
  resolvedByDepartments: { variants: ['major'], here: 'a major complaint (FUP-4.2.4; a minor one is relayed as feedback whatever the departments did, D-FUP-1)' },
  compensationRequested: { variants: ['force_majeure'], here: 'force_majeure (FUP-4.2.6; the source does not say how a compensation claim is handled after any other event)' },
  anomaly: { variants: ['booking_anomaly'], here: 'a booking_anomaly (FUP-006.5)' },
  service: { variants: ['booking_anomaly'], here: 'a booking_anomaly (FUP-006.5)' },
};

const valuesOf = (spec: RuleFile, fact: string): readonly string[] => spec.facts[fact]?.values ?? [];
const expected = (values: readonly string[]) => `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;

function escalationFacts(dialect: Dialect, spec: RuleFile): Readonly<Record<string, FactReader>> {
  const event = enumFact(dialect, 'event', valuesOf(spec, 'event'), true);
  const raw = (fact: string) => column.raw(fact);
  const asText = (fact: string) => dialect.toText(raw(fact));
  const is = (value: string) => `${column.read('event', 't')} = ${dialect.string(value)}`;
  const severity = asText('complaintSeverity');
  const severities = valuesOf(spec, 'complaintSeverity');
  // The variants, by name, as SQL: the three events, and a complaint's two severities.
  const variant: Readonly<Record<string, { readonly when: string; readonly here: string }>> = {
    order_change: { when: is('order_change'), here: 'an order_change' },
    minor: { when: `${is('complaint')} AND ${severity} = 'minor'`, here: 'a minor complaint' },
    major: { when: `${is('complaint')} AND ${severity} = 'major'`, here: 'a complaint' },
    force_majeure: { when: is('force_majeure'), here: 'force_majeure' },
    booking_anomaly: { when: is('booking_anomaly'), here: 'a booking_anomaly' },
  };
  const check = (fact: string, when: string, message: string): RowCheck => ({ when, code: 'INVALID_FACTS', path: dialect.string(fact), message });
  const refuse = (name: string): RowCheck[] =>
    Object.keys(SCOPE)
      .filter((fact) => !SCOPE[fact]!.variants.includes(name))
      .map((fact) => check(fact, `${variant[name]!.when} AND ${raw(fact)} IS NOT NULL`, `${fact} does not apply to ${variant[name]!.here}: it is read only for ${SCOPE[fact]!.here}; leave it out`));
  const required = (fact: string, values: readonly string[]): RowCheck[] => [
    check(fact, `${is('booking_anomaly')} AND ${raw(fact)} IS NULL`, `required: ${expected(values)}`),
    check(fact, `${is('booking_anomaly')} AND ${asText(fact)} NOT IN (${values.map(dialect.string).join(', ')})`, expected(values)),
  ];
  const checks: RowCheck[] = [
    ...event.checks,
    check('complaintSeverity', `${is('complaint')} AND ${raw('complaintSeverity')} IS NULL`, `required for a complaint: expected ${severities.map((v) => JSON.stringify(v)).join(' or ')}`),
    check('complaintSeverity', `${is('complaint')} AND ${severity} NOT IN (${severities.map(dialect.string).join(', ')})`, `expected ${severities.map((v) => JSON.stringify(v)).join(' or ')}`),
    ...refuse('order_change'),
    ...refuse('minor'),
    check(
      'resolvedByDepartments',
      `${variant['major']!.when} AND ${raw('resolvedByDepartments')} IS NULL`,
      'required for a major complaint: did the departments concerned resolve it? An unknown outcome is neither resolved nor unresolved',
    ),
    ...refuse('major'),
    ...refuse('force_majeure'),
    ...required('anomaly', valuesOf(spec, 'anomaly')),
    ...required('service', valuesOf(spec, 'service')),
    ...refuse('booking_anomaly'),
  ];
  const types = sqlTypes(dialect);
  const optional = (fact: string, type: SqlValue['type'], sql: string, kind: string): FactReader => ({
    type: kind,
    kind: { type: type === 'boolean' ? 'boolean' : 'string' },
    read: [[raw(fact), raw(fact)]],
    checks: [],
    normalise: [[column.value(fact), sql]],
    value: { type, sql: column.value(fact), nullable: true, isNull: 'false' },
  });
  const bool = (fact: string) => `CAST(${raw(fact)} AS BOOLEAN)`;
  const words = (fact: string) => valuesOf(spec, fact).join(' | ');
  return {
    event: { ...event, checks },
    complaintSeverity: optional('complaintSeverity', 'string', severity, `${types.text}: ${words('complaintSeverity')}, for a complaint`),
    resolvedByDepartments: optional('resolvedByDepartments', 'boolean', bool('resolvedByDepartments'), `${types.boolean}, for a major complaint`),
    compensationRequested: optional('compensationRequested', 'boolean', `CASE WHEN ${is('force_majeure')} THEN COALESCE(${bool('compensationRequested')}, false) END`, `${types.boolean}, for force_majeure, NULL = false`),
    anomaly: optional('anomaly', 'string', asText('anomaly'), `${types.text}: ${words('anomaly')}, for a booking_anomaly`),
    service: optional('service', 'string', asText('service'), `${types.text}: ${words('service')}, for a booking_anomaly`),
  };
}

/**
 * `followUp.escalation` in SQL: its facts (a union of variants, see above), and its collect-all
 * outcome: each fired rule adds its actions (without repeats) and names the owner, the last fired
 * rule's (every rule's event was checked when the file was compiled).
 *
 * @example
 * FOLLOW_UP_ESCALATION_SQL.id; //=> 'followUp.escalation'
 */
export const FOLLOW_UP_ESCALATION_SQL: SqlOutcome = {
  id: 'followUp.escalation',
  facts: escalationFacts,
  variants: (spec) => [
    { fact: 'event', values: valuesOf(spec, 'event') },
    { fact: 'complaintSeverity', values: valuesOf(spec, 'complaintSeverity'), when: { fact: 'event', value: 'complaint' } },
  ],
  outcome: ({ dialect, fired, policy }) => {
    const params = fired.rules.map((rule) => rule.definition.event.params as { readonly actions: readonly string[]; readonly owner: string });
    const actions = params.flatMap((p, position) => p.actions.map((action) => `CASE WHEN ${fired.fired(position)} THEN ${dialect.string(action)} END`));
    const owners = params.map((p, position) => `WHEN ${fired.fired(position)} THEN ${dialect.string(p.owner)}`).reverse();
    const types = sqlTypes(dialect);
    return {
      columns: [
        ['actions', dialect.distinctInOrder(dialect.compact(actions)), { values: params.flatMap((p) => p.actions), list: true }],
        ['owner', owners.length === 0 ? NO_ERROR : `CASE ${owners.join(' ')} END`, { values: params.map((p) => p.owner), list: false }],
      ],
      types: [
        ['actions', types.words],
        ['owner', types.word],
      ],
      basis: fired.names,
      basisValues: fired.nameValues,
      error: `CASE WHEN ${fired.first} = -1 THEN ${dialect.string(`RULE_GAP: ${policy}: no rule gives an action for these facts`)} END`,
    };
  },
};
