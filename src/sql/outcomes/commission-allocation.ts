import { Dec } from '../../core/money.js';
import type { CompiledRule } from '../../core/compile.js';
import type { Dialect } from '../dialect.js';
import { SqlCompileError } from '../errors.js';
import { column } from '../facts.js';
import { duplicateCheck } from '../fact-structures.js';
import type { OutcomeContext, OutcomeSql, SqlOutcome } from '../outcome.js';
import { sqlTypes } from '../outcome.js';
import type { Stage } from '../query.js';
import { caseOfHit, COLUMN } from '../query.js';

// commission.allocation in SQL: who by role and what percent come from the fired rule (its event
// was checked when the file was compiled); the agents are the row's, and the money is split in
// SQL under D-COM-2 exactly as allocation.ts splits it.

/** The facts that name the agent of a single role, and the group of a group role, as allocation.ts reads them. */
const SINGLE_ROLES: Readonly<Record<string, string>> = { closer: 'closer', protector: 'protectedBy', referrer: 'referral.referrerAgent' };
const GROUP_ROLES: Readonly<Record<string, string>> = { handlers: 'handlers', originalAgents: 'originalAgents' };

type Share = { readonly role: string; readonly group: boolean; readonly percent: number };

/** The event of a rule, as its schema checked it. */
type Params =
  | { readonly status: 'allocated'; readonly basis?: readonly string[]; readonly shares: readonly { readonly role: string; readonly percent?: number; readonly percentEach?: number }[] }
  | { readonly status: 'no_commission'; readonly basis?: readonly string[]; readonly followUpBy?: string }
  | { readonly status: 'needs_ruling'; readonly basis?: readonly string[]; readonly by: string }
  | { readonly status: 'invalid'; readonly basis?: readonly string[]; readonly violations: readonly string[] };

type AllocationRule =
  | { readonly error: string }
  | { readonly status: 'allocated'; readonly basis: readonly string[]; readonly shares: readonly Share[] }
  | { readonly status: 'no_commission'; readonly basis: readonly string[]; readonly followUpBy?: string }
  | { readonly status: 'needs_ruling'; readonly basis: readonly string[]; readonly by: string }
  | { readonly status: 'invalid'; readonly basis: readonly string[]; readonly violations: readonly string[] };

/** A fired rule's event as the SQL needs it; what allocation.ts refuses whatever the facts (more agents than maxHandlers) is a rule gap. */
function allocationRule(rule: CompiledRule, maxAgents: number): AllocationRule {
  const params = rule.definition.event.params as Params;
  const basis = params.basis ?? [rule.name];
  switch (params.status) {
    case 'allocated': {
      const shares = params.shares.map((share): Share => {
        const group = Object.prototype.hasOwnProperty.call(GROUP_ROLES, share.role);
        return { role: share.role, group, percent: (group ? share.percentEach : share.percent)! };
      });
      // Without groups the count is known now (whether two roles name one agent is the row's).
      if (!shares.some((share) => share.group) && shares.length > maxAgents) {
        return { error: `commission.allocation: rules[${rule.index}] (${rule.name}): shares the commission among ${shares.length} agents; at most ${maxAgents} (maxHandlers) may share` };
      }
      return { status: 'allocated', basis, shares };
    }
    case 'no_commission':
      return { status: 'no_commission', basis, ...(params.followUpBy === undefined ? {} : { followUpBy: params.followUpBy }) };
    case 'needs_ruling':
      return { status: 'needs_ruling', basis, by: params.by };
    default:
      return { status: 'invalid', basis, violations: params.violations };
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

/**
 * `commission.allocation` in SQL: the checks and derived facts of its `derive`, and its outcome.
 *
 * @example
 * COMMISSION_ALLOCATION_SQL.id; //=> 'commission.allocation'
 */
export const COMMISSION_ALLOCATION_SQL: SqlOutcome = {
  id: 'commission.allocation',
  // Pools of 10^16 or more do not fit the outcome's DECIMAL(18,2) amounts.
  integerDigits: { pool: 16 },
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
  outcome: (ctx) => allocationOutcome(ctx),
  absentChecks: [
    {
      fact: 'protectedBy',
      when: { fact: 'kind', value: 'lease' },
      message: 'required for a lease: the agent whose protection entry covered the client on the closing date, or null when none did',
    },
  ],
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
  const types = sqlTypes(dialect);

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
    types: [
      ['status', types.word],
      ['shares', dialect.name === 'duckdb' ? 'STRUCT(agent VARCHAR, percent INTEGER, amount DECIMAL(18,2))[]' : 'jsonb: [{ agent, percent, amount }], amount a number with two places'],
      ['followUpBy', types.text],
      ['by', types.word],
      ['violations', types.words],
    ],
    basis: field((rule) => dialect.list(rule.basis.map((id) => dialect.string(id)))),
    basisValues: decided.flatMap((rule) => rule.basis),
    error: `CASE ${errors.join(' ')} END`,
  };
}

