import type { CompiledRule, CompiledRuleFile } from '../core/compile.js';
import { compileRuleFile, copyRuleFile } from '../core/rule-loader.js';
import { canonicalJson } from '../core/cases.js';
import { RuleSetError, safeJson } from '../core/errors.js';
import type { EventSchema } from '../core/event.js';
import { eventIssues } from '../core/event.js';
import { conditionLeaves } from '../core/condition-fold.js';
import type { PathSegment } from '../core/path.js';
import { toDotPath } from '../core/path.js';
import type { Condition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX } from '../core/rule-file.js';
import type { CellResult, DecisionSpace } from './enumerate.js';
import { describeCell, enumerateDecisionSpace, mergeCells } from './enumerate.js';
import type { Finding } from './findings.js';

/** What `validate` knows of the policy a rules file is for. */
export interface PolicyShape {
  /** The facts the policy's facts schema accepts from callers. */
  readonly inputFacts: ReadonlySet<string>;
  /** The policy's event schema: the events its rules may give (checked as loading does). */
  readonly event?: EventSchema;
}

/** Options of {@link validateRuleFile}. */
export interface ValidateOptions {
  /** The policy the file claims to be for, or `undefined` when no such policy exists. */
  readonly policy?: PolicyShape | undefined;
  /** How many cells to name in one finding before saying "and N more". */
  readonly cellsPerFinding?: number;
  /** The work bound: rule tests to spend on one parameter version before sampling (default `MAX_RULE_TESTS` of the enumeration, 50 million). */
  readonly maxRuleTests?: number;
}

/**
 * Checks a rules file as `sales-policies validate` does: its shape and references (as loading
 * does), the facts its conditions use against the policy's facts schema, and its semantics by
 * enumerating the decision space of every parameter version: gaps, conflicts, unreachable rules,
 * breaches of declared monotonicity; and it lists example parameters still in use.
 *
 * @example
 * validateRuleFile(json, 'rules/review/approval.rules.json', { policy: { inputFacts: new Set(['amount', 'channel']) } });
 * //=> [] when the file is sound
 */
export function validateRuleFile(json: unknown, file: string, options: ValidateOptions = {}): Finding[] {
  let compiled: CompiledRuleFile;
  try {
    compiled = compileRuleFile(copyRuleFile(json, file), file); // a fresh object: never a cached compile of an earlier state
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return error.issues.map((issue) => ({ severity: 'error', code: issue.code, file, path: issue.path, message: issue.message }));
  }
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], code: Finding['code'], path: string, message: string) => findings.push({ severity, code, file, path, message });
  if (options.policy?.event) {
    const issues = eventIssues(compiled, options.policy.event);
    // An event the policy cannot read makes every decision of that rule meaningless: stop here, as loading does.
    if (issues.length > 0) return issues.map((issue) => ({ severity: 'error', code: issue.code, file, path: issue.path, message: issue.message }));
  }
  if (options.policy) checkFactsAgainstSchema(compiled, options.policy, add);
  else add('error', 'unknown_policy', 'policy', `no policy ${safeJson(compiled.spec.policy)} exists: this file would never be used`);

  const limit = options.cellsPerFinding ?? 5;
  const decided = new Set<number>();
  let sampled: DecisionSpace['sampled'];
  const multipleVersions = compiled.versions.length > 1;
  for (const [index, version] of compiled.versions.entries()) {
    const space = enumerateDecisionSpace(compiled, version, options.maxRuleTests === undefined ? {} : { maxRuleTests: options.maxRuleTests });
    const prefix = multipleVersions ? `from ${version.from}: ` : '';
    if (space.sampled !== undefined) sampled = space.sampled;
    if (space.sampled?.workBound) {
      add('warning', 'too_large_sampled', `parameters[${index}]`, `${prefix}too large to check exactly, sampled: ${space.sampled.checked} of ${space.sampled.total} combinations of facts checked (${compiled.spec.rules.length} rules); gaps, conflicts and monotonicity breaches outside the sample are not ruled out`);
    }
    for (const result of space.results) for (const rule of result.deciding) decided.add(rule.index);
    reportGaps(compiled, space, limit, (message) => add('error', 'gap', 'rules', prefix + message));
    if (compiled.spec.decision === 'first-hit') reportConflicts(space, (path, message) => add('error', 'conflict', path, prefix + message));
    reportMonotonicity(compiled, space, (path, message) => add('error', 'monotonicity', path, prefix + message));
    for (const name of version.examples) {
      add('warning', 'example_parameter', `parameters[${index}].values.${name}`, `${prefix}${name} is an example value, not from the source: set your organisation's own`);
    }
  }
  for (const [index, rule] of compiled.spec.rules.entries()) {
    if (decided.has(index)) continue;
    // In a sampled space "never found" is not proof: say what was checked, as a warning.
    if (sampled) add('warning', 'unreachable', `rules[${index}]`, `rule ${rule.name} decided in none of the ${sampled.checked} combinations of facts checked (the space has ${sampled.total}, too many to enumerate; the sample aims at each rule's conditions)`);
    else add('error', 'unreachable', `rules[${index}]`, `rule ${rule.name} never decides: in no combination of facts is it the rule that decides`);
  }
  return findings;
}

type Add = (severity: Finding['severity'], code: Finding['code'], path: string, message: string) => void;

