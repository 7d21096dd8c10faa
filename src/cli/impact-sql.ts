import type { SqlDialect } from '../sql/dialect.js';
import { duckdbString, postgresString, sqlIdentifier } from '../sql/dialect.js';
import type { SqlPolicyId } from '../sql/policies.js';
import type { SqlColumn } from '../sql/to-sql.js';
import type { ImpactRefusal, ImpactReport, ImpactSide, ImpactTransition } from '../toolkit/impact.js';
import { moneyReport, toFen } from '../toolkit/impact.js';

/** The outcome column that holds money, by policy: a transition groups its shares without their amounts (as the Node engine does). */
const MONEY_COLUMN: Readonly<Partial<Record<SqlPolicyId, string>>> = { 'commission.allocation': 'shares' };

/** Where the rows of one side come from, and how to read them. */
export interface ImpactQueryParts {
  readonly dialect: SqlDialect;
  readonly policy: SqlPolicyId;
  /**
   * Each side's decisions, as a query with the columns `n` (the row's key: the join and the
   * order of examples), `row_id` (the id shown in examples), the outcome columns of `outputs`
   * and `basis`, and `e` (NULL when the side decides the row, else why it refuses it: `CODE …`).
   */
  readonly before: string;
  readonly after: string;
  /** The columns of the decisions, as `compileSql` gives them (`error` is left out); the two sides' must compare (DuckDB: ENUMs as text). */
  readonly outputs: readonly SqlColumn[];
  /** Example ids kept per transition and per refusal. */
  readonly examples: number;
  /** Transitions listed one by one (the first ones met, in the order of `n`); the rest are counted. */
  readonly maxTransitions: number;
  /** A query for the view `facts` that both sides read, when it is not already there (PostgreSQL: the history table). */
  readonly facts?: string;
}

/** One row of the impact query's result. */
export interface ImpactGroupRow {
  /** `same`, `changed`, `basis`, `both`, `base`, `rules`, `other`, `money` or `unallocated`. */
  readonly kind: string;
  /** A refusal's code, an agent (`money`), or for `other` the kind of the transitions counted. */
  readonly key: string | null;
  /** A transition's sides as JSON `{outcome, basis}`; money (`money`, `unallocated`) in yuan with two places. */
  readonly before: string | null;
  readonly after: string | null;
  readonly count: number | string | bigint | null;
  /** For `other`: how many transitions it counts. */
  readonly first: number | string | bigint | null;
  /** JSON list of the first ids. */
  readonly examples: string | null;
  /** A refusal's first message (`CODE …`). */
  readonly message: string | null;
}

/** What differs between DuckDB and PostgreSQL in the impact query. */
interface Flavour {
  readonly code: (error: string) => string;
  readonly examples: (k: number) => string;
  readonly firstMessage: string;
  readonly withoutAmounts: (column: string, type: string) => string;
  readonly json: (members: readonly (readonly [string, string, string])[], basis: string) => string;
  readonly shares: (alias: string, column: string) => { from: string; agent: string; amount: string };
  readonly string: (text: string) => string;
}

const TRANSITION = `"kind" IN ('changed', 'basis')`;
const DECIDED = `"kind" IN ('same', 'changed', 'basis')`;

