import { ALLOCATION_STATUSES, RULING_AUTHORITIES } from '../commission/index.js';
import type { CompiledRule } from '../core/compile.js';
import { Dec } from '../core/money.js';
import { RuleGapError, safeJson } from '../core/errors.js';
import type { PolicyContext, PolicyResult } from '../core/policy.js';
import { FOLLOW_UP_ACTIONS, FOLLOW_UP_OWNERS } from '../follow-up/index.js';
import type { Dialect } from './dialect.js';
import { SqlCompileError } from './errors.js';
import type { FactReader, RowCheck, SqlValue } from './facts.js';
import { column, decimalFact, duplicateCheck, enumFact, flagFact, identifierFact, identifierListFact, objectFact } from './facts.js';
import type { Domain, FiredRules, Stage } from './query.js';
import { caseOfHit, COLUMN, errorText, NO_ERROR } from './query.js';

/**
 * The policies `toSql` compiles: those whose decision is a function of one row's facts.
 *
 * @example
 * SQL_POLICY_IDS.includes('review.approval'); //=> true
 */
export const SQL_POLICY_IDS = ['review.approval', 'review.arbitration', 'commission.allocation', 'commission.handler', 'commission.conduct', 'followUp.escalation'] as const;
/**
 * One of {@link SQL_POLICY_IDS}.
 *
 * @example
 * const policy: SqlPolicyId = 'commission.allocation';
 */
export type SqlPolicyId = (typeof SQL_POLICY_IDS)[number];

/** What a policy's outcome builder works with. */
export interface OutcomeContext {
  readonly policy: SqlPolicyId;
  readonly dialect: Dialect;
  readonly fired: FiredRules;
  /** The policy's own `decide`, for outcomes that depend on the fired rule only. */
  readonly decide: (fired: readonly CompiledRule[]) => PolicyResult<unknown>;
  readonly context: PolicyContext;
  /** Input and derived facts, as SQL. */
  readonly facts: Readonly<Record<string, SqlValue>>;
}

/** An outcome column: its field name, its SQL, and its values when they are a closed set. */
export type OutcomeColumn = readonly [string, string, (Domain | undefined)?];

/** The outcome as SQL: extra stages after the rules ran, one column per outcome field, `basis`, and the rules' own errors. */
export interface OutcomeSql {
  readonly stages?: readonly Stage[];
  readonly columns: readonly OutcomeColumn[];
  readonly basis: string;
  readonly basisValues: readonly string[];
  /** SQL text (`RULE_GAP: …`) when the fired rules cannot give an outcome, else NULL. */
  readonly error: string;
}

/** How a policy's decision is written in SQL; its rules come from the rules file in force. */
export interface SqlPolicy {
  readonly id: SqlPolicyId;
  /** How each input fact is read, checked and normalised, in the facts schema's order. */
  readonly facts: (dialect: Dialect, maxItems: number) => Readonly<Record<string, FactReader>>;
  /** The checks the policy's `derive` makes once the schema passed. */
  readonly deriveChecks?: (dialect: Dialect) => readonly RowCheck[];
  /** Facts the TypeScript derives, as SQL over the checked facts. */
  readonly derived?: (dialect: Dialect, facts: Readonly<Record<string, SqlValue>>) => Readonly<Record<string, Pick<SqlValue, 'type' | 'sql'>>>;
  /** Outcome fields and their SQL types, for the header and docs. */
  readonly columns: (dialect: Dialect) => readonly (readonly [string, string])[];
  readonly outcome: (ctx: OutcomeContext) => OutcomeSql;
}

const text = (dialect: Dialect) => (dialect.name === 'duckdb' ? 'VARCHAR' : 'text');
/** A closed set of words: an ENUM of them in DuckDB (see Domain), text in PostgreSQL. */
const word = (dialect: Dialect) => (dialect.name === 'duckdb' ? 'ENUM' : 'text');
const words = (dialect: Dialect) => (dialect.name === 'duckdb' ? 'ENUM[]' : 'text[]');