function checkFactsAgainstSchema(compiled: CompiledRuleFile, policy: PolicyShape, add: Add): void {
  const used = new Map<string, string>();
  compiled.spec.rules.forEach((rule, index) => collectFacts(rule.conditions, ['rules', index, 'conditions'], used));
  for (const [fact, path] of used) {
    const declaration = compiled.spec.facts[fact];
    if (!declaration || declaration.derived) continue;
    if (!policy.inputFacts.has(fact)) {
      add('error', 'unknown_fact', path, `the facts of ${compiled.spec.policy} have no ${safeJson(fact)}: no caller can give it (declare it "derived" if the policy computes it)`);
    }
  }
}

/** Each fact the conditions read, with the path of the first place that reads it. */
function collectFacts(node: Condition, path: readonly PathSegment[], into: Map<string, string>): void {
  for (const { leaf, path: at } of conditionLeaves(node, { path })) {
    if (!leaf.fact.startsWith(PARAMETER_PREFIX) && !into.has(leaf.fact)) into.set(leaf.fact, toDotPath([...at, 'fact']));
    if (isFactReference(leaf.value) && !leaf.value.fact.startsWith(PARAMETER_PREFIX) && !into.has(leaf.value.fact)) into.set(leaf.value.fact, toDotPath([...at, 'value', 'fact']));
  }
}

function reportGaps(compiled: CompiledRuleFile, space: DecisionSpace, limit: number, report: (message: string) => void): void {
  if (compiled.spec.noMatch === 'allowed') return;
  const gaps = mergeCells(
    space.dimensions,
    space.results.filter((result) => result.deciding.length === 0).map((result) => result.cell.coordinates),
  );
  for (const gap of gaps.slice(0, limit)) report(`${describeCell(space.dimensions, gap)}: no rule decides`);
  if (gaps.length > limit) report(`and ${gaps.length - limit} more classes of facts where no rule decides`);
}


function reportConflicts(space: DecisionSpace, report: (path: string, message: string) => void): void {
  const seen = new Map<string, { first: CellResult; count: number; a: CompiledRule; b: CompiledRule }>();
  const events: string[] = []; // canonical event of each rule, computed once per rule, not once per cell and pair
  const eventOf = (rule: CompiledRule) => (events[rule.index] ??= canonicalJson(rule.definition.event));
  for (const result of space.results) {
    const [top, ...rest] = result.fired;
    if (!top) continue;
    for (const other of rest) {
      if (other.priority !== top.priority) break;
      if (eventOf(other) === eventOf(top)) continue;
      const key = `${top.index}/${other.index}`;
      const entry = seen.get(key);
      if (entry) entry.count++;
      else seen.set(key, { first: result, count: 1, a: top, b: other });
    }
  }
  for (const { first, count, a, b } of seen.values()) {
    report(
      `rules[${b.index}]`,
      `rules[${a.index}] (${a.name}) and rules[${b.index}] (${b.name}) both decide at priority ${a.priority} and differ (${safeJson(a.definition.event.params ?? a.definition.event.type, 120)} vs ${safeJson(b.definition.event.params ?? b.definition.event.type, 120)}): ${first.cell.label}${count > 1 ? `, and ${count - 1} more cells` : ''}`,
    );
  }
}

function reportMonotonicity(compiled: CompiledRuleFile, space: DecisionSpace, report: (path: string, message: string) => void): void {
  compiled.spec.monotone.forEach((declaration, index) => {
    const axis = space.dimensions.findIndex((d) => d.fact === declaration.fact);
    if (axis === -1) return;
    const rank = (result: CellResult): number | undefined => {
      const value = result.deciding[0]?.definition.event.params?.[declaration.outcome];
      const position = declaration.order.indexOf(value as string);
      return position === -1 ? undefined : position;
    };
    // Cells that differ only along the axis, in axis order.
    const lines = new Map<string, CellResult[]>();
    for (const result of space.results) {
      const key = result.cell.coordinates.map((c, i) => (i === axis ? '*' : c)).join(',');
      const line = lines.get(key) ?? [];
      line.push(result);
      lines.set(key, line);
    }
    // Group breaches by what falls to what between which classes, then merge the other facts.
    const breaches = new Map<string, { message: string; cells: number[][] }>();
    const labelAt = (result: CellResult) => space.dimensions[axis]!.points[result.cell.coordinates[axis]!]!.label;
    for (const line of lines.values()) {
      line.sort((x, y) => x.cell.coordinates[axis]! - y.cell.coordinates[axis]!);
      let best: { result: CellResult; rank: number } | undefined;
      for (const result of line) {
        const r = rank(result);
        if (r === undefined) continue;
        if (best && r < best.rank) {
          const message = `${declaration.outcome} falls from ${declaration.order[best.rank]} to ${declaration.order[r]} as ${declaration.fact} rises from "${labelAt(best.result)}" to "${labelAt(result)}"`;
          const entry = breaches.get(message) ?? { message, cells: [] };
          entry.cells.push(result.cell.coordinates.map((c, i) => (i === axis ? -1 : c)));
          breaches.set(message, entry);
        } else if (!best || r > best.rank) best = { result, rank: r };
      }
    }
    const found = [...breaches.values()].flatMap(({ message, cells }) => mergeCells(space.dimensions, cells).map((cell) => `${message} (${describeCell(space.dimensions, cell)})`));
    for (const message of found.slice(0, 3)) report(`monotone[${index}]`, message);
    if (found.length > 3) report(`monotone[${index}]`, `and ${found.length - 3} more places where ${declaration.outcome} falls as ${declaration.fact} rises`);
  });
}
