import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRuleFile, evaluate, POLICY_IDS, RuleSetError } from '../../src/index.js';
import type { PolicyId } from '../../src/index.js';
import { parseRuleFile } from '../../src/core/rule-file.js';
import { POLICIES } from '../../src/policies.js';
import { ROOT } from '../helpers/case-files.js';
import type { Step } from './support.js';
import { CALL_BUDGET_MS, count, describeValue, expectNoPollution, generated, policyExamples, REMOVE, withValueAt } from './support.js';
import { engineOf } from '../../src/core/policy.js';

// Rule-file fuzzing (issue 8): the loader (parseRuleFile, compileRuleFile, and evaluate with
// options.rules) takes any mutation of a bundled rules file and either accepts it or throws
// RuleSetError, every issue naming the file and a JSON path. Never another error, never a hang,
// never a change to the caller's object, never a polluted prototype.

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const FILE = 'fuzzed.rules.json';

const bundled = new Map(POLICY_IDS.map((id) => [id, JSON.parse(readFileSync(join(ROOT, engineOf(POLICIES[id]).definition.rulesFile), 'utf8')) as Record<string, unknown>]));

/** Every path to a value inside a JSON value (all of them: rules files are small). */
function jsonPaths(value: unknown, prefix: Step[] = [], out: Step[][] = []): Step[][] {
  if (Array.isArray(value)) value.forEach((child, i) => (out.push([...prefix, i]), jsonPaths(child, [...prefix, i], out)));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      out.push([...prefix, key]);
      jsonPaths(child, [...prefix, key], out);
    }
  }
  return out;
}

const PATHS = new Map(POLICY_IDS.map((id) => [id, jsonPaths(bundled.get(id))]));

function nested(depth: number, wrap: (inner: unknown) => unknown, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const leaf = { fact: 'amount', operator: 'equal', value: 1 };

/** Replacements that break a rules file in the ways people and tools do. */
const BREAKAGES: readonly (readonly [string, () => unknown])[] = [
  ['dropped', () => REMOVE],
  ['null', () => null],
  ['a number', () => 42],
  ['NaN', () => Number.NaN],
  ['-0', () => -0],
  ['1e308', () => 1e308],
  ['a string', () => 'lessThen'],
  ['an empty string', () => ''],
  ['true', () => true],
  ['[]', () => []],
  ['{}', () => ({})],
  ['a weird operator', () => 'regex'],
  ['an operator from Object.prototype', () => 'toString'],
  ['a JSONPath filter', () => '$..[?(@.x)]'],
  ['a path without $', () => 'referral.agent'],
  ['a path with a huge index', () => '$[99999999999]'],
  ['a fact reference without fact', () => ({ path: '$.x' })],
  ['a fact reference to an unknown parameter', () => ({ fact: 'param.nope' })],
  ['a fact reference with an extra key', () => ({ fact: 'amount', params: {} })],
  ['a dynamic fact (params)', () => ({ fact: 'amount', operator: 'equal', value: 1, params: { x: 1 } })],
  ['a shared condition reference', () => ({ condition: 'shared' })],
  ['all and any together', () => ({ all: [leaf], any: [leaf] })],
  ['an invalid date', () => '2026-02-30'],
  ['an instant', () => '2026-01-01T00:00:00Z'],
  ['a date before the others', () => '1999-01-01'],
  ['a money string with exponent', () => '1e6'],
  ['an own __proto__ key', () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
  ['a constructor key', () => ({ constructor: { prototype: { polluted: true } } })],
  ['conditions nested 10,000 deep', () => ({ all: [nested(10_000, (inner) => ({ all: [inner] }), leaf)] })],
  ['not nested 10,000 deep', () => ({ all: [nested(10_000, (inner) => ({ not: inner }), leaf)] })],
  ['arrays nested 10,000 deep', () => nested(10_000, (inner) => [inner], 1)],
  ['a list of 100,000 items', () => new Array(100_000).fill('x')],
  ['10,000 conditions', () => ({ any: new Array(10_000).fill(leaf) })],
  ['a huge string', () => 'x'.repeat(1_000_000)],
];

/** Runs the loader on a candidate rules file and checks the contract. */
function checkedLoad(json: unknown, run: (json: unknown) => unknown = (j) => compileRuleFile(j, FILE)): 'accepted' | 'refused' {
  const start = performance.now();
  let outcome: 'accepted' | 'refused';
  try {
    run(json);
    outcome = 'accepted';
  } catch (error) {
    if (!(error instanceof RuleSetError)) {
      throw new Error(`the loader threw ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error)} instead of a RuleSetError\nrules: ${describeValue(json)}`, { cause: error });
    }
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.file).toBe(FILE);
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.code).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
    outcome = 'refused';
  }
  const elapsed = performance.now() - start;
  if (elapsed >= CALL_BUDGET_MS) throw new Error(`the loader took ${elapsed.toFixed(0)} ms (guard: ${CALL_BUDGET_MS} ms) on ${describeValue(json)}`);
  expectNoPollution();
  return outcome;
}

