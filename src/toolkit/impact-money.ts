// The money part of an impact report: exact per-agent totals in fen (BigInt), never floating point.
import type { PolicyId } from '../policies.js';
import type { ImpactReport } from './impact-report.js';

/** A share of an allocation as the outcome gives it. */
interface Share {
  readonly agent: string;
  readonly percent?: number;
  readonly amount: string;
}

function sharesOf(outcome: unknown): readonly Share[] | undefined {
  const shares = (outcome as { shares?: unknown } | null)?.shares;
  return Array.isArray(shares) ? (shares as Share[]) : undefined;
}

/**
 * A transition groups outcomes, not amounts: an allocation's shares keep agent and percent, the money is tallied apart.
 *
 * @example
 * withoutMoney('commission.allocation', { status: 'allocated', shares: [{ agent: 'li', percent: 50, amount: '5000.00' }] }); //=> { status: 'allocated', shares: [{ agent: 'li', percent: 50 }] }
 */
export function withoutMoney(policy: PolicyId, outcome: unknown): unknown {
  const shares = policy === 'commission.allocation' ? sharesOf(outcome) : undefined;
  if (shares === undefined) return outcome;
  return {
    ...(outcome as object),
    shares: shares.map(({ amount: _amount, ...rest }) => rest),
  };
}

/**
 * Exact fen in a `bigint` from a money outcome string with two places (`'5000.01'` → 500001n).
 *
 * @example
 * toFen('5000.01'); //=> 500001n
 */
export function toFen(amount: string): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (match === null) throw new TypeError(`not an amount with two decimal places: ${JSON.stringify(amount)}`);
  const fen = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] === '-' ? -fen : fen;
}

/**
 * Yuan with two places from exact fen (500001n → `'5000.01'`, -5n → `'-0.05'`).
 *
 * @example
 * fromFen(-5n); //=> '-0.05'
 */
export function fromFen(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * Per-agent totals, before and after, in exact fen.
 *
 * @example
 * const money = new MoneyTally(); money.add(before.outcome, after.outcome); money.report().total;
 */
export class MoneyTally {
  private readonly agents = new Map<string, [bigint, bigint]>();
  private unallocated: [bigint, bigint] = [0n, 0n];

  add(before: unknown, after: unknown): void {
    const a = sharesOf(before);
    const b = sharesOf(after);
    if (a === undefined && b === undefined) return;
    const sumA = this.addSide(a, 0);
    const sumB = this.addSide(b, 1);
    // The pool one side allocates and the other does not stays with nobody on that side.
    if (a === undefined) this.unallocated[0] += sumB;
    if (b === undefined) this.unallocated[1] += sumA;
  }

  private addSide(shares: readonly Share[] | undefined, side: 0 | 1): bigint {
    let sum = 0n;
    for (const share of shares ?? []) {
      const fen = toFen(share.amount);
      let totals = this.agents.get(share.agent);
      if (totals === undefined) this.agents.set(share.agent, (totals = [0n, 0n]));
      totals[side] += fen;
      sum += fen;
    }
    return sum;
  }

  report(): NonNullable<ImpactReport['money']> {
    return moneyReport(this.agents, this.unallocated);
  }
}

/**
 * The money part of an impact report from exact totals in fen: per agent `[before, after]`, and
 * the unallocated pool on each side. Agents with the largest movement come first, then by id.
 * What {@link ImpactTally} reports, and what an engine that sums in SQL (DuckDB) reports from its sums.
 *
 * @example
 * moneyReport(new Map([['li', [500000n, 0n]]]), [0n, 500000n]).total; //=> { before: '5000.00', after: '5000.00', difference: '0.00' }
 */
export function moneyReport(totals: ReadonlyMap<string, readonly [bigint, bigint]>, unallocated: readonly [bigint, bigint]): NonNullable<ImpactReport['money']> {
  const row = ([before, after]: readonly [bigint, bigint]) => ({
    before: fromFen(before),
    after: fromFen(after),
    difference: fromFen(after - before),
  });
  const agents = [...totals].map(([agent, sums]) => ({
    agent,
    ...row(sums),
    move: sums[1] - sums[0],
  }));
  // Largest movement first, then by agent id, so the report reads the same every run.
  agents.sort((x, y) => {
    const mx = x.move < 0n ? -x.move : x.move;
    const my = y.move < 0n ? -y.move : y.move;
    return mx === my ? (x.agent < y.agent ? -1 : x.agent > y.agent ? 1 : 0) : mx > my ? -1 : 1;
  });
  let before = unallocated[0];
  let after = unallocated[1];
  for (const [a, b] of totals.values()) {
    before += a;
    after += b;
  }
  return {
    agents: agents.map(({ move: _move, ...money }) => money),
    unallocated: row(unallocated),
    total: row([before, after]),
  };
}
