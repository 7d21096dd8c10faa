import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvaluateOptions, PolicyId } from '../../src/index.js';
import { evaluate, evaluateMany, PolicyInputError, POLICY_IDS, RuleSetError } from '../../src/index.js';
import { POLICIES } from '../../src/policies.js';
import { ROOT } from '../helpers/case-files.js';
import { count, generated, expectNoPollution, policyExamples } from './support.js';
import { engineOf } from '../../src/core/policy.js';

// No shared state (issue 8): json-rules-engine keeps run state on its Engine (no events after a
// rejected run, lost events when runs overlap; see TOOLCHAIN.md). `evaluate` keeps a memo of the
// last options and caches compiled rules and schemas; these tests prove that none of it leaks
// from one call into another. The reference for every call is the same call made on its own in a
// fresh order: a decision's JSON, or the input error's code and issue paths.

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

type Outcome = string;

function outcomeOf(run: () => unknown): Outcome {
  try {
    return `decision ${JSON.stringify(run())}`;
  } catch (error) {
    if (error instanceof PolicyInputError || error instanceof RuleSetError) return `${error.name} ${error.code} ${JSON.stringify(error.issues)}`;
    throw error;
  }
}

/** A custom rules file for a policy: the bundled one with every numeric parameter value raised, so decisions differ. */
function customRules(policy: PolicyId): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(ROOT, engineOf(POLICIES[policy]).definition.rulesFile), 'utf8')) as { parameters: { values: Record<string, unknown> }[] };
  for (const version of json.parameters) {
    for (const [name, value] of Object.entries(version.values)) {
      if (typeof value === 'number') version.values[name] = value * 2 + 1;
      else if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { value: unknown }).value === 'number') {
        version.values[name] = { ...value, value: ((value as { value: number }).value * 2) + 1 };
      }
    }
  }
  return json;
}

const CUSTOM = new Map(POLICY_IDS.map((id) => [id, customRules(id)]));

/** A call: a policy, facts (a case's, or one of its near misses), options drawn from what differs between calls. */
interface Call {
  readonly policy: PolicyId;
  readonly facts: unknown;
  readonly options: EvaluateOptions;
}

const all = policyExamples();

const callArb: fc.Arbitrary<Call> = fc
  .record({
    policy: fc.constantFrom(...POLICY_IDS),
    pick: fc.nat(),
    bad: fc.oneof(fc.constant(undefined), fc.constantFrom<unknown>(null, 'facts', { extra: 1 }, [], JSON.parse('{"__proto__": {"polluted": 1}}'))),
    asOf: fc.constantFrom(undefined, '2017-04-26', '2026-01-01', '2028-02-29', '2017-04-25', 'not a date'),
    timeZone: fc.constantFrom(undefined, 'UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Europe/London', 'Mars/Olympus'),
    trace: fc.constantFrom(undefined, true, false),
    maxItems: fc.constantFrom(undefined, 0, 1, 100_000),
    rules: fc.constantFrom('bundled', 'custom', 'rule set', 'broken'),
  })
  .map(({ policy, pick, bad, asOf, timeZone, trace, maxItems, rules }) => {
    const examples = all.get(policy)!;
    const example = examples.valid[pick % examples.valid.length]!;
    const options: Record<string, unknown> = { asOf: asOf ?? example.options.asOf };
    if (timeZone !== undefined) options['timeZone'] = timeZone;
    else if (example.options.timeZone !== undefined) options['timeZone'] = example.options.timeZone;
    if (trace !== undefined) options['trace'] = trace;
    if (maxItems !== undefined) options['maxItems'] = maxItems;
    if (rules === 'custom') options['rules'] = CUSTOM.get(policy);
    else if (rules === 'rule set') options['rules'] = { [policy]: CUSTOM.get(policy) };
    else if (rules === 'broken') options['rules'] = { ...CUSTOM.get(policy), rules: [] };
    return { policy, facts: bad === undefined ? example.facts : bad, options: options as EvaluateOptions };
  });

// The reference: each call made alone, after a fresh `prepare` (no memo to reuse).
function alone(call: Call): Outcome {
  return outcomeOf(() => POLICIES[call.policy].prepare(call.options)(call.facts as never));
}

function viaEvaluate(call: Call): Outcome {
  return outcomeOf(() => evaluate(call.policy, call.facts as never, call.options));
}

