import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PolicyId } from '../../src/index.js';
import { evaluate, PolicyInputError, POLICY_IDS } from '../../src/index.js';
import { POLICIES } from '../../src/policies.js';
import type { EvaluateOptions } from '../../src/index.js';
import { bundledCaseFiles, ROOT } from '../helpers/case-files.js';
import { engineOf } from '../../src/core/policy.js';

/** A step into the facts: an object key or an array index. */
export type Step = string | number;

/** One policy's examples, read from its case file and its rules file. */
export interface PolicyExamples {
  readonly id: PolicyId;
  readonly asOf: string;
  /** Facts of the cases that expect a decision, with the case's own options. */
  readonly valid: readonly { readonly name: string; readonly facts: Record<string, unknown>; readonly options: EvaluateOptions }[];
  /** Facts of the cases that expect an input error. */
  readonly invalid: readonly unknown[];
  /** Every path to a value in the valid facts, and every declared (not derived) fact. */
  readonly paths: readonly (readonly Step[])[];
  /** The container paths (objects) where an extra key can go: the root and every nested object. */
  readonly objects: readonly (readonly Step[])[];
}

const rulesFileOf = (id: PolicyId): string => engineOf(POLICIES[id]).definition.rulesFile;

function collectPaths(value: unknown, prefix: Step[], paths: Map<string, Step[]>, objects: Map<string, Step[]>): void {
  if (Array.isArray(value)) {
    // One path per position is plenty: the first and the last items stand for the rest.
    const indexes = value.length === 0 ? [] : [...new Set([0, value.length - 1])];
    for (const index of indexes) {
      const path = [...prefix, index];
      paths.set(JSON.stringify(path), path);
      collectPaths(value[index], path, paths, objects);
    }
  } else if (value !== null && typeof value === 'object') {
    objects.set(JSON.stringify(prefix), prefix);
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, key];
      paths.set(JSON.stringify(path), path);
      collectPaths(child, path, paths, objects);
    }
  }
}

let examples: Map<PolicyId, PolicyExamples> | undefined;

/** Every bundled policy's examples, in POLICY_IDS order. */
export function policyExamples(): Map<PolicyId, PolicyExamples> {
  if (examples) return examples;
  examples = new Map();
  const files = bundledCaseFiles();
  for (const id of POLICY_IDS) {
    const file = files.find((f) => f.cases.policy === id);
    if (!file) throw new Error(`no case file for ${id}`);
    const asOf = file.cases.asOf ?? '2026-01-01';
    const rules = JSON.parse(readFileSync(join(ROOT, rulesFileOf(id)), 'utf8')) as { facts: Record<string, { derived?: boolean }> };
    const valid: { name: string; facts: Record<string, unknown>; options: EvaluateOptions }[] = [];
    const invalid: unknown[] = [];
    const paths = new Map<string, Step[]>();
    const objects = new Map<string, Step[]>([['[]', []]]);
    for (const c of file.cases.cases) {
      if ('error' in c.expected) {
        invalid.push(c.facts);
        continue;
      }
      const options: EvaluateOptions = { asOf: c.asOf ?? asOf, ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }) };
      valid.push({ name: c.name, facts: c.facts as Record<string, unknown>, options });
      collectPaths(c.facts, [], paths, objects);
    }
    for (const [name, declaration] of Object.entries(rules.facts)) {
      if (!declaration.derived) paths.set(JSON.stringify([name]), [name]);
    }
    examples.set(id, { id, asOf, valid, invalid, paths: [...paths.values()], objects: [...objects.values()] });
  }
  return examples;
}

/** A deep copy of plain JSON-like data in which `value` replaces what is at `path` (or removes it, for `REMOVE`). */
export const REMOVE = Symbol('remove');