const FLAVOURS: Readonly<Record<SqlDialect, Flavour>> = {
  duckdb: {
    code: (error) => `regexp_extract(${error}, '^([A-Z_]+)', 1)`,
    examples: (k) => (k === 0 ? `'[]'` : `CAST(to_json(min_by("row_id", "n", ${k}) FILTER (WHERE "kind" NOT IN ('same', 'both'))) AS VARCHAR)`),
    firstMessage: `min_by(COALESCE("be", "ae"), "n") FILTER (WHERE "kind" IN ('base', 'rules'))`,
    withoutAmounts: (column, type) => {
      const members = structMembers(type).filter(([name]) => name !== 'amount');
      return `list_transform(${column}, lambda s: struct_pack(${members.map(([name]) => `${sqlIdentifier(name)} := s.${sqlIdentifier(name)}`).join(', ')}))`;
    },
    json: (members, basis) =>
      `CAST(json_object('outcome', json_merge_patch('{}', json_object(${members.map(([name, column, type]) => `${duckdbString(name)}, ${type.startsWith('DECIMAL') ? `CAST(${column} AS VARCHAR)` : column}`).join(', ')})), 'basis', to_json(${basis})) AS VARCHAR)`,
    shares: (alias, column) => ({ from: `unnest(${alias}.${column}) AS u(s)`, agent: `u.s."agent"`, amount: `u.s."amount"` }),
    string: duckdbString,
  },
  postgres: {
    code: (error) => `substring(${error} from '^([A-Z_]+)')`,
    examples: (k) => (k === 0 ? `'[]'` : `CAST(to_jsonb((array_agg("row_id" ORDER BY "n") FILTER (WHERE "kind" NOT IN ('same', 'both')))[1:${k}]) AS text)`),
    firstMessage: `(array_agg(COALESCE("be", "ae") ORDER BY "n") FILTER (WHERE "kind" IN ('base', 'rules')))[1]`,
    withoutAmounts: (column) => `CASE WHEN ${column} IS NOT NULL THEN COALESCE((SELECT jsonb_agg(s.e - 'amount' ORDER BY s.o) FROM jsonb_array_elements(${column}) WITH ORDINALITY AS s(e, o)), '[]'::jsonb) END`,
    // json, not jsonb: it keeps the outcome's fields in their order, as the Node report has them.
    json: (members, basis) =>
      `CAST(json_build_object('outcome', json_strip_nulls(json_build_object(${members.map(([name, column, type]) => `${postgresString(name)}, ${type.startsWith('numeric') ? `CAST(${column} AS text)` : column}`).join(', ')})), 'basis', to_json(${basis})) AS text)`,
    shares: (alias, column) => ({ from: `jsonb_array_elements(${alias}.${column}) AS u(s)`, agent: `(u.s ->> 'agent')`, amount: `CAST(u.s ->> 'amount' AS numeric)` }),
    string: postgresString,
  },
};

/** `name TYPE` members of a `STRUCT(…)[]` type as compileSql writes it. */
function structMembers(type: string): [string, string][] {
  const inner = /^STRUCT\((.*)\)(\[\])?$/.exec(type)?.[1] ?? '';
  return inner.split(/,\s*(?![^()]*\))/).map((member) => {
    const match = /^(\w+)\s+(.*)$/.exec(member.trim());
    return [match?.[1] ?? member.trim(), match?.[2] ?? ''];
  });
}

/**
 * The impact of a rule change as one SQL query (DuckDB or PostgreSQL) over both sides'
 * decisions joined on `n`: the rows grouped into (before → after) transitions with counts, the
 * basis on each side and the first ids (smallest `n` first), the rows one side refuses (by side
 * and code, with the first message), those both refuse, and for `commission.allocation` the money
 * per agent summed exactly (DECIMAL / numeric, never floating point). {@link impactReportOf}
 * turns its rows into the report the Node engine gives.
 *
 * @example
 * const sql = impactQuery({ dialect: 'duckdb', policy: 'review.approval', before, after, outputs, examples: 5, maxTransitions: 1000 });
 */
