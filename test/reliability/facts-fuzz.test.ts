import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyId } from '../../src/index.js';
import { evaluate, PolicyInputError, POLICY_IDS } from '../../src/index.js';
import type { Step } from './support.js';
import { checkedCall, count, describeValue, expectNoPollution, generated, policyExamples, REMOVE, withValueAt } from './support.js';

// Facts fuzzing (issue 8): for every policy, every field of its case-file facts and every fact
// its rules file declares is replaced by each near miss below, and fast-check adds random
// mutations and whole random values. Every call must return a decision or throw
// PolicyInputError, within a generous time guard, leaving the caller's facts and the built-in
// prototypes as they were (see checkedCall).

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const HUGE = 'x'.repeat(1_000_000);
const HUGE_DIGITS = '9'.repeat(1_000_000);

/** Near misses: wrong types, values floats and parsers get wrong, sizes and keys that hurt. */
export const NEAR_MISSES: readonly (readonly [string, () => unknown])[] = [
  ['missing', () => REMOVE],
  ['null', () => null],
  ['undefined', () => undefined],
  ['true', () => true],
  ['false', () => false],
  ['0', () => 0],
  ['-0', () => -0],
  ['-1', () => -1],
  ['1.5', () => 1.5],
  ['0.1 + 0.2', () => 0.1 + 0.2],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ['1e308', () => 1e308],
  ['-1e308', () => -1e308],
  ['5e-324', () => 5e-324],
  ['2^53', () => 2 ** 53],
  // eslint-disable-next-line no-loss-of-precision -- the unsafe number is the point of this case
  ['9007199254740993 as a number', () => 9007199254740993],
  ['"9007199254740993"', () => '9007199254740993'],
  ['"1e3"', () => '1e3'],
  ['" 12 "', () => ' 12 '],
  ['"12\\n"', () => '12\n'],
  ['"+12"', () => '+12'],
  ['"0x10"', () => '0x10'],
  ['"1_000"', () => '1_000'],
  ['"12.5.1"', () => '12.5.1'],
  ['".5"', () => '.5'],
  ['"5."', () => '5.'],
  ['"-0"', () => '-0'],
  ['"00012.50"', () => '00012.50'],
  ['Arabic-Indic digits "١٢"', () => '١٢'],
  ['full-width digits "１２"', () => '１２'],
  ['Devanagari digits "१२"', () => '१२'],
  ['"NaN"', () => 'NaN'],
  ['"Infinity"', () => 'Infinity'],
  ['"true"', () => 'true'],
  ['""', () => ''],
  ['"\\u0000"', () => '\u0000'],
  ['a lone surrogate', () => '\uD800'],
  ['"2026-02-30"', () => '2026-02-30'],
  ['"2026-03-01T10:00:00" (no offset)', () => '2026-03-01T10:00:00'],
  ['"2026-03-01T24:00:00Z"', () => '2026-03-01T24:00:00Z'],
  ['"+022026-03-01"', () => '+022026-03-01'],
  ['a huge string', () => HUGE],
  ['a huge digit string', () => HUGE_DIGITS],
  ['[]', () => []],
  ['[null]', () => [null]],
  ['{}', () => ({})],
  ['an object without prototype', () => Object.create(null) as object],
  ['a Date', () => new Date(0)],
  ['a BigInt', () => 12n],
  ['a boxed number', () => Object(12) as object],
  ['a Map', () => new Map([['a', 1]])],
  ['objects nested 10,000 deep', () => nested(10_000, 1, (inner) => ({ a: inner }))],
  ['arrays nested 10,000 deep', () => nested(10_000, 1, (inner) => [inner])],
  ['an own "__proto__" key', () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
  ['a "constructor" key', () => ({ constructor: { prototype: { polluted: true } } })],
  ['a "prototype" key', () => ({ prototype: { polluted: true } })],
];

/** Keys added beside the real ones. Own properties, made with defineProperty (a `__proto__` key too). */
const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' amount', 'param.directorLimit'];
const EXTRA_VALUE = (): unknown => JSON.parse('{"polluted": true, "__proto__": {"polluted": true}}');

