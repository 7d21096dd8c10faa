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
}

/**
 * The id of the `<script type="application/json">` element that holds the {@link ExplorerData}.
 *
 * @example
 * document.getElementById(EXPLORER_DATA_ID)?.textContent; // the embedded rule set
 */
export const EXPLORER_DATA_ID = 'explorer-data';