export function impactQuery(parts: ImpactQueryParts): string {
  const flavour = FLAVOURS[parts.dialect];
  const outputs = parts.outputs.filter((output) => output.name !== 'error');
  const outcome = outputs.filter((output) => output.name !== 'basis');
  const basis = outputs.find((output) => output.name === 'basis');
  const side = (prefix: 'b' | 'a', name: string) => sqlIdentifier(`${prefix}:${name}`);
  const money = MONEY_COLUMN[parts.policy];
  const pairColumns = outputs.flatMap((output) =>
    (['b', 'a'] as const).map((prefix) => `${prefix}.${sqlIdentifier(output.name)} AS ${side(prefix, output.name)}`),
  );
  const outcomeDiffers = outcome.map((output) => `${side('b', output.name)} IS DISTINCT FROM ${side('a', output.name)}`).join(' OR ') || 'false';
  const basisDiffers = basis === undefined ? 'false' : `${side('b', 'basis')} IS DISTINCT FROM ${side('a', 'basis')}`;
  const grouped = (prefix: 'b' | 'a') =>
    outputs.map((output) => {
      const column = side(prefix, output.name);
      const value = output.name === money ? flavour.withoutAmounts(column, output.type) : column;
      return `CASE WHEN ${TRANSITION} THEN ${value} END AS ${column}`;
    });
  const keys = ['"kind"', '"key"', ...grouped('b'), ...grouped('a')];
  const sideJson = (prefix: 'b' | 'a') =>
    flavour.json(
      outcome.map((output) => [output.name, side(prefix, output.name), output.type] as const),
      basis === undefined ? `${flavour.string('[]')}` : side(prefix, 'basis'),
    );
  const text = parts.dialect === 'duckdb' ? 'VARCHAR' : 'text';
  const ctes = [
    ...(parts.facts === undefined ? [] : [`"facts" AS (\n${parts.facts}\n)`]),
    `"before" AS (\n${parts.before}\n)`,
    `"after" AS (\n${parts.after}\n)`,
    `"pairs" AS (
  SELECT b."n", b."row_id", b."e" AS "be", a."e" AS "ae",
    ${pairColumns.join(',\n    ')}
  FROM "before" AS b JOIN "after" AS a ON b."n" = a."n"
)`,
    `"kinds" AS (
  SELECT *, CASE WHEN "be" IS NOT NULL AND "ae" IS NOT NULL THEN 'both' WHEN "be" IS NOT NULL THEN 'base' WHEN "ae" IS NOT NULL THEN 'rules'
    WHEN ${outcomeDiffers} THEN 'changed' WHEN ${basisDiffers} THEN 'basis' ELSE 'same' END AS "kind"
  FROM "pairs"
)`,
    `"groups" AS (
  SELECT "kind", CASE WHEN "kind" IN ('both', 'base') THEN ${flavour.code('"be"')} WHEN "kind" = 'rules' THEN ${flavour.code('"ae"')} END AS "key",
    ${[...grouped('b'), ...grouped('a')].join(',\n    ')},
    count(*) AS "count", min("n") AS "first", ${flavour.examples(parts.examples)} AS "examples", ${flavour.firstMessage} AS "message"
  FROM "kinds"
  GROUP BY ${keys.map((_, index) => index + 1).join(', ')}
)`,
    `"ranked" AS (
  SELECT *, CASE WHEN ${TRANSITION} THEN row_number() OVER (PARTITION BY ${TRANSITION} ORDER BY "first") END AS "rank"
  FROM "groups"
)`,
  ];
  const selects = [
    `SELECT "kind", "key", CASE WHEN ${TRANSITION} THEN ${sideJson('b')} END AS "before", CASE WHEN ${TRANSITION} THEN ${sideJson('a')} END AS "after", CAST("count" AS bigint) AS "count", NULL AS "first", "examples", "message", "first" AS "order"
FROM "ranked" WHERE "rank" IS NULL OR "rank" <= ${parts.maxTransitions}`,
    `SELECT 'other', "kind", NULL, NULL, CAST(sum("count") AS bigint), CAST(count(*) AS bigint), NULL, NULL, NULL
FROM "ranked" WHERE "rank" > ${parts.maxTransitions} GROUP BY "kind"`,
  ];
  if (money !== undefined) {
    const before = flavour.shares('k', side('b', money));
    const after = flavour.shares('k', side('a', money));
    const zero = 'CAST(0 AS DECIMAL(18, 2))';
    ctes.push(`"money" AS (
  SELECT ${before.agent} AS "agent", ${before.amount} AS "before", ${zero} AS "after", ${zero} AS "unallocated_before", CASE WHEN k.${side('a', money)} IS NULL THEN ${before.amount} ELSE ${zero} END AS "unallocated_after"
  FROM "kinds" AS k, ${before.from} WHERE ${DECIDED.replaceAll('"kind"', 'k."kind"')}
  UNION ALL
  SELECT ${after.agent}, ${zero}, ${after.amount}, CASE WHEN k.${side('b', money)} IS NULL THEN ${after.amount} ELSE ${zero} END, ${zero}
  FROM "kinds" AS k, ${after.from} WHERE ${DECIDED.replaceAll('"kind"', 'k."kind"')}
)`);
    const sum = (column: string) => `CAST(CAST(sum(${column}) AS DECIMAL(38, 2)) AS ${text})`;
    selects.push(
      `SELECT 'money', "agent", ${sum('"before"')}, ${sum('"after"')}, NULL, NULL, NULL, NULL, NULL FROM "money" GROUP BY "agent"`,
      `SELECT 'unallocated', NULL, ${sum('"unallocated_before"')}, ${sum('"unallocated_after"')}, NULL, NULL, NULL, NULL, NULL FROM "money"`,
    );
  }
  return `WITH\n${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}\nORDER BY "count" DESC NULLS LAST, "order" NULLS LAST`;
}

