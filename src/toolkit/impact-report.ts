// What `impact` reports, and the row a file reader yields when it cannot read a row.
import type { PolicyId } from '../policies.js';

/** Options of {@link impact}. */
export interface ImpactOptions {
  /** The rules before the change: a rule set as `evaluate`'s `rules` option takes it (e.g. from `loadRuleSet`). */
  readonly base: unknown;
  /** The rules after the change, in the same form. */
  readonly rules: unknown;
  /** The date every row is decided on (default: today in `timeZone`), unless `asOfField` gives a row its own. */
  readonly asOf?: string;
  /** A member of each row holding the date it is decided as of (`YYYY-MM-DD`), taken out of the facts; a row without one (or with null) is decided as of `asOf`. A bad date: both sides refuse the row (`INVALID_OPTIONS`). */
  readonly asOfField?: string;
  /** A member of each row holding its id, taken out of the facts (default `id`; a row without one is known by its position, from 1). */
  readonly idField?: string;
  /** IANA zone of calendar dates (default `Asia/Shanghai`). */
  readonly timeZone?: string;
  /** Example ids kept per transition and per refusal (default 5). */
  readonly examples?: number;
  /** Distinct transitions listed one by one (default 1,000); the rest are counted in `otherTransitions`. */
  readonly maxTransitions?: number;
  /** Called every 10,000 rows with the number of rows read so far. */
  readonly onProgress?: (rows: number) => void;
}

/** One side of a transition: an outcome (money amounts left out) and the rules it rests on. */
export interface ImpactSide {
  readonly outcome: unknown;
  readonly basis: readonly string[];
}

/** Rows that went from one decision to another, with the first few of their ids. */
export interface ImpactTransition {
  readonly before: ImpactSide;
  readonly after: ImpactSide;
  /** False when only the basis changed (the same outcome, for other reasons). */
  readonly outcomeChanged: boolean;
  readonly count: number;
  readonly examples: readonly unknown[];
}

/** Rows one side refuses (bad facts, a rule gap, a bad date) and the other decides. */
export interface ImpactRefusal {
  /** Which side refuses: `base` (before) or `rules` (after). */
  readonly refusedBy: 'base' | 'rules';
  /** The error code, e.g. `INVALID_FACTS`, `RULE_GAP`, `INVALID_OPTIONS`. */
  readonly code: string;
  readonly count: number;
  readonly examples: readonly unknown[];
  /** The first refusal's message, for a reader. */
  readonly message: string;
}

/** Money one agent receives in the rows both sides decide, in yuan with two places (exact). */
export interface ImpactMoney {
  readonly agent: string;
  readonly before: string;
  readonly after: string;
  readonly difference: string;
}

/** What {@link impact} reports. */
export interface ImpactReport {
  readonly policy: PolicyId;
  /** Rows read. */
  readonly rows: number;
  /** Rows both sides decided. */
  readonly decided: number;
  /** Rows both sides decided whose outcome differs. */
  readonly changed: number;
  /** Rows both sides decided with the same outcome on a different basis. */
  readonly basisChanged: number;
  /** Rows both sides refused (counted by code). */
  readonly refusedByBoth: Readonly<Record<string, number>>;
  /** Rows whose outcome or basis changes, grouped, most frequent first. */
  readonly transitions: readonly ImpactTransition[];
  /** Rows in transitions past `maxTransitions`, and how many such transitions. */
  readonly otherTransitions: {
    readonly count: number;
    readonly transitions: number;
  };
  /** Rows one side refuses and the other decides, by side and code. */
  readonly refusals: readonly ImpactRefusal[];
  /**
   * `commission.allocation` only: per agent, the commission before, after and the difference over
   * the rows both sides decide; `unallocated` is the pool of those rows that one side allocates
   * and the other does not, so `Σ before + unallocated.before = Σ after + unallocated.after`.
   */
  readonly money?: {
    readonly agents: readonly ImpactMoney[];
    readonly unallocated: Omit<ImpactMoney, 'agent'>;
    readonly total: Omit<ImpactMoney, 'agent'>;
  };
}

/**
 * A row that could not be read from its file (not JSON, a broken CSV record): both sides refuse
 * it with `code`. Readers such as `readFactsFile` yield one in the row's place, so one bad line
 * is counted, not fatal.
 *
 * @example
 * yield new UnreadableRow('INVALID_JSON', 'line 3: Unexpected token', 3);
 */
export class UnreadableRow {
  constructor(
    readonly code: string,
    readonly message: string,
    /** The row's line (NDJSON) or record number (CSV), used as its id. */
    readonly line: number
  ) {}
}
