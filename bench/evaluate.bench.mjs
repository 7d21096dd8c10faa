// `npm run bench`: how fast each way of evaluating a policy is, side by side, in one process, on
// the same 100,000 generated fact objects per policy (never part of `npm test`), for
// review.approval and commission.allocation:
//   1. json-rules-engine running the same rules (engine built once, each run awaited)
//   2. our evaluate with trace      3. without trace      4. the batch API (evaluateMany)
//   5. a hand-written function doing the same job (same checks, same exactness): the limit
// and the kernels alone (facts already checked and normalised): our compiled rules against a
// hand-written if/else on the same values. For commission.allocation also where the time goes
// (facts check, derive and view, kernel, roles and money) and what refusing invalid facts costs. Every
// way must agree on every fact, or it exits 1. Writes bench/results.json.
// BENCH_COUNT (facts per policy), BENCH_ROUNDS (best of), BENCH_POLICIES (comma-separated ids).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Engine } from 'json-rules-engine';
import { compile } from 'zod/mini';
import { pathToFileURL } from 'node:url';
import { handCommissionAllocation, handFacts, handKernel as handAllocationKernel, handOutcome } from './hand-written/commission-allocation.mjs';
import { handKernel, handReviewApproval, handReviewApprovalNumbers } from './hand-written/review-approval.mjs';
import { EDGE_FACTS, generateAllocationFacts } from './facts/commission-allocation.mjs';

// BENCH_DIST: another build to measure (e.g. a copy of an older dist), default ../dist/.
const DIST = process.env.BENCH_DIST ? pathToFileURL(process.env.BENCH_DIST.replace(/\/?$/, '/')) : new URL('../dist/', import.meta.url);
const { evaluate, evaluateMany } = await import(new URL('index.js', DIST).href);
const { commissionAllocation } = await import(new URL('commission.js', DIST).href);
const { reviewApproval } = await import(new URL('review.js', DIST).href);
// Policies expose { id, evaluate, safeEvaluate, prepare }; their versions are reached through the
// engine entry (an older dist without it still has policy.version).
const engineEntry = await import(new URL('engine.js', DIST).href).catch(() => undefined);
const engineSide = (policy) => (engineEntry ? engineEntry.engineOf(policy) : policy);
const versionOf = (policy, options) => engineSide(policy).version(options);

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLICIES = (process.env.BENCH_POLICIES ?? 'review.approval,commission.allocation').split(',');
const AS_OF = '2026-01-01';
const noTrace = { asOf: AS_OF, trace: false };
const readRules = (file) => JSON.parse(readFileSync(new URL(`../rules/${file}`, import.meta.url), 'utf8'));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;

// Seeded, so every run measures the same facts.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

let sink = 0;

/** Best of ROUNDS over `count` items (other jobs share this machine: the best round is the least disturbed). */
function measure(label, run, count = COUNT) {
  run(Math.min(count, 10_000)); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    run(count);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / count);
  }
  return { label, ns: best };
}

/**
 * Ways timed in turn, ROUNDS × 3 rounds, each round timing every way once: the best round of each
 * (`ns`), and beside it (`vs`) the time that makes its ratio to the last way the median of the
 * per-round ratios, which a drift in the machine's speed moves far less than best-of-rounds.
 */
