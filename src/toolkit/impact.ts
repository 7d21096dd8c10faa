import { canonicalJson } from '../core/canonical-json.js';
import { SalesPoliciesError, UnknownPolicyError } from '../core/errors.js';
import type { Decision, EvaluateOptions } from '../core/policy.js';
import type { PolicyId } from '../policies.js';
import { isPolicyId, POLICIES, POLICY_IDS } from '../policies.js';
import { MoneyTally, withoutMoney } from './impact-money.js';
import type { ImpactOptions, ImpactReport, ImpactSide } from './impact-report.js';
import { UnreadableRow } from './impact-report.js';

/** How many example ids each transition and each refusal keeps, by default. */
const DEFAULT_EXAMPLES = 5;
/** How many distinct transitions are kept one by one; past that they are counted together. */
const DEFAULT_MAX_TRANSITIONS = 1_000;
/** How many prepared evaluators (one per side and date) are kept before the cache starts over. */
const MAX_PREPARED = 4_096;

export type { ImpactMoney, ImpactOptions, ImpactRefusal, ImpactReport, ImpactSide, ImpactTransition } from './impact-report.js';
export { UnreadableRow } from './impact-report.js';
export { fromFen, moneyReport, toFen } from './impact-money.js';

/** One side's result for a row: its decision, or why it refused. */
export type SideResult =
  | {
      readonly decided: true;
      readonly decision: Pick<Decision<unknown>, 'outcome' | 'basis'>;
    }
  | {
      readonly decided: false;
      readonly code: string;
      readonly message: string;
    };
type Run = (facts: unknown) => Decision<unknown>;

interface TransitionTally {
  before: ImpactSide;
  after: ImpactSide;
  outcomeChanged: boolean;
  count: number;
  examples: unknown[];
}

/**
 * What a rule change does to real decisions: decides every row under both rule sets (`base`
 * before, `rules` after) and reports how many rows change outcome, grouped into (before → after)
 * transitions with their basis, counts and first example ids; the rows one side refuses and the
 * other decides; and, for `commission.allocation`, the money each agent gains or loses, exact to
 * the fen. Memory is constant in the rows: counts and at most `examples` ids per group are kept
 * (and one total per agent). Rows may be an iterable or an async iterable (a file being read).
 *
 * @example
 * import { loadRuleSet, readFactsFile, impact } from 'sales-policies/node';
 * const report = await impact('review.approval', readFactsFile('contracts.ndjson'), {
 *   base: loadRuleSet('main-rules'), rules: loadRuleSet('rules'), asOfField: 'signedOn',
 * });
 * report.changed; //=> 41873
 * report.transitions[0]; //=> { before: { outcome: { authority: 'general_manager', … }, basis: ['REV-6.3'] }, after: …, count: 41873, examples: ['C-17', …] }
 */
export async function impact(policy: PolicyId, rows: Iterable<unknown> | AsyncIterable<unknown>, options: ImpactOptions): Promise<ImpactReport> {
  if (!isPolicyId(policy)) throw new UnknownPolicyError(String(policy), POLICY_IDS);
  const { idField = 'id', asOfField, examples = DEFAULT_EXAMPLES, maxTransitions = DEFAULT_MAX_TRANSITIONS, onProgress } = options;
  const common: EvaluateOptions = {
    trace: false,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  };
  const before = preparer(policy, { ...common, rules: options.base });
  const after = preparer(policy, { ...common, rules: options.rules });
  // Options are checked once, up front: a bad asOf or zone is an error, not a refusal per row.
  before(options.asOf);
  after(options.asOf);
  const tally = new ImpactTally(policy, examples, maxTransitions);
  const one = (row: unknown): void => {
    const count = tally.read();
    if (onProgress !== undefined && count % 10_000 === 0) onProgress(count);
    if (row instanceof UnreadableRow) {
      tally.refuseBoth(row.code);
      return;
    }
    let id: unknown = count;
    let facts = row;
    let asOf = options.asOf;
    if (row !== null && typeof row === 'object' && !Array.isArray(row)) {
      const own = row as Record<string, unknown>;
      const has = (field: string) => Object.prototype.hasOwnProperty.call(own, field);
      const hasId = has(idField);
      const hasDate = asOfField !== undefined && has(asOfField);
      if (hasId || hasDate) {
        const { [idField]: ownId, ...rest } = own;
        if (hasId) id = ownId;
        facts = rest;
        if (hasDate) {
          const { [asOfField]: date, ...other } = rest;
          // A null date is no date (as an empty CSV cell is, and as SQL reads it): the row is decided as of `asOf`.
          if (date !== null) asOf = typeof date === 'string' ? date : String(date);
          facts = other;
        }
      }
    }
    tally.add(id, decide(before, asOf, facts), decide(after, asOf, facts));
  };

  if (Symbol.asyncIterator in (rows as object)) for await (const row of rows as AsyncIterable<unknown>) one(row);
  else for (const row of rows as Iterable<unknown>) one(row);

  return tally.report();
}

/**
 * The counts of an impact run, fed one row at a time with both sides' results: what
 * {@link impact} keeps, and what another engine (DuckDB) that decides the rows feeds.
 */