afterAll(() => {
  const entries = [...generated.entries()].filter(([name]) => name.startsWith('rules'));
  console.log(`rule-file fuzzing: ${entries.reduce((sum, [, n]) => sum + n, 0)} loads checked (${entries.map(([name, n]) => `${name}: ${n}`).join('; ')})`);
});

// Loading rules does not depend on the machine's zone: the fuzzing runs in one project of the suite.
const ONE_ZONE = process.env['TZ'] === 'UTC' || process.env['FUZZ_ALL_ZONES'] === '1';

describe.runIf(ONE_ZONE).each(POLICY_IDS)('rule-file fuzzing of %s', (policy: PolicyId) => {
  const json = bundled.get(policy)!;
  const paths = PATHS.get(policy)!;

  it('the bundled file loads', () => {
    expect(checkedLoad(json)).toBe('accepted');
  });

  it('every key and value of the file, broken every way: accepted or a RuleSetError with file and path', () => {
    // One path in ten of those for the costly breakages (nesting, sizes).
    const costly = new Set(['conditions nested 10,000 deep', 'not nested 10,000 deep', 'arrays nested 10,000 deep', 'a list of 100,000 items', '10,000 conditions', 'a huge string']);
    // Every top-level key, and an even sample of the deeper paths (the commission file alone has
    // over a thousand): about 15 paths per file. The random mutations below reach the rest.
    const step = Math.max(1, Math.ceil(paths.length / 15));
    paths.forEach((path, index) => {
      if (path.length > 1 && index % step !== 0) return;
      for (const [label, make] of BREAKAGES) {
        if (costly.has(label) && index % (10 * step) !== 0) continue;
        const broken = withValueAt(json, path, make());
        const before = costly.has(label) ? undefined : structuredClone(broken);
        try {
          checkedLoad(broken);
        } catch (error) {
          throw new Error(`${policy}: ${path.join('.')} ${label}: ${(error as Error).message}`, { cause: error });
        }
        if (before !== undefined) expect(broken).toEqual(before);
        count('rules: breakages');
      }
    });
  });

  it('random mutations anywhere in the file (fast-check), through parseRuleFile, compileRuleFile and evaluate', () => {
    const examples = policyExamples().get(policy)!;
    const valueArb = fc.oneof(
      fc.constantFrom(...BREAKAGES.filter(([label]) => !/10,000|100,000|huge/.test(label)).map(([, make]) => make)).map((make) => make()),
      fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withSparseArray: true }),
    );
    const pathArb = fc.oneof(fc.constantFrom(...paths), fc.array(fc.oneof(fc.constantFrom('rules', 'parameters', 'facts', 'conditions', 'all', 'any', 'not', 'values', 'event', 'params', '__proto__'), fc.nat(3)), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(pathArb, valueArb), { minLength: 1, maxLength: 4 }), fc.constantFrom('parse', 'compile', 'evaluate'), (mutations, via) => {
        let broken: unknown = json;
        for (const [path, value] of mutations) broken = withValueAt(broken, path, value);
        const example = examples.valid[0]!;
        const run =
          via === 'parse'
            ? (j: unknown) => parseRuleFile(j, FILE)
            : via === 'compile'
              ? (j: unknown) => compileRuleFile(j, FILE)
              : (j: unknown) => {
                  // A rules file given as options.rules: its issues name it as options.rules.
                  try {
                    return evaluate(policy, example.facts as never, { ...example.options, rules: j });
                  } catch (error) {
                    if (error instanceof RuleSetError) throw new RuleSetError(error.issues.map((issue) => ({ ...issue, file: issue.file === 'options.rules' ? FILE : issue.file })));
                    // The facts are the case's own: anything else a changed file makes them mean is the rules' doing.
                    if (error instanceof Error && ['PolicyInputError', 'RuleGapError'].includes(error.name)) return undefined;
                    throw error;
                  }
                };
        checkedLoad(broken, run);
        count('rules: random mutations');
      }),
      { numRuns: RUNS },
    );
  });
});

describe.runIf(ONE_ZONE)('rule-file fuzzing: whole values', () => {
  it('anything() as a rules file is refused with a RuleSetError', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }), (json) => {
        expect(checkedLoad(json)).toBe('refused');
        count('rules: anything()');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a rules file holding values JSON cannot (a function, a symbol) is refused with a path, not a clone error', () => {
    const json = bundled.get('review.approval')!;
    for (const value of [() => 1, Symbol('x')]) {
      expect(checkedLoad(withValueAt(json, ['rules', 0, 'event', 'params', 'x'], value))).toBe('refused');
      count('rules: non-JSON values');
    }
  });
});
