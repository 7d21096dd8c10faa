import fc from 'fast-check';
import type { SqlPolicyId } from '../../src/sql/index.js';

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

/** Amounts at and around 500,000 and 3,000,000, as strings and numbers, written every way evaluate accepts, and some it refuses. */
const amount = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('499999.99', '500000', '500000.00', '500000.01', '2999999.99', '3000000', '3000000.01', '0', '0.00', '-0', '0500000', '500000.0000000001', '499999.9999999999') },
  { weight: 3, arbitrary: fc.constantFrom(499999.99, 500000, 500000.01, 2999999.99, 3000000, 3000000.01, 0) },
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }).map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('x', '', '1e3', '-1', '-0.01', ' 1', '１', 'NaN', '1.', '.5', '+1', '12345678901234567890123456789012345678901') },
);

const approval = record({
  amount: maybe(amount, 0.2),
  channel: maybe(fc.constantFrom('direct', 'distributor', 'direct', 'distributor', 'Direct'), 0.2),
  disputed: flag,
  repeatBatch: maybe(fc.boolean(), 3),
  technicalTermsChanged: flag,
  priceChanged: flag,
});

const arbitration = record({
  clause: maybe(fc.constantFrom('quality', 'price', 'delivery', 'Quality'), 0.2),
  firstRulingAccepted: flag,
});

/** Agent ids that collide often and sort differently in UTF-16 and in bytes ('😀' after '\uFF5E' in bytes, before it in UTF-16). */
const agent = fc.constantFrom('li', 'wang', 'zhao', 'A', 'B', 'a', 'é', '😀', '\uFF5E', 'agent-7');
const badAgent = fc.oneof(fc.constant(''), fc.constant('x'.repeat(201)), fc.constant('😀'.repeat(101)), fc.constant('😀'.repeat(100)));

const handler = record({
  request: maybe(fc.constantFrom('add_on', 'shop_transfer', 'payment_change', 'intent_refund', 'intent_sign', 'refund'), 0.2),
  originalAgent: maybe(fc.oneof({ weight: 5, arbitrary: agent }, { weight: 1, arbitrary: badAgent })),
  originalAgentStatus: maybe(fc.constantFrom('present', 'absent', 'departed', 'away'), 0.2),
});

const conduct = record({
  jointReception: maybe(fc.boolean(), 0.5),
  newClientArrived: flag,
  enoughStaffFree: flag,
  splitOff: flag,
  oldClientReturned: flag,
  followingBoth: flag,
});

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

/** The generator of each covered policy's facts. */
export const FACTS: Readonly<Record<SqlPolicyId, fc.Arbitrary<Record<string, unknown>>>> = {
  'review.approval': approval,
  'review.arbitration': arbitration,
  'commission.handler': handler,
  'commission.conduct': conduct,
  'followUp.escalation': escalation,
  'commission.allocation': allocation,
};