describe('no shared state between calls', () => {
  it('interleaved calls of every policy, with alternating options, rules and errors, decide as calls made one by one', () => {
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 2, maxLength: 12 }), (calls) => {
        const expected = calls.map(alone);
        // In order, in reverse, and twice over: a call's result never depends on what came before.
        expect(calls.map(viaEvaluate)).toEqual(expected);
        expect([...calls].reverse().map(viaEvaluate)).toEqual([...expected].reverse());
        expect(calls.flatMap((call) => [viaEvaluate(call), viaEvaluate(call)])).toEqual(expected.flatMap((e) => [e, e]));
        expectNoPollution();
        count('shared state: interleaved calls', calls.length * 4);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(POLICY_IDS)('%s decides every case the same after a rejected call, with the same options', (policy) => {
    const examples = all.get(policy)!;
    for (const example of examples.valid) {
      const expected = outcomeOf(() => evaluate(policy, example.facts as never, example.options));
      // A rejected call with exactly these options (json-rules-engine returned no events after one).
      expect(() => evaluate(policy, { bogus: true } as never, example.options)).toThrow(PolicyInputError);
      expect(outcomeOf(() => evaluate(policy, example.facts as never, example.options))).toBe(expected);
      // A call that throws while deciding options (a bad zone) must not leave a half-made memo.
      expect(() => evaluate(policy, example.facts as never, { ...example.options, timeZone: 'Mars/Olympus' })).toThrow(PolicyInputError);
      expect(outcomeOf(() => evaluate(policy, example.facts as never, example.options))).toBe(expected);
      count('shared state: after errors', 4);
    }
  });

  it('calls from many async tasks at once give the decisions of calls made one by one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(callArb, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 8 }), async (tasks) => {
        const expected = tasks.map((calls) => calls.map(alone));
        const yieldNow = (i: number) => (i % 2 === 0 ? Promise.resolve() : new Promise<void>((resolve) => setImmediate(resolve)));
        const results = await Promise.all(
          tasks.map(async (calls, task) => {
            const out: Outcome[] = [];
            for (const [i, call] of calls.entries()) {
              await yieldNow(task + i);
              out.push(viaEvaluate(call));
            }
            return out;
          }),
        );
        expect(results).toEqual(expected);
        count('shared state: async tasks', tasks.flat().length);
      }),
      { numRuns: Math.max(20, RUNS / 3) },
    );
  });

  it('evaluateMany, sync and async, interleaved with evaluate under other options, gives the same items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POLICY_IDS), fc.array(callArb, { minLength: 1, maxLength: 8 }), fc.array(callArb, { minLength: 1, maxLength: 8 }), async (policy, between, noise) => {
        const examples = all.get(policy)!;
        const batch = [...examples.valid.map((example) => example.facts), { bogus: 1 }, null];
        const options = { ...examples.valid[0]!.options, trace: false };
        const expected = batch.map((facts) => outcomeOf(() => evaluate(policy, facts as never, options)));
        const sync = evaluateMany(policy, batch as never[], options);
        const got: Outcome[] = [];
        let k = 0;
        for (const item of sync) {
          // Other calls between the items of the batch.
          viaEvaluate(between[k++ % between.length]!);
          got.push(item.success ? `decision ${JSON.stringify(item.decision)}` : `${item.error.name} ${item.error.code} ${JSON.stringify(item.issues)}`);
        }
        expect(got).toEqual(expected);
        async function* stream() {
          for (const facts of batch) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            yield facts as never;
          }
        }
        const noiseTask = (async () => {
          for (const call of noise) {
            await Promise.resolve();
            viaEvaluate(call);
          }
        })();
        const asyncGot: Outcome[] = [];
        for await (const item of evaluateMany(policy, stream(), options)) asyncGot.push(item.success ? `decision ${JSON.stringify(item.decision)}` : `${item.error.name} ${item.error.code} ${JSON.stringify(item.issues)}`);
        await noiseTask;
        expect(asyncGot).toEqual(expected);
        count('shared state: evaluateMany', batch.length * 2);
      }),
      { numRuns: Math.max(20, RUNS / 3) },
    );
  });

  it('changing a returned decision, or the facts and options after a call, changes no later decision', () => {
    for (const policy of POLICY_IDS) {
      for (const example of all.get(policy)!.valid) {
        const options = { ...example.options };
        const facts = structuredClone(example.facts);
        const reference = JSON.stringify(evaluate(policy, example.facts as never, example.options));
        const decision = evaluate(policy, facts as never, options);
        vandalise(decision);
        vandalise(facts);
        (options as Record<string, unknown>)['asOf'] = '2017-04-26';
        expect(JSON.stringify(evaluate(policy, example.facts as never, example.options)), `${policy}: ${example.name}`).toBe(reference);
        count('shared state: vandalised decisions');
      }
    }
    expectNoPollution();
  });

  it('a rules object changed after use is never seen half-changed: the memo and the compile cache key on identity, a new object is compiled anew', () => {
    const rules = customRules('review.approval');
    const facts = { amount: '800000', channel: 'direct' } as const;
    const first = evaluate('review.approval', facts, { asOf: '2026-01-01', rules }).outcome.authority;
    expect(first).toBe('marketing_director');
    // Documented: a compiled object is not recompiled; pass a new object to change rules.
    (rules as { parameters: { values: Record<string, unknown> }[] }).parameters[0]!.values['directorLimit'] = 1;
    expect(evaluate('review.approval', facts, { asOf: '2026-01-01', rules }).outcome.authority).toBe(first);
    expect(evaluate('review.approval', facts, { asOf: '2026-01-01', rules: structuredClone(rules) }).outcome.authority).toBe('sales_vp');
    expect(evaluate('review.approval', facts, { asOf: '2026-01-01' }).outcome.authority).toBe('sales_vp');
  });
});

/** Writes into every object and array of a value that can be written, ignoring frozen parts. */
function vandalise(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 50) return;
  for (const key of Object.keys(value)) vandalise((value as Record<string, unknown>)[key], depth + 1);
  try {
    if (Array.isArray(value)) {
      value.push('vandal');
      value.reverse();
    } else {
      for (const key of Object.keys(value)) (value as Record<string, unknown>)[key] = 'vandal';
      (value as Record<string, unknown>)['vandal'] = true;
    }
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

afterAll(() => {
  console.log(`no-shared-state calls: ${[...generated.values()].reduce((sum, n) => sum + n, 0)} (${[...generated.entries()].map(([name, n]) => `${name}: ${n}`).join('; ')})`);
});