function measureInTurn(ways, count = COUNT) {
  for (const [, run] of ways) run(Math.min(count, 10_000)); // warm up
  const times = ways.map(() => []);
  for (let round = 0; round < ROUNDS * 3; round++) {
    ways.forEach(([, run], index) => {
      const start = process.hrtime.bigint();
      run(count);
      times[index].push(Number(process.hrtime.bigint() - start) / count);
    });
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const base = times[times.length - 1];
  return ways.map(([label], index) => {
    const ns = Math.min(...times[index]);
    const ratio = median(times[index].map((t, round) => t / base[round]));
    return { label, ns, vs: ns / ratio };
  });
}

/** json-rules-engine, engine built once, each run awaited, as its documentation uses it: one pass. */
async function measureJre(label, engine, jreFacts) {
  const fired = [];
  const start = process.hrtime.bigint();
  for (const f of jreFacts) {
    const { results } = await engine.run(f);
    fired.push(results);
  }
  return { row: { label, ns: Number(process.hrtime.bigint() - start) / jreFacts.length }, fired };
}

/** Ratios to json-rules-engine and to the hand-written line (kernels to the hand-written kernel). */
function toRows(results, handLabel, handKernelLabel) {
  const jre = results.find((r) => r.label.startsWith('json-rules-engine')).ns;
  const hand = results.find((r) => r.label === handLabel).ns;
  const handKernelNs = results.find((r) => r.label === handKernelLabel).ns;
  return results.map((r) => ({
    label: r.label,
    nsPerDecision: Math.round(r.ns * 10) / 10,
    decisionsPerSecond: Math.round(1e9 / r.ns),
    timesFasterThanJsonRulesEngine: Math.round(jre / r.ns),
    timesTheHandWritten: Math.round((r.ns / (r.vs ?? (r.label.startsWith('kernel') ? handKernelNs : hand))) * 100) / 100,
  }));
}

function printTable(policy, rows, disagreements, extra = '') {
  console.log(`${policy}, ${COUNT.toLocaleString('en')} fact objects, best of ${ROUNDS} rounds — ${machine}`);
  console.log(`${'way'.padEnd(44)} ${'ns/decision'.padStart(11)} ${'decisions/s'.padStart(12)} ${'× JRE'.padStart(7)} ${'vs hand'.padStart(8)}`);
  for (const r of rows) console.log(`${r.label.padEnd(44)} ${String(r.nsPerDecision).padStart(11)} ${r.decisionsPerSecond.toLocaleString('en').padStart(12)} ${String(r.timesFasterThanJsonRulesEngine).padStart(7)} ${`${r.timesTheHandWritten}×`.padStart(8)}`);
  console.log(disagreements === 0 ? `all ways agree on all ${COUNT.toLocaleString('en')} facts${extra}` : `${disagreements} disagreements`);
}

// ─── review.approval ────────────────────────────────────────────────────────────────────────────

async function benchApproval() {
  seed = 42;
  const rules = readRules('review/approval.rules.json');
  const params = rules.parameters[0].values;
  // Amounts as strings and as numbers, crowding the thresholds as well as spreading far beyond them.
  const amountOf = () => {
    const r = random();
    if (r < 0.2) return String(500_000 + Math.floor(random() * 3) - 1);
    if (r < 0.3) return (2_999_999.99 + Math.floor(random() * 3) / 100).toFixed(2);
    if (r < 0.65) return String(Math.floor(random() * 600_000_000) / 100);
    return Math.floor(random() * 6_000_000);
  };
  const facts = Array.from({ length: COUNT }, () => {
    const f = { amount: amountOf(), channel: random() < 0.8 ? 'direct' : 'distributor' };
    if (random() < 0.5) f.disputed = random() < 0.4;
    if (random() < 0.2) f.repeatBatch = true;
    if (random() < 0.1) f.priceChanged = random() < 0.5;
    return f;
  });

  const results = [];
  results.push(measure('evaluate, with trace', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], { asOf: AS_OF }).basis.length; }));
  results.push(measure('evaluate, trace: false', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], noTrace).basis.length; }));
  results.push(measure('evaluateMany, trace: false', (n) => { for (const item of evaluateMany('review.approval', facts.slice(0, n), noTrace)) sink += item.decision.basis.length; }));
  results.push(measure('hand-written (same checks, exact)', (n) => { for (let i = 0; i < n; i++) sink += handReviewApproval(facts[i], AS_OF).basis.length; }));

  // As apps send them: amounts as JSON numbers with cents, no asOf (today's date), against the
  // plain hand-written function an app would write instead (Number comparisons, exact here).
  const numeric = facts.map((f) => ({ ...f, amount: Number(f.amount) }));
  const plainLabel = 'hand-written, plain Number (numbers, no asOf)';
  // Timed in turn, round by round: on a host whose speed drifts, ratios of ways timed minutes
  // apart moved by 40 %; each row's ratio is the median of its per-round ratios to the plain function.
  const plainRows = measureInTurn([
    ['evaluate, with trace (numbers, no asOf)', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', numeric[i]).basis.length; }],
    ['evaluate, trace: false (numbers, no asOf)', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', numeric[i], { trace: false }).basis.length; }],
    [plainLabel, (n) => { for (let i = 0; i < n; i++) sink += handReviewApprovalNumbers(numeric[i]).basis.length; }],
  ]);
  results.push(...plainRows);

  // The kernels: our compiled rules and the hand-written if/else, on the same normalised values.
  const version = versionOf(reviewApproval, { asOf: AS_OF });
  const normalised = facts.map((f) => { const d = evaluate('review.approval', f, noTrace); void d; return normalise(f); });
  function normalise(f) {
    const canonical = (v) => { const s = String(v); const [i, fr = ''] = s.split('.'); const frac = fr.replace(/0+$/, ''); const int = i.replace(/^0+(?=\d)/, ''); return frac ? `${int}.${frac}` : int; };
    return { amount: canonical(f.amount), channel: f.channel, disputed: f.disputed ?? false, repeatBatch: f.repeatBatch ?? false, technicalTermsChanged: f.technicalTermsChanged ?? false, priceChanged: f.priceChanged ?? false };
  }
  const compiledKernel = (view) => version.rules[version.firstHit(view)];
  // In turn, like the numeric rows: timed apart, a kernel's ratio to the hand-written one moved 1.3x-2.2x between runs.
  results.push(...measureInTurn([
    ['kernel: compiled rules (generated)', (n) => { for (let i = 0; i < n; i++) sink += compiledKernel(normalised[i]).index; }],
    ['kernel: hand-written if/else', (n) => { for (let i = 0; i < n; i++) sink += handKernel(normalised[i], AS_OF).basis.length; }],
  ]));

  // json-rules-engine: its engine built once, each run awaited, as its documentation uses it.
  const engine = new Engine(rules.rules, { allowUndefinedFacts: true });
  const jreFacts = facts.map((f) => ({ technicalTermsChanged: false, priceChanged: false, disputed: false, repeatBatch: false, ...f, amount: Number(f.amount), 'param.directorLimit': params.directorLimit, 'param.vpLimit': params.vpLimit }));
  const jre = await measureJre('json-rules-engine 7.3.1 (each run awaited)', engine, jreFacts);
  results.push(jre.row);
  const jreBasis = jre.fired.map((fired) => fired.sort((a, b) => b.priority - a.priority)[0]?.name);

  // Agreement on every fact.
  let disagreements = 0;
  const many = [...evaluateMany('review.approval', facts, noTrace)];
  facts.forEach((f, i) => {
    const ours = evaluate('review.approval', f, noTrace);
    const hand = handReviewApproval(f, AS_OF);
    const kernel = compiledKernel(normalised[i]).name;
    const same = JSON.stringify(ours) === JSON.stringify(hand) && JSON.stringify(many[i].decision) === JSON.stringify(ours) && kernel === ours.basis[0] && handKernel(normalised[i], AS_OF).basis[0] === kernel;
    // json-rules-engine compares JSON numbers: it agrees wherever the amount is exact as a double.
    const jreComparable = Number.isSafeInteger(Math.round(Number(f.amount) * 100)) && String(Number(f.amount)) === normalised[i].amount;
    const plain = JSON.stringify(handReviewApprovalNumbers(numeric[i]));
    const oursNumeric = evaluate('review.approval', numeric[i], { trace: false });
    const samePlain = plain === JSON.stringify(oursNumeric) && oursNumeric.basis[0] === evaluate('review.approval', numeric[i]).basis[0];
    if (!same || !samePlain || (jreComparable && jreBasis[i] !== ours.basis[0])) {
      if (disagreements++ < 5) console.error('disagreement on', JSON.stringify(f), ours.basis, hand.basis, kernel, jreBasis[i]);
    }
  });

  const rows = toRows(results, 'hand-written (same checks, exact)', 'kernel: hand-written if/else');
  printTable('review.approval', rows, disagreements);
  return { policy: 'review.approval', count: COUNT, rows, disagreements };
}

// ─── commission.allocation ──────────────────────────────────────────────────────────────────────

const JRE_NOTE = 'json-rules-engine (engine built once, each run awaited) cannot make this decision alone (naming agents by role and splitting the pool are TypeScript): it runs the same rules JSON on the facts after our check and derive, and only picks the deciding rule.';

async function benchAllocation() {
  const POLICY = 'commission.allocation';
  const rules = readRules('commission/allocation.rules.json');
  const params = rules.parameters[0].values;
  const { facts, invalid } = generateAllocationFacts(COUNT, Math.max(1, Math.round(COUNT / 50)));

  const results = [];
  results.push(measure('evaluate, with trace', (n) => { for (let i = 0; i < n; i++) sink += evaluate(POLICY, facts[i], { asOf: AS_OF }).basis.length; }));
  results.push(measure('evaluate, trace: false', (n) => { for (let i = 0; i < n; i++) sink += evaluate(POLICY, facts[i], noTrace).basis.length; }));
  results.push(measure('evaluateMany, trace: false', (n) => { for (const item of evaluateMany(POLICY, facts.slice(0, n), noTrace)) sink += item.decision.basis.length; }));
  results.push(measure('hand-written (same checks, exact)', (n) => { for (let i = 0; i < n; i++) sink += handCommissionAllocation(facts[i], AS_OF).basis.length; }));

  // Our pipeline taken apart, as `prepare` runs it: the compiled facts schema, the view
  // the rules read (facts and derived ones), the generated kernel, decide (roles to agents, the exact split).
  const definition = engineSide(commissionAllocation).definition;
  const version = versionOf(commissionAllocation, { asOf: AS_OF });
  const context = { timeZone: 'Asia/Shanghai', maxItems: 100_000, asOf: AS_OF, param: (name) => version.parameters[name], nested: { ...noTrace, timeZone: 'Asia/Shanghai', maxItems: 100_000 } };
  // The facts check `prepare` runs: the library's own checker of the rules file's facts block, or,
  // in an older build without it, zod's compiled schema of the same block.
  const schema = engineEntry?.factsChecker ? engineEntry.factsChecker(rules.facts, context) : compile(definition.facts(context));
  const checkLabel = engineEntry?.factsChecker ? 'facts check (the library\'s checker)' : 'facts check (compiled zod schema)';
  const parsed = facts.map((f) => schema.safeParse(f).data);
  // What the rules read: the policy's own view (the facts and the derived ones in one object), or,
  // in an older build, the engine's merge of the facts and what derive returned.
  const viewOf = definition.view ?? ((f, c) => ({ ...f, ...definition.derive(f, c) }));
  const views = parsed.map((f) => viewOf(f, context));
  const compiledKernel = (view) => version.rules[version.firstHit(view)];
  const decisive = views.map((view) => compiledKernel(view));
  const handViews = facts.map((f) => handFacts(f));
  const handRules = handViews.map((view) => handAllocationKernel(view));

  results.push(...measureInTurn([
    ['kernel: compiled rules (generated)', (n) => { for (let i = 0; i < n; i++) sink += compiledKernel(views[i]).index; }],
    ['kernel: hand-written if/else', (n) => { for (let i = 0; i < n; i++) sink += handAllocationKernel(views[i]); }],
  ]));

  const parts = [
    measure(checkLabel, (n) => { for (let i = 0; i < n; i++) sink += schema.safeParse(facts[i]).success ? 1 : 0; }),
    measure('derive + view (the object the rules read)', (n) => { for (let i = 0; i < n; i++) sink += viewOf(parsed[i], context).handlerCount; }),
    measure('decide (roles, exact split)', (n) => { for (let i = 0; i < n; i++) sink += definition.decide([decisive[i]], parsed[i], context, views[i]).basis.length; }),
    measure('hand: check + derive', (n) => { for (let i = 0; i < n; i++) sink += handFacts(facts[i]).handlerCount; }),
    measure('hand: outcome (integer cents)', (n) => { for (let i = 0; i < n; i++) sink += handOutcome(handRules[i], handViews[i]).status.length; }),
  ];
  const allocatedIndexes = decisive.flatMap((rule, i) => (rule.definition.event.params.status === 'allocated' ? [i] : []));
  const allocatedCount = allocatedIndexes.length;
  parts.push(
    measure('decide, allocated only', (n) => { for (let k = 0; k < n; k++) { const i = allocatedIndexes[k]; sink += definition.decide([decisive[i]], parsed[i], context, views[i]).basis.length; } }, allocatedCount),
    measure('hand: outcome, allocated only', (n) => { for (let k = 0; k < n; k++) { const i = allocatedIndexes[k]; sink += handOutcome(handRules[i], handViews[i]).status.length; } }, allocatedCount),
  );

  // Refusals: the invalid facts (every kind of breakage, none in the measured set above).
  const refuse = (fn) => (n) => {
    for (let i = 0; i < n; i++) {
      try {
        fn(invalid[i]);
      } catch {
        sink++;
      }
    }
  };
  const refusedHand = measure('hand-written, refusing invalid facts', refuse((f) => handCommissionAllocation(f, AS_OF)), invalid.length);
  const refusedOurs = measure('evaluate, refusing invalid facts', refuse((f) => evaluate(POLICY, f, noTrace)), invalid.length);
  refusedOurs.vs = refusedHand.ns;
  refusedHand.vs = refusedHand.ns;
  results.push(refusedOurs, refusedHand);

  // json-rules-engine: the rules JSON as it is, engine built once, each run awaited. It cannot make
  // the decision alone (naming agents by role and splitting the pool is TypeScript), so it runs on
  // the facts after our facts check and derive (the derived facts and parameters added), and picks
  // the deciding rule: the highest priority that fired, file order within a priority.
  const engine = new Engine(rules.rules, { allowUndefinedFacts: true });
  const jreFacts = views.map((view) => ({ ...view, 'param.maxHandlers': params.maxHandlers, 'param.multipleReceivingAgents': params.multipleReceivingAgents }));
  const jre = await measureJre('json-rules-engine 7.3.1 (on derived facts)', engine, jreFacts);
  results.push(jre.row);
  const ruleKey = (name, priority, event) => `${name}|${priority}|${JSON.stringify(event)}`;
  const ruleIndex = new Map(rules.rules.map((rule, index) => [ruleKey(rule.name, rule.priority, rule.event), index]));
  if (ruleIndex.size !== rules.rules.length) throw new Error('two rules share a name, priority and event: json-rules-engine results cannot be told apart');
  const jreRule = jre.fired.map((fired) => {
    if (fired.length === 0) return -1;
    const top = Math.max(...fired.map((result) => result.priority));
    return Math.min(...fired.filter((result) => result.priority === top).map((result) => ruleIndex.get(ruleKey(result.name, result.priority, result.event))));
  });

  // Agreement: the same decision JSON every way, the same deciding rule for every kernel and for
  // json-rules-engine; the same facts refused; and the case file's facts (edges and errors).
  let disagreements = 0;
  const report = (...what) => {
    if (disagreements++ < 5) console.error('disagreement on', ...what.map((w) => JSON.stringify(w)));
  };
  const many = [...evaluateMany(POLICY, facts, noTrace)];
  const decidedBy = new Map();
  facts.forEach((f, i) => {
    const ours = JSON.stringify(evaluate(POLICY, f, noTrace));
    const hand = JSON.stringify(handCommissionAllocation(f, AS_OF));
    const index = decisive[i].index;
    decidedBy.set(index, (decidedBy.get(index) ?? 0) + 1);
    const viaJre = JSON.stringify({ policy: POLICY, asOf: AS_OF, ...definition.decide([version.rules.find((rule) => rule.index === jreRule[i])], parsed[i], context, views[i]), trace: [] });
    if (ours !== hand || JSON.stringify(many[i].decision) !== ours || handRules[i] !== index || handAllocationKernel(views[i]) !== index || jreRule[i] !== index || viaJre !== ours) {
      report(f, ours, hand, { compiled: index, hand: handRules[i], jre: jreRule[i] });
    }
  });
  const outcome = (f, asOf, fn) => {
    try {
      return JSON.stringify(fn(f, asOf));
    } catch (error) {
      if (error?.name === 'PolicyInputError' || error?.constructor?.name === 'HandInputError') return 'refused';
      throw error;
    }
  };
  const ours = (f, asOf) => evaluate(POLICY, f, { asOf, trace: false });
  let refused = 0;
  for (const f of invalid) {
    const a = outcome(f, AS_OF, ours);
    const b = outcome(f, AS_OF, handCommissionAllocation);
    if (a !== 'refused' || b !== 'refused') report('invalid facts accepted', f, { evaluate: a, hand: b });
    else refused++;
  }
  const cases = readRules('commission/allocation.cases.json');
  const edges = [...cases.cases.map((c) => ({ facts: c.facts, asOf: c.asOf ?? cases.asOf })), ...EDGE_FACTS.map((f) => ({ facts: f, asOf: AS_OF }))];
  for (const { facts: f, asOf } of edges) {
    const a = outcome(f, asOf, ours);
    const b = outcome(f, asOf, handCommissionAllocation);
    if (a !== b) report(f, a, b);
  }
  const unused = rules.rules.map((rule, index) => (decidedBy.has(index) ? undefined : `${rule.name} (rules[${index}])`)).filter(Boolean);
  if (unused.length > 0) {
    console.error(`the generated facts never reach ${unused.join(', ')}`);
    disagreements++;
  }

  const rows = toRows(results, 'hand-written (same checks, exact)', 'kernel: hand-written if/else');
  printTable(POLICY, rows, disagreements, `, on ${refused.toLocaleString('en')} invalid ones (all refused) and ${edges.length} edge and case-file facts`);
  console.log(JRE_NOTE);
  const coverage = rules.rules.map((rule, index) => ({ rule: rule.name, index, decided: decidedBy.get(index) ?? 0 }));
  console.log(`decided by: ${coverage.map((c) => `${c.rule}[${c.index}] ${c.decided}`).join(', ')}`);
  const round = (ns) => Math.round(ns * 10) / 10;
  console.log(`where the time goes, ns per fact (best of ${ROUNDS}; ${allocatedCount.toLocaleString('en')} of the facts are allocated):`);
  for (const p of parts) console.log(`  ${p.label.padEnd(40)} ${String(round(p.ns)).padStart(9)}`);
  return { policy: POLICY, count: COUNT, invalidCount: invalid.length, note: JRE_NOTE, rows, parts: parts.map((p) => ({ label: p.label, nsPerFact: round(p.ns) })), coverage, disagreements };
}

const reports = [];
for (const policy of POLICIES) {
  if (reports.length > 0) console.log('');
  if (policy === 'review.approval') reports.push(await benchApproval());
  else if (policy === 'commission.allocation') reports.push(await benchAllocation());
  else throw new Error(`no benchmark for ${policy}`);
}
const disagreements = reports.reduce((sum, r) => sum + r.disagreements, 0);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, count: COUNT, rounds: ROUNDS, policies: reports }, null, 2)}\n`);
if (sink === 0) console.log('');
process.exitCode = disagreements === 0 ? 0 : 1;
