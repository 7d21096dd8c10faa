/**
 * sales-policies/engine: the engine's internals, for tooling that builds on it (an SQL compiler,
 * a docs generator, a policy of your own). Apps evaluate through the root entry; this entry's
 * types may change in a minor version as the engine grows, and says so in the changelog.
 *
 * - {@link definePolicy} makes a policy from a rules file, a facts schema, an event schema and a
 *   `decide`; {@link createRegistry} assembles areas of policies for the tools.
 * - {@link engineOf} reaches a policy's definition, compiled rules and the version a set of
 *   options picks (what `Policy` objects no longer expose).
 * - `compileRuleFile`'s output types: `CompiledRuleFile`, `CompiledVersion`, `CompiledRule`.
 *
 * @example
 * import { engineOf } from 'sales-policies/engine';
 * import { reviewApproval } from 'sales-policies/review';
 * engineOf(reviewApproval).version({ asOf: '2026-01-01' }).parameters['directorLimit']; //=> '500000'
 *
 * @packageDocumentation
 */
export { declaredFacts, definePolicy, engineOf } from './core/policy.js';
export type { DeclaredFacts, FactsFromRules, PolicySource } from './core/policy.js';
export { factSchema, factsSchema, factShape } from './core/facts-schema.js';
export type { FactShape } from './core/facts-schema.js';
export { factsChecker, valueChecker } from './core/facts-checker.js';
export type { CheckIssue, CheckResult, FactsChecker } from './core/facts-checker.js';
export type { PathSegment } from './core/path.js';
export type { PolicyContext, PolicyDefinition, PolicyEngine, PolicyResult } from './core/policy.js';
import { installRuleLoader } from './core/compile.js';
import { factsChecker, valueChecker } from './core/facts-checker.js';
import { installFactsChecker } from './core/policy.js';
import { compileRuleFile } from './core/rule-loader.js';

// Tools that build policies of their own pass rules files as JSON: the loader must be there.
installRuleLoader(compileRuleFile);
// And their policies check declared facts as fast as the root entry's do.
installFactsChecker({ facts: factsChecker, value: valueChecker });

export { compileRuleFile };
export { versionAt } from './core/compile.js';
export type { CompiledRule, CompiledRuleFile, CompiledVersion, CompileOptions, FactView } from './core/compile.js';
export { noParams } from './core/event.js';
export type { DecidingRule, EventOf, EventSchema } from './core/event.js';
export type { FactsContext } from './core/facts.js';
export { createRegistry } from './registry.js';
export type { AnyPolicy, MergedAreas, PolicyArea, PolicyRegistry, Registry } from './registry.js';
export { BUNDLED_AREAS, BUNDLED_REGISTRY } from './policies.js';
