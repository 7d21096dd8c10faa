import fc from 'fast-check';
import { engineOf } from '../../src/core/policy.js';
import { Dec } from '../../src/core/money.js';
import { POLICIES } from '../../src/policies.js';
import { compileSql } from '../../src/sql/index.js';
import type { SqlPolicy } from './harness.js';

// Fact objects for the SQL equivalence properties: mostly valid, crowding every threshold, with
// missing facts, wrong values and repeats mixed in so the refusals are compared too. Everything
// generated fits a row of the `facts` table (see harness.ts); values SQL refuses on purpose
// (more than 10 places in DuckDB, pools above DECIMAL(18,2)) are tested on their own.

/** A fact that is sometimes left out. */
function maybe<T>(arb: fc.Arbitrary<T>, absentWeight = 1): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: arb, weight: 20 }, { arbitrary: fc.constant(undefined), weight: Math.max(1, Math.round(absentWeight * 5)) });
}

/** Drops the keys whose value is `undefined`: they are absent facts. */
function record(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(shape).map((facts) => Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)));
}

const flag = maybe(fc.boolean());

/** Agent ids that collide often and sort differently in UTF-16 and in bytes ('😀' after '\uFF5E' in bytes, before it in UTF-16). */
const agent = fc.constantFrom('li', 'wang', 'zhao', 'A', 'B', 'a', 'é', '😀', '\uFF5E', 'agent-7');
const badAgent = fc.oneof(fc.constant(''), fc.constant('x'.repeat(201)), fc.constant('😀'.repeat(101)), fc.constant('😀'.repeat(100)));

/** Mostly the facts an event reads, sometimes one it refuses or a wrong value. */
const escalation = fc.oneof(
  record({ event: fc.constant('order_change') }),
  record({ event: fc.constant('complaint'), complaintSeverity: fc.constant('minor') }),
  record({ event: fc.constant('complaint'), complaintSeverity: fc.constant('major'), resolvedByDepartments: fc.boolean() }),
  record({ event: fc.constant('force_majeure'), compensationRequested: maybe(fc.boolean()) }),
  record({ event: fc.constant('booking_anomaly'), anomaly: fc.constantFrom('wrong', 'missed', 'incorrect'), service: fc.constantFrom('venue', 'dining', 'room', 'fleet', 'other') }),
  record({
    event: maybe(fc.constantFrom('order_change', 'complaint', 'force_majeure', 'booking_anomaly', 'fire')),
    complaintSeverity: maybe(fc.constantFrom('minor', 'major', 'huge'), 2),
    resolvedByDepartments: maybe(fc.boolean(), 2),
    compensationRequested: maybe(fc.boolean(), 2),
    anomaly: maybe(fc.constantFrom('wrong', 'missed', 'late'), 2),
    service: maybe(fc.constantFrom('venue', 'dining', 'spa'), 2),
  }),
);

