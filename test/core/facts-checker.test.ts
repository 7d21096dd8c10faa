import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { FactDeclaration, NestedDeclaration } from '../../src/core/fact-declaration.js';
import { factsChecker, valueChecker } from '../../src/core/facts-checker.js';
import type { FactsContext } from '../../src/core/facts.js';
import { toInputIssues } from '../../src/core/facts.js';
import { factSchema, factsSchema } from '../../src/core/facts-schema.js';
import { POLICIES } from '../../src/policies.js';
import { engineOf } from '../../src/core/policy.js';

// The root entry checks declared facts with the library's own checker, an area entry with the
// zod schema built from the same declarations: a caller must not be able to tell which ran.
// Each case compares what a caller sees: the checked value (its keys in order, `undefined` kept
// apart from a missing key) or the input issues, every field of each.

// Code generation as in the library, minus its fallback: generated code that does not compile (a
// field name written into it as code, not as data) fails here instead of leaving the closures to
// answer unseen.
vi.mock('../../src/core/codegen.js', () => ({ generateFunction: (parameters: string[], body: string) => new Function(...parameters, body) }));

const CONTEXT = { timeZone: 'Asia/Shanghai', maxItems: 3 };

type Seen = { ok: true; data: string } | { ok: false; issues: unknown };

function seen(result: { success: boolean; data?: unknown; error?: { issues: readonly unknown[] } }, input: unknown): Seen {
  if (result.success) return { ok: true, data: ordered(result.data) };
  // `received` as text: it is read from the same input either way, and an object whose own
  // `constructor` is NaN is never equal to itself under toStrictEqual.
  return { ok: false, issues: toInputIssues(result.error!.issues as never, input).map((issue) => ({ ...issue, received: ordered(issue.received) })) };
}

/** The value as text that keeps key order and tells `undefined` from a missing key. */
function ordered(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? '<undefined>' : v));
}

function bothSee(facts: Record<string, FactDeclaration>, input: unknown, context: FactsContext): [Seen, Seen] {
  return [seen(factsChecker(facts, context).safeParse(input), input), seen(factsSchema(facts, CONTEXT).safeParse(input) as never, input)];
}

// Declared names as the loader allows them (NAME_RULES.fact), some of them also names on Object.prototype.
const NAMES = ['amount', 'channel', 'a', 'b', 'constructor', 'toString', 'valueOf'] as const;
// Keys a caller may add: any string, "__proto__" and integer-like ones too.
const EXTRA_KEYS = [...NAMES, 'extra', '1', '0', '__proto__'] as const;
const HOSTILE = 'a"]; globalThis.hacked = 1; //';
const HOSTILE_LINES = 'a"];\n\u2028*/ ${x} \\';
const WORDS = ['direct', 'distributor', '1', '0', 'b', 'a'] as const;

const scalarDeclaration: fc.Arbitrary<NestedDeclaration> = fc.oneof(
  fc.record({ type: fc.constantFrom('money', 'decimal'), minimum: fc.constantFrom(0, -5, 10), maximum: fc.constantFrom(1, 100, 1e6), maxPlaces: fc.constantFrom(0, 2) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('integer'), minimum: fc.constantFrom(0, 1, -3), maximum: fc.constantFrom(5, 100) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('boolean'), default: fc.boolean() }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), values: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), format: fc.constant('instant') }, { requiredKeys: ['type'] }),
  fc.constant({ type: 'string' }),
  fc.constant({ type: 'date' }),
  fc.constant({ type: 'json' }),
) as fc.Arbitrary<NestedDeclaration>;