const number = (value: number | string | bigint | null): number => (value === null ? 0 : Number(value));

/**
 * The impact report from the rows of {@link impactQuery}, in the order it returns them (most
 * frequent first, then the first met): the report the Node engine's `impact` gives.
 * `exampleId` reads one example id (CSV ids are text in SQL, values in the Node reader).
 *
 * @example
 * const report = impactReportOf('review.approval', rows);
 */
export function impactReportOf(policy: SqlPolicyId, rows: readonly ImpactGroupRow[], exampleId: (id: unknown) => unknown = (id) => id): ImpactReport {
  let total = 0;
  let decided = 0;
  let changed = 0;
  let basisChanged = 0;
  const refusedByBoth: Record<string, number> = {};
  const transitions: ImpactTransition[] = [];
  const refusals: ImpactRefusal[] = [];
  const other = { count: 0, transitions: 0 };
  const totals = new Map<string, readonly [bigint, bigint]>();
  let unallocated: readonly [bigint, bigint] = [0n, 0n];
  const fen = (amount: string | null) => (amount === null ? 0n : toFen(amount));
  const examples = (json: string | null) => ((json === null ? [] : JSON.parse(json)) as unknown[]).map(exampleId);
  for (const row of rows) {
    const count = number(row.count);
    switch (row.kind) {
      case 'same':
      case 'changed':
      case 'basis':
      case 'other':
        total += count;
        decided += count;
        if (row.kind === 'changed' || (row.kind === 'other' && row.key === 'changed')) changed += count;
        if (row.kind === 'basis' || (row.kind === 'other' && row.key === 'basis')) basisChanged += count;
        if (row.kind === 'other') {
          other.count += count;
          other.transitions += number(row.first);
        } else if (row.kind !== 'same') {
          transitions.push({ before: JSON.parse(row.before!) as ImpactSide, after: JSON.parse(row.after!) as ImpactSide, outcomeChanged: row.kind === 'changed', count, examples: examples(row.examples) });
        }
        break;
      case 'both':
        total += count;
        refusedByBoth[row.key!] = (refusedByBoth[row.key!] ?? 0) + count;
        break;
      case 'base':
      case 'rules':
        total += count;
        refusals.push({ refusedBy: row.kind, code: row.key!, count, examples: examples(row.examples), message: (row.message ?? '').replace(/^[A-Z_]+:? /, '') });
        break;
      case 'money':
        totals.set(row.key!, [fen(row.before), fen(row.after)]);
        break;
      case 'unallocated':
        unallocated = [fen(row.before), fen(row.after)];
        break;
    }
  }
  return {
    policy,
    rows: total,
    decided,
    changed,
    basisChanged,
    refusedByBoth,
    transitions,
    otherTransitions: other,
    refusals,
    ...(MONEY_COLUMN[policy] === undefined ? {} : { money: moneyReport(totals, unallocated) }),
  };
}
