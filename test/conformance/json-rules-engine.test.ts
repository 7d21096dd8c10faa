import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompiledRule, CompiledVersion } from '../../src/core/compile.js';
import { runRules, runVersion } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { RuleSetError } from '../../src/core/errors.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// json-rules-engine's own documented examples and test scenarios, translated by hand into
// fixtures (fixtures/*.json, each scenario naming the JRE file it comes from), run against
// json-rules-engine 7.3.1 and against our evaluator in all four ways it runs (generated kernel,
// closures without and with a trace, closures only), on the scenario's facts and on fast-check
// variations of them. They must fire the same rules with the same events; the fixture's own
// expectation (the JRE test's) checks the translation. Refused features must be refused at load
// with the code and path the fixture names.
//
// json-rules-engine keeps run state on the engine (TOOLCHAIN.md): each reference run gets a
// fresh engine with allowUndefinedFacts (our semantics), awaited one at a time.
//
// Event order: json-rules-engine runs the rules of one priority concurrently and lists their
// events in the order they settle; ours lists them in file order. So events are compared as a
// set within a priority, and the order of priorities must be the same.

interface Scenario {
  readonly from: string;
  readonly name: string;
  readonly conditions?: Record<string, unknown>;
  readonly rules: readonly Record<string, unknown>[];
  readonly facts?: readonly Record<string, unknown>[];
  readonly fired?: readonly (readonly string[])[];
  readonly refused?: string;
  readonly at?: string;
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json')).sort();
const scenariosOf = (file: string): Scenario[] => (JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { scenarios: Scenario[] }).scenarios;
const VARIATIONS_PER_SCENARIO = 120;

const counts = { scenarios: 0, refused: 0, givenRuns: 0, variationRuns: 0, agreeing: 0, withAFiredRule: 0 };

interface Outcome {
  readonly fired: string[];
  readonly events: string[];
  readonly priorities: number[];
}

async function reference(scenario: Scenario, facts: Record<string, unknown>): Promise<Outcome> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, condition] of Object.entries(scenario.conditions ?? {})) engine.setCondition(name, structuredClone(condition) as never);
  for (const rule of scenario.rules) engine.addRule(structuredClone(rule) as never);
  const { events, results } = await engine.run(structuredClone(facts));
  return { fired: results.map((r) => String(r.name)).sort(), events: events.map((e) => JSON.stringify(e)).sort(), priorities: results.map((r) => r.priority ?? 1) };
}

function outcomeOf(fired: readonly CompiledRule[]): Outcome {
  return { fired: fired.map((r) => r.name).sort(), events: fired.map((r) => JSON.stringify(r.definition.event)).sort(), priorities: fired.map((r) => r.priority) };
}

/** Every fact name a scenario uses: in its facts and in its conditions (shared ones too). */
function factNames(scenario: Scenario): string[] {
  const names = new Set<string>();
  for (const facts of scenario.facts ?? []) for (const name of Object.keys(facts)) names.add(name);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record['fact'] === 'string') names.add(record['fact']);
      for (const [key, child] of Object.entries(record)) if (key !== 'event') visit(child);
    }
  };
  visit(scenario.rules.map((rule) => rule['conditions']));
  visit(scenario.rules.map((rule) => rule['event']));
  visit(scenario.conditions);
  return [...names];
}

function fileOf(scenario: Scenario): Record<string, unknown> {
  const file = ruleFileOf(scenario.rules, factNames(scenario));
  return scenario.conditions === undefined ? file : { ...file, conditions: scenario.conditions };
}

function compiledOf(scenario: Scenario): { generated: CompiledVersion; closures: CompiledVersion } {
  return {
    generated: compileRuleFile(fileOf(scenario), `${scenario.name}.rules.json`).versions[0]!,
    closures: compileRuleFile(fileOf(scenario), `${scenario.name}.rules.json`, { generate: false }).versions[0]!,
  };
}

async function expectAgreement(scenario: Scenario, compiled: { generated: CompiledVersion; closures: CompiledVersion }, facts: Record<string, unknown>): Promise<Outcome> {
  const expected = await reference(scenario, facts);
  const runs = {
    kernel: runVersion(compiled.generated, facts, { firstHit: false, trace: false }),
    closures: runRules(compiled.generated.rules, facts, { firstHit: false, trace: false }),
    traced: runRules(compiled.generated.rules, facts, { firstHit: false, trace: true }),
    closuresOnly: runVersion(compiled.closures, facts, { firstHit: false, trace: false }),
  };
  for (const [way, run] of Object.entries(runs)) expect({ way, facts, ...outcomeOf(run.fired) }).toEqual({ way, facts, ...expected });
  // First hit: the highest-priority rule that fires, file order breaking ties (JRE leaves ties undefined).
  const first = runVersion(compiled.generated, facts, { firstHit: true, trace: false }).fired;
  expect(first.map((r) => r.name)).toEqual(runs.kernel.fired.slice(0, 1).map((r) => r.name));
  expect(first.map((r) => r.priority)).toEqual(expected.priorities.slice(0, 1));
  counts.agreeing++;
  if (expected.fired.length > 0) counts.withAFiredRule++;
  return expected;
}