/** A declaration with the words every type takes: nullable, optional, or a default that fits. */
function withPresence(declaration: fc.Arbitrary<NestedDeclaration>): fc.Arbitrary<NestedDeclaration> {
  return fc.tuple(declaration, fc.constantFrom('plain', 'nullable', 'optional', 'nullable optional', 'default', 'null default')).map(([d, presence]) => {
    const out: Record<string, unknown> = { ...d };
    if (presence.includes('nullable')) out['nullable'] = true;
    if (presence.includes('optional')) out['optional'] = true;
    if (presence === 'null default') Object.assign(out, { nullable: true, default: null });
    if (presence === 'default' && d.default === undefined) {
      const fitting = d.type === 'string' && d.values ? d.values[0] : d.type === 'integer' || d.type === 'money' || d.type === 'decimal' ? (d.minimum ?? 0) : d.type === 'boolean' ? true : undefined;
      if (fitting !== undefined) out['default'] = fitting;
    }
    return out as unknown as NestedDeclaration;
  });
}

const { declaration } = fc.letrec<{ declaration: NestedDeclaration; list: NestedDeclaration; object: NestedDeclaration }>((tie) => ({
  declaration: withPresence(fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarDeclaration, tie('list'), tie('object'))),
  list: fc.oneof(
    fc.record({ type: fc.constant('list' as const), items: tie('declaration') }),
    fc.record({ type: fc.constant('list' as const), values: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }) }),
    fc.constant({ type: 'list' as const }),
  ),
  object: fc.record({ type: fc.constant('object' as const), fields: fc.dictionary(fc.constantFrom(...NAMES), tie('declaration'), { maxKeys: 3 }) }),
}));

const factsBlock = fc.dictionary(fc.constantFrom(...NAMES), fc.tuple(declaration, fc.boolean()), { maxKeys: 4 }).map((entries) =>
  Object.fromEntries(Object.entries(entries).map(([name, [d, derived]]) => [name, { ...d, description: 'x', ...(derived && name === 'b' ? { derived: true } : {}) } as FactDeclaration])),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, 1, -1, 1.5, 1e21, 1e-7, Number.NaN, Infinity, 2 ** 53, '', 'x', 'x'.repeat(201), '😀'.repeat(150), '\ud800', { length: 0 }, { length: 'x' }, '12.50', '-0', '1e5', '00.10', ' 1', '2026-03-01', '2026-02-30', '2026-03-01T23:30:00Z', '9999-12-31T23:30:00-05:00', '0000-01-01', [], {}),
  fc.constantFrom(...WORDS),
  fc.integer({ min: -1000, max: 2_000_000 }),
  fc.double(),
  fc.tuple(fc.integer({ min: -999, max: 99_999 }), fc.integer({ min: 0, max: 999 })).map(([whole, part]) => `${whole}.${part}`),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A value shaped by the declaration most of the time, anything some of the time. */
function valueFor(d: NestedDeclaration, depth = 0): fc.Arbitrary<unknown> {
  if (d.type === 'list' && depth < 3) return fc.oneof({ weight: 4, arbitrary: fc.array(d.items ? valueFor(d.items, depth + 1) : d.values ? fc.constantFrom(...d.values, 'other') : anyValue, { maxLength: 4 }) }, { weight: 1, arbitrary: anyValue });
  if (d.type === 'object' && depth < 3) return fc.oneof({ weight: 4, arbitrary: objectFor(d.fields ?? {}, depth + 1) }, { weight: 1, arbitrary: anyValue });
  if (d.type === 'string' && d.values) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...d.values) }, { weight: 1, arbitrary: anyValue });
  return anyValue;
}

function objectFor(fields: Readonly<Record<string, NestedDeclaration>>, depth = 0): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.tuple(...names.map((name) => fc.tuple(fc.constantFrom('given', 'given', 'given', 'missing', 'undefined'), valueFor(fields[name]!, depth)))),
      fc.array(fc.tuple(fc.constantFrom(...EXTRA_KEYS), anyValue), { maxLength: 2 }),
      fc.constantFrom('plain', 'inherited'),
    )
    .map(([given, extras, how]) => {
      const out: Record<string, unknown> = {};
      // defineProperty: an own "__proto__" key, as JSON.parse makes it, never a prototype change.
      const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      given.forEach(([presence, value], index) => {
        if (presence === 'given') put(names[index]!, value);
        else if (presence === 'undefined') put(names[index]!, undefined);
      });
      for (const [key, value] of extras) put(key, value);
      return how === 'inherited' && names.length > 0 ? Object.assign(Object.create({ [names[0]!]: 'inherited' }), out) : out;
    });
}