/** Pools that split unevenly (0.01, 0.03, 10000.01 at 50/50), evenly, at the largest SQL holds, and some evaluate refuses. */
const pool = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('0.01', '0.03', '10000.01', '10000', '0', '1', '0.1', '9999999999999999.99', '100.00', '0.010') },
  { weight: 2, arbitrary: fc.constantFrom(0.01, 0.03, 10000.01, 6000, 0) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }).map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`) },
  { weight: 1, arbitrary: fc.constantFrom('1.005', '-1', 'lots', '0.001') },
);

const agents = (max: number) => fc.array(agent, { maxLength: max });

const referral = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: record({
      referrerAgent: maybe(fc.oneof({ weight: 8, arbitrary: agent }, { weight: 1, arbitrary: badAgent }), 0.2),
      referrerAgentContacted: flag,
      namedReferrerAgent: maybe(fc.boolean(), 2),
      referrerAgentPresent: maybe(fc.boolean(), 2),
      notifiedReferrerAgent: flag,
      delegatedToCloser: flag,
      intentSigned: maybe(fc.boolean(), 2),
      referrerChoice: maybe(fc.constantFrom('all', 'half', 'none'), 2),
    }),
  },
);

/** Deals built around a closer, so that the rules' conditions (closer on the contract, one or two handlers, three receiving agents) hold often. */
const allocation = fc
  .record({
    pool: maybe(pool, 0.1),
    kind: maybe(fc.constantFrom('lease', 'lease', 'lease', 'add_on', 'intent', 'rent'), 0.1),
    depositPaidInFull: maybe(fc.constantFrom(true, true, true, false), 0.3),
    contractSigned: maybe(fc.constantFrom(true, true, true, false), 0.3),
    closer: maybe(agent, 0.2),
    partner: maybe(agent, 2),
    others: agents(3),
    handlers: maybe(agents(3), 0.1),
    originalAgents: maybe(agents(3), 1),
    originalAgentsActive: maybe(fc.constantFrom(true, true, false)),
    referral: maybe(referral, 0.5),
    receivingAgents: maybe(agents(4), 0.2),
    protectedBy: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: agent }),
    shape: fc.nat(9),
  })
  .map(({ closer, partner, others, shape, ...facts }) => {
    const out: Record<string, unknown> = { ...facts };
    if (closer !== undefined) out['closer'] = closer;
    // Most deals list the closer (and a partner) as handlers, and receiving agents among them.
    if (shape < 7 && closer !== undefined) {
      const team = partner !== undefined && partner !== closer && shape % 2 === 0 ? [closer, partner] : [closer];
      out['handlers'] = team;
      out['receivingAgents'] = shape < 3 ? team : [...new Set([...team, ...others])];
    }
    if (shape === 9 && facts.referral && typeof facts.referral === 'object' && typeof facts.referral['referrerAgent'] === 'string' && closer !== undefined) {
      out['referral'] = { ...facts.referral, referrerAgentContacted: true, referrerAgentPresent: false, notifiedReferrerAgent: true, delegatedToCloser: true };
    }
    if (shape === 8 && closer !== undefined) out['protectedBy'] = closer;
    return Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined));
  });

/** Generators that know what metadata cannot: the variants of a union, and deals built around a closer. */
const TUNED: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  'followUp.escalation': escalation,
  'commission.allocation': allocation,
};

/** Decimal strings around each threshold, written every way evaluate accepts, and some it refuses. */
function decimals(thresholds: readonly string[]): fc.Arbitrary<string | number> {
  const near = thresholds.flatMap((t) => {
    const value = new Dec(t);
    return [t, `${t}.00`, `0${t}`, value.minus('0.01').toFixed(), value.plus('0.01').toFixed(), `${t}.0000000001`, value.minus('0.0000000001').toFixed()];
  });
  const top = thresholds.reduce((max, t) => Dec.max(max, new Dec(t)), new Dec(1000)).times(200).toFixed(0);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...near, '0', '0.00', '-0') },
    { weight: 3, arbitrary: fc.constantFrom(...thresholds.flatMap((t) => [Number(t), Number(new Dec(t).plus('0.01').toFixed()), Number(new Dec(t).minus('0.01').toFixed())]), 0) },
    { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: BigInt(top) }).map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`) },
    { weight: 1, arbitrary: fc.constantFrom('x', '', '1e3', '-1', '-0.01', ' 1', '１', 'NaN', '1.', '.5', '+1', '12345678901234567890123456789012345678901') },
  );
}

/** The numbers of a policy's parameters, in every version: the thresholds its rules compare with. */
function thresholdsOf(policy: SqlPolicy): string[] {
  const { spec, versions } = engineOf(typeof policy === 'string' ? POLICIES[policy] : policy).compiled();
  const numeric = Object.entries(spec.parameterInfo).filter(([, info]) => ['money', 'decimal', 'integer'].includes(info.type)).map(([name]) => name);
  return [...new Set(versions.flatMap((version) => numeric.map((name) => String(version.parameters[name]))))];
}

/** A generator from the columns the policy's query reads: each fact by its kind and domain. */
function fromMetadata(policy: SqlPolicy): fc.Arbitrary<Record<string, unknown>> {
  const query = compileSql(policy, { dialect: 'duckdb', asOf: '2026-01-01' });
  const thresholds = thresholdsOf(policy);
  const shape = Object.fromEntries(
    query.inputs.map((input): [string, fc.Arbitrary<unknown>] => {
      const values = input.kind.type === 'string' ? input.kind.values : undefined;
      switch (input.kind.type) {
        case 'decimal':
          return [input.name, maybe(decimals(thresholds.length === 0 ? ['100'] : thresholds), 0.2)];
        case 'boolean':
          return [input.name, flag];
        case 'string':
        case 'nullableString':
          // A closed set (its values are in the column's type), or an identifier.
          return [input.name, values === undefined ? maybe(fc.oneof({ weight: 5, arbitrary: agent }, { weight: 1, arbitrary: badAgent })) : maybe(fc.constantFrom(...values, `${values[0]!.toUpperCase()}`), 0.2)];
        case 'list':
          return [input.name, maybe(agents(3))];
        case 'object':
          return [input.name, maybe(fc.constant(null))];
      }
    }),
  );
  return record(shape);
}

/**
 * The generator of a policy's facts: a tuned one, or one from its metadata.
 *
 * @example
 * fc.sample(factsOf('review.approval'), 1);
 */
export function factsOf(policy: SqlPolicy): fc.Arbitrary<Record<string, unknown>> {
  return (typeof policy === 'string' ? TUNED[policy] : undefined) ?? fromMetadata(policy);
}