/** The values a scenario's facts may take in a variation: those it uses, their neighbours, and the awkward ones. */
function vocabulary(scenario: Scenario): unknown[] {
  const values: unknown[] = [null, '', 0, true, false, [], {}];
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) {
      values.push(node);
      node.forEach((child) => visit(child));
    } else if (node !== null && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) if (k !== 'fact' && k !== 'path' && k !== 'operator' && k !== 'name') visit(child, k);
    } else if (key !== 'type') {
      values.push(node);
      if (typeof node === 'number') values.push(node - 1, node + 1, String(node));
    }
  };
  visit(scenario.rules.map((rule) => rule['conditions']));
  visit(scenario.conditions);
  visit(scenario.facts);
  return values.filter((value, index) => values.findIndex((other) => JSON.stringify(other) === JSON.stringify(value)) === index);
}

type Step = string | number;

/** Every place a variation may change: each value inside the facts, and each fact the scenario names. */
function places(facts: Record<string, unknown>, names: readonly string[]): Step[][] {
  const found: Step[][] = names.map((name) => [name]);
  const visit = (node: unknown, path: Step[]): void => {
    if (path.length > 0 && !found.some((p) => JSON.stringify(p) === JSON.stringify(path))) found.push(path);
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, [...path, i]));
    else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) visit(child, [...path, k]);
  };
  visit(facts, []);
  return found;
}

function edit(facts: Record<string, unknown>, path: readonly Step[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(facts);
  let node: Record<Step, unknown> = copy;
  for (const step of path.slice(0, -1)) {
    const next = node[step];
    if (next === null || typeof next !== 'object') return copy;
    node = next as Record<Step, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined && !Array.isArray(node)) Reflect.deleteProperty(node, last);
  else node[last] = structuredClone(value);
  return copy;
}

function variations(scenario: Scenario): fc.Arbitrary<Record<string, unknown>> {
  const bases = scenario.facts!.length > 0 ? scenario.facts! : [{}];
  const values = vocabulary(scenario);
  const names = factNames(scenario);
  return fc
    .record({
      base: fc.constantFrom(...bases),
      edits: fc.array(fc.record({ at: fc.nat(), value: fc.option(fc.constantFrom(...values), { nil: undefined, freq: 6 }) }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ base, edits }) => edits.reduce((facts, { at, value }) => {
      const where = places(facts, names);
      return edit(facts, where[at % where.length]!, value);
    }, base));
}

for (const file of files) {
  describe(`json-rules-engine conformance: ${file}`, () => {
    for (const scenario of scenariosOf(file)) {
      if (scenario.refused !== undefined) {
        it(`${scenario.from}: ${scenario.name} is refused at load with ${scenario.refused}`, () => {
          counts.refused++;
          let issues: { code: string; path: string }[] = [];
          try {
            compileRuleFile(fileOf(scenario), 'refused.rules.json');
          } catch (error) {
            expect(error).toBeInstanceOf(RuleSetError);
            issues = (error as RuleSetError).issues.map(({ code, path }) => ({ code, path }));
          }
          expect(issues).toEqual([{ code: scenario.refused, path: scenario.at }]);
        });
        continue;
      }
      it(`${scenario.from}: ${scenario.name}`, async () => {
        counts.scenarios++;
        const compiled = compiledOf(scenario);
        for (const [index, facts] of (scenario.facts ?? []).entries()) {
          counts.givenRuns++;
          const expected = await expectAgreement(scenario, compiled, facts);
          // The translation keeps the JRE test's own expectation.
          expect({ facts, fired: expected.fired }).toEqual({ facts, fired: [...scenario.fired![index]!].sort() });
        }
        await fc.assert(
          fc.asyncProperty(variations(scenario), async (facts) => {
            counts.variationRuns++;
            await expectAgreement(scenario, compiled, facts);
          }),
          { numRuns: VARIATIONS_PER_SCENARIO },
        );
      });
    }
  });
}

describe('json-rules-engine conformance: the suite itself', () => {
  it('holds dozens of scenarios, each naming its JRE source, with facts and expectations that line up', () => {
    const all = files.flatMap(scenariosOf);
    const run = all.filter((s) => s.refused === undefined);
    expect(run.length).toBeGreaterThanOrEqual(40);
    for (const scenario of all) expect(scenario.from).toMatch(/^(docs|examples|test)\/[\w./-]+\.(md|js)$/);
    for (const scenario of run) expect(scenario.fired?.length).toBe(scenario.facts?.length);
  });
});

afterAll(() => {
  // The variations must exercise both sides: runs where a rule fires and runs where none does.
  if (counts.variationRuns > 0) {
    const firedShare = counts.withAFiredRule / (counts.givenRuns + counts.variationRuns);
    expect(firedShare).toBeGreaterThan(0.2);
    expect(firedShare).toBeLessThan(0.9);
  }
  console.info(
    `json-rules-engine conformance: ${counts.scenarios} scenarios run, ${counts.refused} refused at load as expected; ` +
      `${counts.agreeing} of ${counts.givenRuns + counts.variationRuns} runs agree (${counts.givenRuns} on the given facts, ${counts.variationRuns} variations), each in 4 ways; ${counts.withAFiredRule} with a rule fired`,
  );
});