export function withValueAt(root: unknown, path: readonly Step[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = Array.prototype.slice.call(root) as unknown[];
    if (rest.length === 0 && value === REMOVE) copy.splice(head, 1);
    else copy[head] = withValueAt(root[head], rest, value);
    return copy;
  }
  const source = root !== null && typeof root === 'object' ? (root as Record<string, unknown>) : {};
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(source)) Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
  const key = String(head);
  if (rest.length === 0 && value === REMOVE) Reflect.deleteProperty(copy, key);
  else Object.defineProperty(copy, key, { value: withValueAt(Object.hasOwn(source, key) ? source[key] : undefined, rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Own properties of the built-in prototypes before any test ran: a polluted prototype gains one. */
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype] as const;
const baseline = PROTOTYPES.map((proto) => Reflect.ownKeys(proto).map(String).sort().join(','));

/** Fails when a built-in prototype gained or lost a property. */
export function expectNoPollution(): void {
  expect(PROTOTYPES.map((proto) => Reflect.ownKeys(proto).map(String).sort().join(','))).toEqual(baseline);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

/** A generous guard against a hang, not a speed goal. */
export const CALL_BUDGET_MS = 2_000;

/** What one call came to: a decision (as JSON) or an input error's issue paths. */
export type CallResult = { readonly kind: 'decision'; readonly json: string } | { readonly kind: 'input-error'; readonly code: string; readonly paths: readonly string[] };

/**
 * A record of a value to tell later whether anyone changed it: primitives by value, objects by
 * identity, prototype and every own property (symbols and own `__proto__` keys included), down to
 * 64 levels and 10,000 items; deeper or bigger parts by identity only (structuredClone cannot copy
 * a value nested 2,000 deep, and comparing a million items per call would be the slow part).
 */
type Snapshot =
  | { readonly kind: 'primitive'; readonly value: unknown }
  | { readonly kind: 'ref'; readonly value: object }
  | { readonly kind: 'object'; readonly value: object; readonly proto: object | null; readonly frozen: boolean; readonly props: readonly [PropertyKey, Snapshot][] };

export function snapshot(value: unknown, depth = 0): Snapshot {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return { kind: 'primitive', value };
  const object = value as object;
  const plain = Array.isArray(object) || Object.getPrototypeOf(object) === Object.prototype || Object.getPrototypeOf(object) === null;
  if (!plain || depth > 64 || (Array.isArray(object) && object.length > 10_000) || Reflect.ownKeys(object).length > 10_000) return { kind: 'ref', value: object };
  const props: [PropertyKey, Snapshot][] = Reflect.ownKeys(object).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
    return [key, 'value' in descriptor ? snapshot(descriptor.value, depth + 1) : { kind: 'primitive', value: descriptor.get }];
  });
  return { kind: 'object', value: object, proto: Object.getPrototypeOf(object) as object | null, frozen: Object.isFrozen(object), props };
}

/** Where `value` differs from its snapshot, or `undefined` when it is unchanged. */
export function changedFrom(value: unknown, snap: Snapshot, at = 'facts'): string | undefined {
  if (snap.kind === 'primitive') return Object.is(value, snap.value) ? undefined : at;
  if (value !== snap.value) return at;
  if (snap.kind === 'ref') return undefined;
  const object = value as object;
  if (Object.getPrototypeOf(object) !== snap.proto) return `${at} (prototype)`;
  const keys = Reflect.ownKeys(object);
  if (keys.length !== snap.props.length || keys.some((key, i) => key !== snap.props[i]![0])) return `${at} (keys)`;
  for (const [key, child] of snap.props) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
    const changed = changedFrom('value' in descriptor ? descriptor.value : descriptor.get, child, `${at}[${String(key)}]`);
    if (changed) return changed;
  }
  return undefined;
}

/**
 * Evaluates and checks the contract every call keeps: a decision or a PolicyInputError (never
 * another error), within the time budget, the caller's facts unchanged (see {@link snapshot};
 * values structuredClone can copy are also deep-compared with their clone), and no built-in
 * prototype polluted.
 */
export function checkedCall(policy: PolicyId, facts: unknown, options?: EvaluateOptions): CallResult {
  const snap = snapshot(facts);
  let clone: { value: unknown } | undefined;
  if (snap.kind === 'object' && isShallow(facts, 0)) {
    try {
      clone = { value: structuredClone(facts) };
    } catch {
      clone = undefined;
    }
  }
  const start = performance.now();
  let result: CallResult;
  try {
    const decision = evaluate(policy, facts as never, options);
    expect(decision.policy).toBe(policy);
    expect(Array.isArray(decision.basis) && decision.basis.every((id) => typeof id === 'string')).toBe(true);
    result = { kind: 'decision', json: JSON.stringify(decision) };
  } catch (error) {
    if (!(error instanceof PolicyInputError)) {
      throw new Error(`${policy} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of a decision or a PolicyInputError\nfacts: ${describeValue(facts)}\noptions: ${describeValue(options)}`, { cause: error });
    }
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.code).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
    result = { kind: 'input-error', code: error.code, paths: error.issues.map((issue) => issue.path) };
  }
  const elapsed = performance.now() - start;
  if (elapsed >= CALL_BUDGET_MS) throw new Error(`${policy} took ${elapsed.toFixed(0)} ms (guard: ${CALL_BUDGET_MS} ms) on ${describeValue(facts)}`);
  expect(changedFrom(facts, snap), `${policy} changed the caller's facts`).toBeUndefined();
  if (clone) expect(facts).toEqual(clone.value);
  expectNoPollution();
  return result;
}

function isShallow(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > 32) return false;
  const children = Array.isArray(value) ? (value.length > 10_000 ? undefined : value) : Object.values(value);
  return children !== undefined && children.length <= 10_000 && children.every((child) => isShallow(child, depth + 1));
}

/** A short, never-throwing description of a value for a failure message. */
export function describeValue(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v));
    return text === undefined ? String(value) : text.length > 400 ? `${text.slice(0, 400)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Counts the cases each fuzzing test generates, for the report. */
export const generated = new Map<string, number>();

export function count(test: string, n = 1): void {
  generated.set(test, (generated.get(test) ?? 0) + n);
}
