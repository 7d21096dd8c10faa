/** One policy the explorer shows. */
export interface ExplorerPolicy {
  /** The policy id, e.g. `review.approval`. */
  readonly id: string;
  /** The rules file it was read from, as the page names it. */
  readonly file: string;
  /** Facts to start from, taken from the policy's case file (cases with an expected outcome). */
  readonly examples: readonly { readonly name: string; readonly facts: Readonly<Record<string, unknown>> }[];
}

/**
 * What the explorer page embeds beside its script: the rule set and what to show of it. The CLI
 * writes it; the page reads it. Plain JSON.
 */
export interface ExplorerData {
  /** The package version that wrote the page. */
  readonly version: string;
  /** Where the rules come from, as people name it: a folder path, or the bundled rules. */
  readonly source: string;
  /** Whether the rules are the ones bundled with the package. */
  readonly bundled: boolean;
  /** The date whose parameters the page starts with (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** The language the page starts in. */
  readonly lang: 'en' | 'zh';
  /** The policies shown, in the folder's path order. */
  readonly policies: readonly ExplorerPolicy[];
  /**
   * The rule set `evaluate` receives as `options.rules`, by policy id: every policy shown, plus the
   * bundled rules of the others, which policies shown may evaluate inside themselves (readiness
   * evaluates approval).
   */
  readonly rules: Readonly<Record<string, unknown>>;
  /** What the page's rules change in a file of historical facts (`docs --html --data FILE`), against the bundled rules. */
  readonly impact?: ExplorerImpact;
}

/** One side of a transition as the page shows it: the outcome as `field=value` text (clipped) and its basis. */
export interface ExplorerImpactSide {
  readonly outcome: string;
  readonly basis: readonly string[];
}

/** Money one agent receives, before and after, in yuan with two places (exact). */
export interface ExplorerImpactMoney {
  readonly agent: string;
  readonly before: string;
  readonly after: string;
  readonly difference: string;
}

/**
 * The impact report of `sales-policies impact` as the page embeds it: the bundled rules (before)
 * against the page's (after) over a data file, bounded in size (the first transitions, refusals
 * and agents; ids and texts clipped), every text from the data or the rules plain data.
 */
export interface ExplorerImpact {
  /** The policy the rows are facts of. */
  readonly policy: string;
  /** The data file, as named on the command line. */
  readonly data: string;
  /** The rules before (`base`) and after (`rules`), as people name them. */
  readonly base: string;
  readonly rules: string;
  /** The date the rows are decided as of: a date, or the field holding each row's own. */
  readonly asOf: { readonly date: string } | { readonly field: string };
  readonly rows: number;
  readonly decided: number;
  readonly changed: number;
  readonly basisChanged: number;
  /** Rows both sides refuse, by code, most first. */
  readonly refusedByBoth: readonly { readonly code: string; readonly count: number }[];
  /** The most frequent transitions, most first. */
  readonly transitions: readonly {
    readonly before: ExplorerImpactSide;
    readonly after: ExplorerImpactSide;
    readonly outcomeChanged: boolean;
    readonly count: number;
    /** The first ids, as text (clipped). */
    readonly examples: readonly string[];
  }[];
  /** Rows in the transitions not listed, and how many such transitions. */
  readonly otherTransitions: { readonly count: number; readonly transitions: number };
  /** Rows one side refuses and the other decides, most first. */
  readonly refusals: readonly {
    readonly refusedBy: 'base' | 'rules';
    readonly code: string;
    readonly count: number;
    readonly examples: readonly string[];
    readonly message: string;
  }[];
  /** Refusals not listed: their rows and how many groups. */
  readonly otherRefusals: { readonly count: number; readonly groups: number };
  /** `commission.allocation` only: per agent (the largest movements), the agents not listed together, the unallocated pool and the total. */
  readonly money?: {
    readonly agents: readonly ExplorerImpactMoney[];
    readonly others?: Omit<ExplorerImpactMoney, 'agent'> & { readonly agents: number };
    readonly unallocated: Omit<ExplorerImpactMoney, 'agent'>;
    readonly total: Omit<ExplorerImpactMoney, 'agent'>;
  };
}

/**
 * The id of the `<script type="application/json">` element that holds the {@link ExplorerData}.
 *
 * @example
 * document.getElementById(EXPLORER_DATA_ID)?.textContent; // the embedded rule set
 */
export const EXPLORER_DATA_ID = 'explorer-data';