afterAll(() => {
  const total = [...generated.entries()].filter(([name]) => name.startsWith('facts')).reduce((sum, [, n]) => sum + n, 0);
  // The figure issue 8 asks for; printed so a run shows it.
  console.log(`facts fuzzing: ${total} calls checked (${[...generated.entries()].filter(([name]) => name.startsWith('facts')).map(([name, n]) => `${name}: ${n}`).join('; ')})`);
});

describe.each(POLICY_IDS)('facts fuzzing of %s', (policy: PolicyId) => {
  const examples = policyExamples().get(policy)!;
  const base = (path: readonly Step[]) => examples.valid.find((c) => hasPath(c.facts, path.slice(0, -1))) ?? examples.valid[0]!;

  it('has examples and paths to mutate', () => {
    expect(examples.valid.length).toBeGreaterThan(0);
    expect(examples.paths.length).toBeGreaterThan(0);
  });

  it('every case-file and declared field, replaced by every near miss: a decision or a PolicyInputError', () => {
    for (const path of examples.paths) {
      const example = base(path);
      for (const [label, make] of NEAR_MISSES) {
        const facts = withValueAt(example.facts, path, make());
        try {
          checkedCall(policy, facts, example.options);
        } catch (error) {
          throw new Error(`${policy}: ${path.join('.')} = ${label}: ${(error as Error).message}`, { cause: error });
        }
        count('facts: near misses');
      }
    }
  });

  it('an extra key in the facts and in every nested object is refused, __proto__, constructor and prototype included', () => {
    for (const object of examples.objects) {
      const example = base([...object, 'x']);
      for (const key of EXTRA_KEYS) {
        const facts = withValueAt(example.facts, [...object, key], EXTRA_VALUE());
        const result = checkedCall(policy, facts, example.options);
        count('facts: extra keys');
        // A key nothing declares is never silently ignored.
        if (hasPath(example.facts, object)) expect(result.kind, `${policy}: extra key ${JSON.stringify(key)} at ${object.join('.') || '(root)'}`).toBe('input-error');
      }
    }
  });

  it('random mutations of the case-file facts (fast-check)', () => {
    const pathArb = fc.oneof(fc.constantFrom(...examples.paths), fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor'), fc.nat(3)), { minLength: 1, maxLength: 3 }));
    const valueArb = fc.oneof(
      fc.constantFrom(...NEAR_MISSES.map(([, make]) => make)).map((make) => make()),
      fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true }),
      fc.double(),
      fc.string({ unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...examples.valid), fc.array(fc.tuple(pathArb, valueArb), { minLength: 1, maxLength: 3 }), (example, mutations) => {
        let facts: unknown = example.facts;
        for (const [path, value] of mutations) facts = withValueAt(facts, path, value);
        checkedCall(policy, facts, example.options);
        count('facts: random mutations');
      }),
      { numRuns: RUNS },
    );
  });

  it('anything() as the facts, and objects of anything() under the policy’s own field names', () => {
    const names = [...new Set(examples.paths.map((path) => String(path[0])))];
    const anything = fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true });
    fc.assert(
      fc.property(
        fc.oneof(anything, fc.dictionary(fc.constantFrom(...names, '__proto__', 'constructor', 'prototype'), anything, { maxKeys: names.length + 2 })),
        fc.constantFrom(...examples.valid),
        (facts, example) => {
          checkedCall(policy, facts, example.options);
          count('facts: anything()');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('an array of a million items, at any path, is refused without its items being read', () => {
    for (const path of examples.paths) {
      const example = base(path);
      const { array, reads } = countedArray(1_000_000);
      const facts = withValueAt(example.facts, path, array);
      const result = checkedCall(policy, facts, example.options);
      count('facts: million-item arrays');
      expect(result.kind, `${policy}: a million items at ${path.join('.')}`).toBe('input-error');
      // Bounded by options.maxItems before any item is walked; the error message shows the first
      // few items (one line), and reads no more.
      expect(reads(), `${policy}: items read of a million at ${path.join('.')}`).toBeLessThanOrEqual(40);
    }
  });
});

describe('facts fuzzing: sizes', () => {
  it.each(POLICY_IDS)('%s refuses facts with 100,000 unknown keys with a short error', (policy) => {
    const example = policyExamples().get(policy)!.valid[0]!;
    const facts: Record<string, unknown> = { ...example.facts };
    for (let i = 0; i < 100_000; i++) facts[`k${i}`] = i;
    const result = checkedCall(policy, facts, example.options);
    count('facts: 100,000 keys');
    // (A million keys cost V8 about as long just to list, whoever lists them: lists are what SPEC bounds.)
    expect(result.kind).toBe('input-error');
    // At most MAX_INPUT_ISSUES issues, then one saying more were left out.
    expect(result.kind === 'input-error' && result.paths.length).toBe(101);
    try {
      evaluate(policy, facts as never, example.options);
    } catch (error) {
      expect((error as PolicyInputError).issues.at(-1)?.code).toBe('too_many_issues');
      expect((error as PolicyInputError).message.length).toBeLessThan(20_000);
    }
  });

  it('options.maxItems bounds every list at its own value', () => {
    const facts = { amount: 1, channel: 'direct', terms: ['technical', 'price'], signoffs: [] };
    expect(checkedCall('review.readiness', facts, { asOf: '2026-01-01', maxItems: 1 })).toMatchObject({ kind: 'input-error', paths: ['terms'] });
    expect(checkedCall('review.readiness', facts, { asOf: '2026-01-01', maxItems: 2 }).kind).toBe('decision');
  });
});

describe('options fuzzing', () => {
  const anything = fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true });
  const optionValues = {
    asOf: fc.oneof(anything, fc.constantFrom('2026-01-01', '2028-02-29', '2026-02-29', '2017-04-25', '2026-03-08T10:30:00Z', '2026-03-08T02:30:00', '9999-12-31', '0000-01-01')),
    timeZone: fc.oneof(anything, fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Europe/London', 'Etc/GMT+14', 'Mars/Olympus', '', 'utc', '../../etc/passwd', 'x'.repeat(10_000))),
    trace: fc.oneof(fc.boolean(), anything),
    maxItems: fc.oneof(fc.integer({ min: -2, max: 10 }), anything, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1.5, -0)),
  };

  it('any options: a decision or a PolicyInputError, for every policy', () => {
    const all = policyExamples();
    fc.assert(
      fc.property(fc.constantFrom(...POLICY_IDS), fc.oneof(fc.record(optionValues, { requiredKeys: [] }), anything), fc.nat(), (policy, options, pick) => {
        const valid = all.get(policy)!.valid;
        checkedCall(policy, valid[pick % valid.length]!.facts, options as never);
        count('facts: options');
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it.each([null, 'yesterday', 42, [], true])('options %j are refused with INVALID_OPTIONS', (options) => {
    try {
      evaluate('review.approval', { amount: 1, channel: 'direct' }, options as never);
      expect.unreachable();
    } catch (error) {
      expect(error, describeValue(options)).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).code).toBe('INVALID_OPTIONS');
    }
    expectNoPollution();
  });
});

function hasPath(root: unknown, path: readonly Step[]): boolean {
  let current = root;
  for (const step of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return false;
    current = (current as Record<string, unknown>)[step as string];
  }
  return current !== null && typeof current === 'object' && !Array.isArray(current);
}

/** A frozen array of `length` items behind a proxy that counts reads of its items. */
function countedArray(length: number): { array: unknown[]; reads: () => number } {
  const target = Object.freeze(new Array<string>(length).fill('agent'));
  let reads = 0;
  const array = new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(object, key, receiver) as unknown;
    },
  }) as unknown[];
  return { array, reads: () => reads };
}