/** A plain literal for an outcome value: a string, a list of strings, a boolean, or NULL. */
function outcomeLiteral(dialect: Dialect, value: unknown): string {
  if (value === undefined || value === null) return 'NULL';
  if (typeof value === 'string') return dialect.string(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return dialect.list(value.map((item) => dialect.string(item)));
  throw new Error(`internal: no SQL literal for outcome value ${safeJson(value)}`);
}

/**
 * Policies whose outcome depends only on the first fired rule and the parameters: the outcome of
 * each rule is computed once, at compile time, by the policy's own `decide`; `basis` is the fired
 * rules' ids, as `evaluate` gives it by default.
 */
function firstRuleOutcome(fields: readonly string[]) {
  return (ctx: OutcomeContext): OutcomeSql => {
    const outcomes = ctx.fired.rules.map((rule): { outcome: Record<string, unknown> } | { error: string } => {
      try {
        const result = ctx.decide([rule]);
        if (result.basis !== undefined) throw new Error(`internal: ${ctx.policy} decides its basis; the SQL takes the fired rules'`);
        return { outcome: result.outcome as Record<string, unknown> };
      } catch (error) {
        if (error instanceof RuleGapError) return { error: error.message };
        throw error;
      }
    });
    for (const outcome of outcomes) {
      if ('outcome' in outcome) {
        const unknown = Object.keys(outcome.outcome).filter((key) => !fields.includes(key));
        if (unknown.length > 0) throw new Error(`internal: ${ctx.policy} outcome has fields ${unknown.join(', ')} the SQL does not write`);
      }
    }
    const domain = (field: string): Domain | undefined => {
      const values = outcomes.flatMap((o) => ('outcome' in o ? [o.outcome[field]] : [])).filter((value) => value !== undefined);
      if (values.every((value) => typeof value === 'string')) return { values: values as string[], list: false };
      if (values.every((value) => Array.isArray(value) && value.every((item) => typeof item === 'string'))) return { values: (values as string[][]).flat(), list: true };
      return undefined;
    };
    return {
      columns: fields.map((field) => [field, caseOfHit(outcomes.map((o) => ('outcome' in o && o.outcome[field] !== undefined ? outcomeLiteral(ctx.dialect, o.outcome[field]) : undefined))), domain(field)]),
      basis: ctx.fired.names,
      basisValues: ctx.fired.nameValues,
      error: `CASE WHEN ${ctx.fired.first} = -1 THEN ${errorText(ctx.dialect, 'RULE_GAP', undefined, `${ctx.policy}: no rule decides these facts`)}${outcomes
        .map((o, position) => ('error' in o ? ` WHEN ${ctx.fired.first} = ${position} THEN ${ctx.dialect.string(`RULE_GAP: ${o.error}`)}` : ''))
        .join('')} END`,
    };
  };
}

const reviewApproval: SqlPolicy = {
  id: 'review.approval',
  facts: (dialect) => ({
    amount: decimalFact(dialect, 'amount', { nonNegative: true }),
    channel: enumFact(dialect, 'channel', ['direct', 'distributor'], true),
    disputed: flagFact(dialect, 'disputed', false),
    repeatBatch: flagFact(dialect, 'repeatBatch', false),
    technicalTermsChanged: flagFact(dialect, 'technicalTermsChanged', false),
    priceChanged: flagFact(dialect, 'priceChanged', false),
  }),
  columns: (dialect) => [
    ['authority', word(dialect)],
    ['route', words(dialect)],
  ],
  outcome: firstRuleOutcome(['authority', 'route']),
};

const reviewArbitration: SqlPolicy = {
  id: 'review.arbitration',
  facts: (dialect) => ({
    clause: enumFact(dialect, 'clause', ['quality', 'price', 'delivery'], true),
    firstRulingAccepted: flagFact(dialect, 'firstRulingAccepted', true),
  }),
  columns: (dialect) => [
    ['decidedBy', word(dialect)],
    ['convenedBy', `${word(dialect)}, NULL when absent`],
  ],
  outcome: firstRuleOutcome(['decidedBy', 'convenedBy']),
};

const commissionHandler: SqlPolicy = {
  id: 'commission.handler',
  facts: (dialect) => ({
    request: enumFact(dialect, 'request', ['add_on', 'shop_transfer', 'payment_change', 'intent_refund', 'intent_sign'], true),
    originalAgent: identifierFact(dialect, 'originalAgent', { required: false, nullable: false }),
    originalAgentStatus: enumFact(dialect, 'originalAgentStatus', ['present', 'absent', 'departed'], true),
  }),
  columns: (dialect) => [['handler', word(dialect)]],
  outcome: firstRuleOutcome(['handler']),
};

const CONDUCT_FACTS = ['jointReception', 'newClientArrived', 'enoughStaffFree', 'splitOff', 'oldClientReturned', 'followingBoth'] as const;

const commissionConduct: SqlPolicy = {
  id: 'commission.conduct',
  facts: (dialect) => Object.fromEntries(CONDUCT_FACTS.map((fact) => [fact, flagFact(dialect, fact, false)])),
  columns: (dialect) => [
    ['allowed', dialect.name === 'duckdb' ? 'BOOLEAN' : 'boolean'],
    ['violations', words(dialect)],
  ],
  outcome: ({ dialect, fired, policy }) => {
    // As conduct.ts: each fired rule must say whether it is a violation; the violations are the ids of those that are, without repeats.
    const violation = fired.rules.map((rule) => rule.definition.event.params?.['violation']);
    const errors = fired.rules.flatMap((rule, position) =>
      typeof violation[position] === 'boolean' ? [] : [`WHEN ${fired.fired(position)} THEN ${dialect.string(`RULE_GAP: ${policy}: rules[${rule.index}] (${rule.name}) gives event.params.violation = ${safeJson(violation[position])}; expected true or false`)}`],
    );
    const violating = fired.rules.flatMap((rule, position) => (violation[position] === true ? [position] : []));
    return {
      columns: [
        ['allowed', violating.length === 0 ? 'true' : `NOT (${violating.map((position) => fired.fired(position)).join(' OR ')})`],
        [
          'violations',
          dialect.distinctInOrder(dialect.compact(violating.map((position) => `CASE WHEN ${fired.fired(position)} THEN ${dialect.string(fired.rules[position]!.name)} END`))),
          { values: violating.map((position) => fired.rules[position]!.name), list: true },
        ],
      ],
      basis: fired.names,
      basisValues: fired.nameValues,
      error: errors.length === 0 ? NO_ERROR : `CASE ${errors.join(' ')} END`,
    };
  },
};

const ESCALATION_EVENTS = ['order_change', 'complaint', 'force_majeure', 'booking_anomaly'] as const;
const ESCALATION_SCOPE: Readonly<Record<string, string>> = {
  complaintSeverity: 'a complaint',
  resolvedByDepartments: 'a major complaint (FUP-4.2.4; a minor one is relayed as feedback whatever the departments did, D-FUP-1)',
  compensationRequested: 'force_majeure (FUP-4.2.6; the source does not say how a compensation claim is handled after any other event)',
  anomaly: 'a booking_anomaly (FUP-006.5)',
  service: 'a booking_anomaly (FUP-006.5)',
};

const followUpEscalation: SqlPolicy = {
  id: 'followUp.escalation',
  facts: (dialect) => {
    const event = enumFact(dialect, 'event', ESCALATION_EVENTS, true);
    const raw = (fact: string) => column.raw(fact);
    const asText = (fact: string) => dialect.toText(raw(fact));
    const is = (value: string) => `${column.read('event', 't')} = ${dialect.string(value)}`;
    const refuse = (facts: readonly string[], when: string, here: string): RowCheck[] =>
      facts.map((fact) => ({
        when: `${when} AND ${raw(fact)} IS NOT NULL`,
        code: 'INVALID_FACTS',
        path: dialect.string(fact),
        message: `${fact} does not apply to ${here}: it is read only for ${ESCALATION_SCOPE[fact]}; leave it out`,
      }));
    const severity = asText('complaintSeverity');
    const major = `${is('complaint')} AND ${severity} = 'major'`;
    const minor = `${is('complaint')} AND ${severity} = 'minor'`;
    // The facts schema is a union on `event` (then on `complaintSeverity`): only the variant's own facts are checked.
    const checks: RowCheck[] = [
      ...event.checks,
      { when: `${is('complaint')} AND ${raw('complaintSeverity')} IS NULL`, code: 'INVALID_FACTS', path: dialect.string('complaintSeverity'), message: 'required for a complaint: expected "minor" or "major"' },
      { when: `${is('complaint')} AND ${severity} NOT IN ('minor', 'major')`, code: 'INVALID_FACTS', path: dialect.string('complaintSeverity'), message: 'expected "minor" or "major"' },
      ...refuse(['complaintSeverity', 'resolvedByDepartments', 'compensationRequested', 'anomaly', 'service'], is('order_change'), 'an order_change'),
      ...refuse(['resolvedByDepartments', 'compensationRequested', 'anomaly', 'service'], minor, 'a minor complaint'),
      {
        when: `${major} AND ${raw('resolvedByDepartments')} IS NULL`,
        code: 'INVALID_FACTS',
        path: dialect.string('resolvedByDepartments'),
        message: 'required for a major complaint: did the departments concerned resolve it? An unknown outcome is neither resolved nor unresolved',
      },
      ...refuse(['compensationRequested', 'anomaly', 'service'], major, 'a complaint'),
      ...refuse(['complaintSeverity', 'resolvedByDepartments', 'anomaly', 'service'], is('force_majeure'), 'force_majeure'),
      ...(['anomaly', 'service'] as const).flatMap((fact): RowCheck[] => {
        const values = fact === 'anomaly' ? ['wrong', 'missed', 'incorrect'] : ['venue', 'dining', 'room', 'fleet', 'other'];
        const expected = `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
        return [
          { when: `${is('booking_anomaly')} AND ${raw(fact)} IS NULL`, code: 'INVALID_FACTS', path: dialect.string(fact), message: `required: ${expected}` },
          { when: `${is('booking_anomaly')} AND ${asText(fact)} NOT IN (${values.map(dialect.string).join(', ')})`, code: 'INVALID_FACTS', path: dialect.string(fact), message: expected },
        ];
      }),
      ...refuse(['complaintSeverity', 'resolvedByDepartments', 'compensationRequested'], is('booking_anomaly'), 'a booking_anomaly'),
    ];
    const optional = (fact: string, type: SqlValue['type'], sql: string, kind: string): FactReader => ({
      type: kind,
      kind: { type: type === 'boolean' ? 'boolean' : 'string' },
      read: [[raw(fact), raw(fact)]],
      checks: [],
      normalise: [[column.value(fact), sql]],
      value: { type, sql: column.value(fact), nullable: true, isNull: 'false' },
    });
    const bool = (fact: string) => `CAST(${raw(fact)} AS BOOLEAN)`;
    const varchar = text(dialect);
    const boolean = dialect.name === 'duckdb' ? 'BOOLEAN' : 'boolean';
    return {
      event: { ...event, checks },
      complaintSeverity: optional('complaintSeverity', 'string', asText('complaintSeverity'), `${varchar}: minor | major, for a complaint`),
      resolvedByDepartments: optional('resolvedByDepartments', 'boolean', bool('resolvedByDepartments'), `${boolean}, for a major complaint`),
      compensationRequested: optional(
        'compensationRequested',
        'boolean',
        `CASE WHEN ${is('force_majeure')} THEN COALESCE(${bool('compensationRequested')}, false) END`,
        `${boolean}, for force_majeure, NULL = false`,
      ),
      anomaly: optional('anomaly', 'string', asText('anomaly'), `${varchar}: wrong | missed | incorrect, for a booking_anomaly`),
      service: optional('service', 'string', asText('service'), `${varchar}: venue | dining | room | fleet | other, for a booking_anomaly`),
    };
  },
  columns: (dialect) => [
    ['actions', words(dialect)],
    ['owner', word(dialect)],
  ],
  outcome: ({ dialect, fired, policy }) => {
    // As escalation.ts: each fired rule adds its actions (without repeats) and names the owner; a rule whose actions or owner are not known is a gap.
    const problems = fired.rules.map((rule): string | undefined => {
      const given = rule.definition.event.params?.['actions'];
      if (!Array.isArray(given) || given.length === 0) return `rules[${rule.index}] (${rule.name}) gives event.params.actions = ${safeJson(given)}; expected a non-empty list of actions`;
      const unknown = given.find((action) => typeof action !== 'string' || !(FOLLOW_UP_ACTIONS as readonly string[]).includes(action));
      if (unknown !== undefined) return `rules[${rule.index}] (${rule.name}) gives the action ${safeJson(unknown)}; expected one of ${FOLLOW_UP_ACTIONS.join(', ')}`;
      const owner = rule.definition.event.params?.['owner'];
      if (typeof owner !== 'string' || !(FOLLOW_UP_OWNERS as readonly string[]).includes(owner)) {
        return `rules[${rule.index}] (${rule.name}) gives event.params.owner = ${safeJson(owner)}; expected one of ${FOLLOW_UP_OWNERS.join(', ')}`;
      }
      return undefined;
    });
    const actions = fired.rules.flatMap((rule, position) =>
      problems[position] === undefined ? (rule.definition.event.params!['actions'] as string[]).map((action) => `CASE WHEN ${fired.fired(position)} THEN ${dialect.string(action)} END`) : [],
    );
    // The owner is the last fired rule's (every rule names it).
    const owners = fired.rules.flatMap((rule, position) => (problems[position] === undefined ? [`WHEN ${fired.fired(position)} THEN ${dialect.string(rule.definition.event.params!['owner'] as string)}`] : [])).reverse();
    return {
      columns: [
        ['actions', dialect.distinctInOrder(dialect.compact(actions)), { values: fired.rules.flatMap((rule, position) => (problems[position] === undefined ? (rule.definition.event.params!['actions'] as string[]) : [])), list: true }],
        [
          'owner',
          owners.length === 0 ? NO_ERROR : `CASE ${owners.join(' ')} END`,
          { values: fired.rules.flatMap((rule, position) => (problems[position] === undefined ? [rule.definition.event.params!['owner'] as string] : [])), list: false },
        ],
      ],
      basis: fired.names,
      basisValues: fired.nameValues,
      error: `CASE WHEN ${fired.first} = -1 THEN ${dialect.string(`RULE_GAP: ${policy}: no rule gives an action for these facts`)}${problems
        .map((problem, position) => (problem === undefined ? '' : ` WHEN ${fired.fired(position)} THEN ${dialect.string(`RULE_GAP: ${policy}: ${problem}`)}`))
        .join('')} END`,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// commission.allocation: who by role and what percent come from the fired rule; the agents are
// the row's, and the money is split in SQL under D-COM-2 exactly as allocation.ts splits it.

const SINGLE_ROLES: Readonly<Record<string, string>> = { closer: 'closer', protector: 'protectedBy', referrer: 'referral.referrerAgent' };
const GROUP_ROLES: Readonly<Record<string, string>> = { handlers: 'handlers', originalAgents: 'originalAgents' };

type Share = { readonly role: string; readonly group: boolean; readonly percent: number };

type AllocationRule =
  | { readonly error: string }
  | {
      readonly status: 'allocated';
      readonly basis: readonly string[];
      readonly shares: readonly Share[];
    }
  | { readonly status: 'no_commission'; readonly basis: readonly string[]; readonly followUpBy?: string }
  | { readonly status: 'needs_ruling'; readonly basis: readonly string[]; readonly by: string }
  | { readonly status: 'invalid'; readonly basis: readonly string[]; readonly violations: readonly string[] };

/** What allocation.ts checks in a fired rule's event that does not depend on the facts; a problem is a rule gap. */
function allocationRule(rule: CompiledRule, maxAgents: number): AllocationRule {
  const params = rule.definition.event.params ?? {};
  const where = `commission.allocation: rules[${rule.index}] (${rule.name})`;
  const status = params['status'];
  if (typeof status !== 'string' || !(ALLOCATION_STATUSES as readonly string[]).includes(status)) {
    return { error: `${where} gives event.params.status = ${safeJson(status)}; expected one of ${ALLOCATION_STATUSES.join(', ')}` };
  }
  const givenBasis = params['basis'];
  if (givenBasis !== undefined && (!Array.isArray(givenBasis) || givenBasis.length === 0 || !givenBasis.every((id) => typeof id === 'string' && id.length > 0))) {
    return { error: `${where} gives event.params.basis = ${safeJson(givenBasis)}; expected a list of clause ids` };
  }
  const basis = (givenBasis as string[] | undefined) ?? [rule.name];
  switch (status) {
    case 'allocated': {
      const shares = params['shares'];
      if (!Array.isArray(shares) || shares.length === 0) return { error: `${where}: event.params.shares must list at least one { role, percent }, not ${safeJson(shares)}` };
      const out: Share[] = [];
      for (const [index, share] of shares.entries()) {
        const at = `${where}: event.params.shares[${index}]`;
        if (share === null || typeof share !== 'object') return { error: `${at} must be { role, percent } or { role, percentEach }` };
        const { role, percent, percentEach, ...rest } = share as Record<string, unknown>;
        if (Object.keys(rest).length > 0) return { error: `${at} has unknown keys ${Object.keys(rest).join(', ')}` };
        const group = typeof role === 'string' && Object.prototype.hasOwnProperty.call(GROUP_ROLES, role);
        if (typeof role !== 'string' || (!group && !Object.prototype.hasOwnProperty.call(SINGLE_ROLES, role))) {
          return { error: `${at}.role is ${safeJson(role)}; expected one of ${[...Object.keys(SINGLE_ROLES), ...Object.keys(GROUP_ROLES)].join(', ')}` };
        }
        if (!group && percentEach !== undefined) return { error: `${at}: role ${role} is one agent; give "percent", not "percentEach"` };
        if (group && percent !== undefined) return { error: `${at}: role ${role} is a group; give "percentEach", not "percent"` };
        const value = group ? percentEach : percent;
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) {
          return { error: `${at}.${group ? 'percentEach' : 'percent'} must be a number above 0 and at most 100, not ${safeJson(value)}` };
        }
        out.push({ role, group, percent: value });
      }
      // Without groups, the count and the total are known now (whether two roles name one agent is the row's).
      if (!out.some((share) => share.group)) {
        if (out.length > maxAgents) return { error: `${where}: shares the commission among ${out.length} agents; at most ${maxAgents} (maxHandlers) may share` };
        const total = out.reduce((sum, share) => sum.plus(share.percent), new Dec(0));
        if (!total.eq(100)) return { error: `${where}: the shares add up to ${total.toFixed()}%, not 100%` };
      }
      return { status, basis, shares: out };
    }
    case 'no_commission': {
      const role = params['followUpBy'];
      if (role === undefined) return { status, basis };
      if (typeof role !== 'string' || !['referrer', 'closer', 'protector'].includes(role)) {
        return { error: `${where} gives event.params.followUpBy = ${safeJson(role)}; expected one of referrer, closer, protector` };
      }
      return { status, basis, followUpBy: role };
    }
    case 'needs_ruling': {
      const by = params['by'];
      if (typeof by !== 'string' || !(RULING_AUTHORITIES as readonly string[]).includes(by)) return { error: `${where} gives event.params.by = ${safeJson(by)}; expected one of ${RULING_AUTHORITIES.join(', ')}` };
      return { status, basis, by };
    }
    default: {
      const violations = params['violations'];
      if (!Array.isArray(violations) || violations.length === 0 || !violations.every((id) => typeof id === 'string')) {
        return { error: `${where} gives event.params.violations = ${safeJson(violations)}; expected a list of clause ids` };
      }
      return { status: 'invalid', basis, violations: violations as string[] };
    }
  }
}

/** Percents as SQL: integers stay integers; otherwise a DECIMAL wide enough for every percent the rules give. */
function percentType(dialect: Dialect, percents: readonly number[]): { type: string; literal: (percent: number) => string } {
  let scale = 0;
  for (const percent of percents) {
    const written = String(percent);
    if (/e/i.test(written)) throw new SqlCompileError('commission.allocation', `the percent ${written}`, 'it has no plain SQL literal');
    scale = Math.max(scale, written.split('.')[1]?.length ?? 0);
  }
  if (scale > 18) throw new SqlCompileError('commission.allocation', 'a percent with more than 18 places', 'DECIMAL holds at most 18 here');
  const type = scale === 0 ? (dialect.name === 'duckdb' ? 'INTEGER' : 'integer') : dialect.name === 'duckdb' ? `DECIMAL(${3 + scale},${scale})` : 'numeric';
  return { type, literal: (percent) => `CAST(${dialect.string(String(percent))} AS ${type})` };
}

const ALLOCATION_SCHEMA = (dialect: Dialect, maxItems: number): Record<string, FactReader> => ({
  pool: decimalFact(dialect, 'pool', { nonNegative: true, maxPlaces: 2, maxIntegerDigits: 16 }),
  kind: enumFact(dialect, 'kind', ['lease', 'add_on', 'intent'], true),
  depositPaidInFull: flagFact(dialect, 'depositPaidInFull', false),
  contractSigned: flagFact(dialect, 'contractSigned', false),
  handlers: identifierListFact(dialect, 'handlers', { required: true, maxItems }),
  closer: identifierFact(dialect, 'closer', { required: false, nullable: false }),
  originalAgents: identifierListFact(dialect, 'originalAgents', { required: false, maxItems }),
  originalAgentsActive: flagFact(dialect, 'originalAgentsActive', false),
  referral: objectFact(dialect, 'referral', {
    referrerAgent: { kind: 'identifier', required: true },
    referrerAgentContacted: { kind: 'flag', default: false },
    namedReferrerAgent: { kind: 'flag', default: false },
    referrerAgentPresent: { kind: 'flag', default: false },
    notifiedReferrerAgent: { kind: 'flag', default: false },
    delegatedToCloser: { kind: 'flag', default: false },
    intentSigned: { kind: 'flag', default: false },
    referrerChoice: { kind: 'enum', values: ['all', 'half'] },
  }),
  receivingAgents: identifierListFact(dialect, 'receivingAgents', { required: false, maxItems }),
  protectedBy: identifierFact(dialect, 'protectedBy', { required: false, nullable: true }),
});

const commissionAllocation: SqlPolicy = {
  id: 'commission.allocation',
  facts: ALLOCATION_SCHEMA,
  deriveChecks: (dialect) => {
    const kind = column.value('kind');
    const lease = `${kind} = 'lease'`;
    const originalAgents = column.value('originalAgents');
    return [
      { when: `${lease} AND ${column.value('closer')} IS NULL`, code: 'INVALID_FACTS', path: dialect.string('closer'), message: 'required for a lease: the agent who closed' },
      { when: `${lease} AND ${column.value('receivingAgents')} IS NULL`, code: 'INVALID_FACTS', path: dialect.string('receivingAgents'), message: 'required for a lease: every agent who received or introduced the client' },
      {
        when: `${kind} <> 'lease' AND (${originalAgents} IS NULL OR ${dialect.length(originalAgents)} = 0)`,
        code: 'INVALID_FACTS',
        path: dialect.string('originalAgents'),
        message: 'required for an add-on or an intent: at least one agent who closed the earlier deal or took the intent',
      },
      duplicateCheck(dialect, 'handlers'),
      duplicateCheck(dialect, 'originalAgents'),
      duplicateCheck(dialect, 'receivingAgents'),
    ];
  },
  derived: (dialect, facts) => {
    const handlers = facts['handlers']!.sql;
    const originalAgents = facts['originalAgents']!.sql;
    const receiving = `COALESCE(${facts['receivingAgents']!.sql}, ${dialect.list([])})`;
    const closer = facts['closer']!.sql;
    const referrer = facts['referral']!.fields!['referrerAgent']!.sql;
    const protector = facts['protectedBy']!.sql;
    const number = (sql: string) => ({ type: 'number' as const, sql });
    const boolean = (sql: string) => ({ type: 'boolean' as const, sql });
    return {
      handlerCount: number(dialect.length(handlers)),
      originalAgentCount: number(`COALESCE(${dialect.length(originalAgents)}, 0)`),
      receivingAgentCount: number(dialect.distinctCount(dialect.concat([receiving, handlers, dialect.list([closer])]))),
      otherReceivingAgentCount: number(dialect.countWhere(receiving, 'r_', `NOT ${dialect.contains(handlers, 'r_')} AND r_ IS DISTINCT FROM ${closer} AND r_ IS DISTINCT FROM ${referrer}`)),
      otherHandlerCount: number(dialect.countWhere(handlers, 'h_', `h_ IS DISTINCT FROM ${closer} AND h_ IS DISTINCT FROM ${referrer}`)),
      closerIsHandler: boolean(`COALESCE(${dialect.contains(handlers, closer)}, false)`),
      closerIsProtector: boolean(`COALESCE(${closer} = ${protector}, false)`),
      closerIsReferrer: boolean(`COALESCE(${closer} = ${referrer}, false)`),
    };
  },
  columns: (dialect) => [
    ['status', word(dialect)],
    ['shares', dialect.name === 'duckdb' ? 'STRUCT(agent VARCHAR, percent INTEGER, amount DECIMAL(18,2))[]' : 'jsonb: [{ agent, percent, amount }], amount a number with two places'],
    ['followUpBy', text(dialect)],
    ['by', word(dialect)],
    ['violations', words(dialect)],
  ],
  outcome: (ctx) => allocationOutcome(ctx),
};

function allocationOutcome({ dialect, fired, context, facts }: OutcomeContext): OutcomeSql {
  const maxHandlers = context.param('maxHandlers');
  const maxAgents = typeof maxHandlers === 'number' ? maxHandlers : 0;
  const rules = fired.rules.map((rule) => allocationRule(rule, maxAgents));
  const agentOf = (role: string) => {
    const path = SINGLE_ROLES[role]!.split('.');
    return path.length === 1 ? facts[path[0]!]!.sql : facts[path[0]!]!.fields![path[1]!]!.sql;
  };
  const groupOf = (role: string) => `COALESCE(${facts[GROUP_ROLES[role]!]!.sql}, ${dialect.list([])})`;
  const percents = percentType(dialect, rules.flatMap((rule) => ('shares' in rule ? rule.shares.map((share) => share.percent) : [])));
  const first = fired.first;

  // The checks allocation.ts makes on the facts once a rule fired: every role names an agent, no agent twice, at most maxHandlers agents, 100% in all.
  const errors: string[] = [`WHEN ${first} = -1 THEN ${dialect.string('RULE_GAP: commission.allocation: no rule decides these facts')}`];
  rules.forEach((rule, position) => {
    const at = `${first} = ${position}`;
    const gap = (message: string) => `WHEN ${at} AND ${message}`;
    const where = `RULE_GAP: commission.allocation: rules[${fired.rules[position]!.index}] (${fired.rules[position]!.name})`;
    if ('error' in rule) {
      errors.push(`WHEN ${at} THEN ${dialect.string(`RULE_GAP: ${rule.error}`)}`);
      return;
    }
    if (rule.status === 'no_commission' && rule.followUpBy !== undefined) {
      errors.push(gap(`${agentOf(rule.followUpBy)} IS NULL THEN ${dialect.string(`${where}: followUpBy ${rule.followUpBy}, but the facts name no ${rule.followUpBy}`)}`));
    }
    if (rule.status !== 'allocated') return;
    rule.shares.forEach((share, index) => {
      const missing = share.group ? `${dialect.length(groupOf(share.role))} = 0` : `${agentOf(share.role)} IS NULL`;
      errors.push(gap(`${missing} THEN ${dialect.string(`${where}: event.params.shares[${index}]: the facts name no ${share.role}`)}`));
    });
    const agents = agentList(rule.shares);
    if (rule.shares.length > 1 || rule.shares.some((share) => share.group)) {
      errors.push(gap(`${dialect.distinctCount(agents)} <> ${dialect.length(agents)} THEN ${dialect.string(`${where}: pays one agent more than one share`)}`));
    }
    if (rule.shares.some((share) => share.group)) {
      errors.push(gap(`${dialect.length(agents)} > ${maxAgents} THEN ${dialect.string(`${where}: shares the commission among more agents than ${maxAgents} (maxHandlers)`)}`));
      const fixed = rule.shares.filter((share) => !share.group).reduce((sum, share) => sum.plus(share.percent), new Dec(0));
      const total = [
        `CAST(${dialect.string(fixed.toFixed())} AS ${dialect.decimal})`,
        ...rule.shares.filter((share) => share.group).map((share) => `CAST(${dialect.string(String(share.percent))} AS ${dialect.decimal}) * ${dialect.length(groupOf(share.role))}`),
      ].join(' + ');
      errors.push(gap(`${total} <> 100 THEN ${dialect.string(`${where}: the shares do not add up to 100%`)}`));
    }
  });

  function agentList(shares: readonly Share[]): string {
    return dialect.concat(shares.map((share) => (share.group ? groupOf(share.role) : dialect.list([agentOf(share.role)]))));
  }

  const allocated = rules.map((rule) => ('shares' in rule ? rule : undefined));
  // Wide enough that pool × percent never overflows (the checks keep pools below 10^16).
  const pool = `CAST(${facts['pool']!.sql} AS ${dialect.name === 'duckdb' ? 'DECIMAL(38,2)' : 'numeric'})`;
  const stages: Stage[] = [];
  let shares: string;
  if (dialect.name === 'duckdb') {
    // The parts (agent, percent) of the fired rule, sorted by percent descending then agent id in
    // byte order; each amount rounded down to the fen, the remainder to the first (D-COM-2).
    const part = (agent: string, percent: number) => `{'k': -${percents.literal(percent)}, 'agent': ${agent}, 'percent': ${percents.literal(percent)}}`;
    const parts = allocated.map((rule) =>
      rule === undefined
        ? undefined
        : dialect.concat(rule.shares.map((share) => (share.group ? `list_transform(${groupOf(share.role)}, lambda a_: ${part('a_', share.percent)})` : `[${part(agentOf(share.role), share.percent)}]`))),
    );
    stages.push({ name: 'parts', columns: [[COLUMN.derived('parts'), `list_sort(${caseOfHit(parts)}, 'ASC', 'NULLS LAST')`]] });
    const sorted = COLUMN.derived('parts');
    const cut = (s: string) => `floor(${pool} * ${s}.percent) * 0.01`;
    const rest = `${pool} - list_sum(list_transform(${sorted}, lambda s_: ${cut('s_')}))`;
    shares = `list_transform(${sorted}, lambda s_, i_: {'agent': s_.agent, 'percent': s_.percent, 'amount': CAST(${cut('s_')} + CASE WHEN i_ = 1 THEN ${rest} ELSE 0 END AS DECIMAL(18,2))})`;
  } else {
    const agents = caseOfHit(allocated.map((rule) => (rule === undefined ? undefined : agentList(rule.shares))));
    const shareParts = allocated.map((rule) =>
      rule === undefined
        ? undefined
        : dialect.concat(
            rule.shares.map((share) =>
              share.group ? `array_fill(${percents.literal(share.percent)}::numeric, ARRAY[${dialect.length(groupOf(share.role))}])` : `ARRAY[${percents.literal(share.percent)}::numeric]`,
            ),
          ),
    );
    stages.push({
      name: 'parts',
      columns: [
        [COLUMN.derived('agents'), agents],
        [COLUMN.derived('percents'), caseOfHit(shareParts)],
      ],
    });
    shares = `(SELECT jsonb_agg(jsonb_build_object('agent', b.agent, 'percent', b.percent, 'amount', CAST(CASE WHEN b.rn = 1 THEN b.amount + b.rest ELSE b.amount END AS numeric(18,2))) ORDER BY b.rn)
      FROM (SELECT a.agent, a.percent, a.amount, row_number() OVER (ORDER BY a.percent DESC, a.agent COLLATE "C") AS rn, ${pool} - sum(a.amount) OVER () AS rest
        FROM (SELECT p.agent, p.percent, (floor(${pool} * p.percent) * 0.01)::numeric(18,2) AS amount
          FROM unnest(${COLUMN.derived('agents')}, ${COLUMN.derived('percents')}) AS p(agent, percent)) AS a) AS b)`;
  }
  const allocatedAt = allocated.flatMap((rule, position) => (rule === undefined ? [] : [position]));
  const decided = rules.flatMap((rule) => ('error' in rule ? [] : [rule]));
  const field = (pick: (rule: Exclude<AllocationRule, { error: string }>) => string | undefined) => caseOfHit(rules.map((rule) => ('error' in rule ? undefined : pick(rule))));
  return {
    stages,
    columns: [
      ['status', field((rule) => dialect.string(rule.status)), { values: decided.map((rule) => rule.status), list: false }],
      ['shares', allocatedAt.length === 0 ? 'NULL' : `CASE WHEN ${first} IN (${allocatedAt.join(', ')}) THEN ${shares} END`],
      ['followUpBy', field((rule) => (rule.status === 'no_commission' && rule.followUpBy !== undefined ? agentOf(rule.followUpBy) : undefined))],
      ['by', field((rule) => (rule.status === 'needs_ruling' ? dialect.string(rule.by) : undefined)), { values: decided.flatMap((rule) => (rule.status === 'needs_ruling' ? [rule.by] : [])), list: false }],
      [
        'violations',
        field((rule) => (rule.status === 'invalid' ? dialect.list(rule.violations.map((id) => dialect.string(id))) : undefined)),
        { values: decided.flatMap((rule) => (rule.status === 'invalid' ? rule.violations : [])), list: true },
      ],
    ],
    basis: field((rule) => dialect.list(rule.basis.map((id) => dialect.string(id)))),
    basisValues: decided.flatMap((rule) => rule.basis),
    error: `CASE ${errors.join(' ')} END`,
  };
}

/**
 * Every policy `toSql` compiles, by id.
 *
 * @example
 * SQL_POLICIES['review.approval'].columns(dialectOf('duckdb')); //=> [['authority', 'ENUM'], ['route', 'ENUM[]']]
 */
export const SQL_POLICIES: Readonly<Record<SqlPolicyId, SqlPolicy>> = {
  'review.approval': reviewApproval,
  'review.arbitration': reviewArbitration,
  'commission.allocation': commissionAllocation,
  'commission.handler': commissionHandler,
  'commission.conduct': commissionConduct,
  'followUp.escalation': followUpEscalation,
};