// Both ways the checker builds an object check: generated code, and the closures that serve where
// code generation is not allowed.
describe.each([
  ['generated object checks', { ...CONTEXT, generate: true }],
  ['closures only', { ...CONTEXT, generate: false }],
] as [string, FactsContext][])('the own facts checker (%s) sees what the zod schema sees', (_way, context) => {
  it('for any facts block and any input: the same value, or the same issues in the same order', () => {
    fc.assert(
      fc.property(
        factsBlock.chain((facts) => fc.tuple(fc.constant(facts), fc.oneof({ weight: 5, arbitrary: objectFor(facts) }, { weight: 1, arbitrary: anyValue }))),
        ([facts, input]) => {
          const [own, zods] = bothSee(facts, input, context);
          expect(own).toStrictEqual(zods);
        },
      ),
      { numRuns: Number(process.env['CHECKER_RUNS'] ?? 3000) },
    );
  });

  it('for one declared value (a streamed order): the same value, or the same issues', () => {
    fc.assert(
      fc.property(
        declaration.chain((d) => fc.tuple(fc.constant(d), valueFor(d))),
        ([d, input]) => {
          const own = seen(valueChecker(d, context).safeParse(input), input);
          const zods = seen(factSchema(d, CONTEXT).safeParse(input) as never, input);
          expect(own).toStrictEqual(zods);
        },
      ),
      { numRuns: 2000 },
    );
  });

  const declared = Object.values(POLICIES)
    .map((policy) => engineOf(policy).compiled().spec)
    .map((spec) => [spec.policy, spec.facts] as const);

  it.each(declared)('for %s: its bundled facts block, on inputs shaped by it', (_policy, facts) => {
    const fields = Object.fromEntries(Object.entries(facts).filter(([, d]) => !d.derived));
    fc.assert(
      fc.property(objectFor(fields), (input) => {
        const [own, zods] = bothSee(facts, input, context);
        expect(own).toStrictEqual(zods);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a list longer than maxItems', { type: 'list', items: { type: 'money' } }, [1, 2, 3, 4]],
    ['a missing json value', { type: 'object', fields: { data: { type: 'json' } } }, {}],
    ['a json value given as undefined', { type: 'object', fields: { data: { type: 'json' } } }, { data: undefined }],
    ['an optional value given as undefined', { type: 'object', fields: { note: { type: 'string', optional: true } } }, { note: undefined }],
    ['an own "__proto__" key', { type: 'object', fields: { a: { type: 'boolean' } } }, JSON.parse('{"__proto__": {"polluted": true}}')],
    ['a fact named like an Object.prototype member, left out', { type: 'object', fields: { constructor: { type: 'string', optional: true } } }, {}],
    ['integer-like choices', { type: 'string', values: ['b', '1', 'a', '0'] }, 'c'],
    // engine.factsChecker takes any block, not only the loader's names: a name is data in the generated code, never code.
    ['a field named like code', { type: 'object', fields: { [HOSTILE]: { type: 'money' }, b: { type: 'string', optional: true } } }, { [HOSTILE]: '12.50', b: 'x' }],
    ['a field named like code, missing', { type: 'object', fields: { [HOSTILE]: { type: 'money' } } }, { other: 1 }],
    ['a field named with line breaks and quotes', { type: 'object', fields: { [HOSTILE_LINES]: { type: 'boolean' } } }, { [HOSTILE_LINES]: true }],
  ] as [string, NestedDeclaration, unknown][])('on %s', (_name, d, input) => {
    const own = seen(valueChecker(d, context).safeParse(input), input);
    expect(own).toStrictEqual(seen(factSchema(d, CONTEXT).safeParse(input) as never, input));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((globalThis as Record<string, unknown>)['hacked']).toBeUndefined();
  });
});