export class ImpactTally {
  private readonly money: MoneyTally | undefined;
  private readonly transitions = new Map<string, TransitionTally>();
  private readonly refusals = new Map<
    string,
    {
      refusedBy: 'base' | 'rules';
      code: string;
      count: number;
      examples: unknown[];
      message: string;
    }
  >();
  private readonly refusedByBoth: Record<string, number> = {};
  private readonly other = { count: 0, keys: new Set<string>(), overflow: 0 };
  private count = 0;
  private decided = 0;
  private changed = 0;
  private basisChanged = 0;

  constructor(private readonly policy: PolicyId, private readonly examples = DEFAULT_EXAMPLES, private readonly maxTransitions = DEFAULT_MAX_TRANSITIONS) {
    this.money = policy === 'commission.allocation' ? new MoneyTally() : undefined;
  }

  /** Counts a row read; returns its position, from 1. */
  read(): number {
    return ++this.count;
  }

  /** A row both sides refuse, by its code. */
  refuseBoth(code: string): void {
    this.refusedByBoth[code] = (this.refusedByBoth[code] ?? 0) + 1;
  }

  /** A row's results on both sides (after {@link read}). */
  add(id: unknown, a: SideResult, b: SideResult): void {
    if (!a.decided || !b.decided) {
      if (!a.decided && !b.decided) {
        this.refuseBoth(a.code);
        return;
      }
      const refusal = (a.decided ? b : a) as Extract<SideResult, { decided: false }>;
      const refusedBy = a.decided ? 'rules' : 'base';
      const key = `${refusedBy}\u0000${refusal.code}`;
      let tally = this.refusals.get(key);
      if (tally === undefined)
        this.refusals.set(
          key,
          (tally = {
            refusedBy,
            code: refusal.code,
            count: 0,
            examples: [],
            message: refusal.message,
          })
        );
      tally.count++;
      if (tally.examples.length < this.examples) tally.examples.push(id);
      return;
    }
    this.decided++;
    this.money?.add(a.decision.outcome, b.decision.outcome);
    const outcomeChanged = !sameJson(a.decision.outcome, b.decision.outcome);
    const sameBasis = sameList(a.decision.basis, b.decision.basis);
    if (!outcomeChanged && sameBasis) return;
    if (outcomeChanged) this.changed++;
    else this.basisChanged++;
    const beforeSide = {
      outcome: withoutMoney(this.policy, a.decision.outcome),
      basis: a.decision.basis,
    };
    const afterSide = {
      outcome: withoutMoney(this.policy, b.decision.outcome),
      basis: b.decision.basis,
    };
    const key = canonicalJson([beforeSide, afterSide, outcomeChanged]);
    let tally = this.transitions.get(key);
    if (tally === undefined) {
      if (this.transitions.size >= this.maxTransitions) {
        this.other.count++;
        // Count distinct overflowing transitions up to a bound, then only rows.
        if (this.other.keys.size < this.maxTransitions) this.other.keys.add(key);
        else if (!this.other.keys.has(key)) this.other.overflow++;
        return;
      }
      this.transitions.set(
        key,
        (tally = {
          before: beforeSide,
          after: afterSide,
          outcomeChanged,
          count: 0,
          examples: [],
        })
      );
    }
    tally.count++;
    if (tally.examples.length < this.examples) tally.examples.push(id);
  }

  /** The report so far. */
  report(): ImpactReport {
    return {
      policy: this.policy,
      rows: this.count,
      decided: this.decided,
      changed: this.changed,
      basisChanged: this.basisChanged,
      refusedByBoth: this.refusedByBoth,
      transitions: [...this.transitions.values()].sort((x, y) => y.count - x.count).map((t) => ({ ...t })),
      otherTransitions: {
        count: this.other.count,
        transitions: this.other.keys.size + this.other.overflow,
      },
      refusals: [...this.refusals.values()].sort((x, y) => y.count - x.count),
      ...(this.money === undefined ? {} : { money: this.money.report() }),
    };
  }
}

/** A side's evaluators, one per date, prepared once (checking options and picking rules). */
function preparer(policy: PolicyId, options: EvaluateOptions): (asOf: string | undefined) => Run {
  const prepare = POLICIES[policy].prepare as (options: EvaluateOptions) => Run;
  const cache = new Map<string | undefined, Run>();
  return (asOf) => {
    let run = cache.get(asOf);
    if (run === undefined) {
      if (cache.size >= MAX_PREPARED) cache.clear();
      run = prepare(asOf === undefined ? options : { ...options, asOf });
      cache.set(asOf, run);
    }
    return run;
  };
}

function decide(side: (asOf: string | undefined) => Run, asOf: string | undefined, facts: unknown): SideResult {
  try {
    return { decided: true, decision: side(asOf)(facts) };
  } catch (error) {
    // A row's bad date (INVALID_OPTIONS), bad facts (INVALID_FACTS) or a rule gap (RULE_GAP) is that row's refusal.
    if (error instanceof SalesPoliciesError && error.code !== 'INVALID_RULE_SET' && error.code !== 'UNKNOWN_POLICY')
      return { decided: false, code: error.code, message: error.message };
    throw error;
  }
}

/** Deep equality of JSON values, whatever the key order: the per-row test, far cheaper than comparing canonical JSON text. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const key in x) {
    if (!Object.prototype.hasOwnProperty.call(x, key)) continue;
    keys++;
    if (!Object.prototype.hasOwnProperty.call(y, key) || !sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (Object.prototype.hasOwnProperty.call(y, key)) keys--;
  return keys === 0;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
