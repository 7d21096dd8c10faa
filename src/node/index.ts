/**
 * Node-only helpers: reading an organisation's rules folder and files of historical facts from
 * disk, and `impact` (what a rule change does to those facts). The rest of the package
 * never touches the file system (it runs in a browser); this entry does.
 *
 * @example
 * import { loadRuleSet } from 'sales-policies/node';
 * import { createPolicies } from 'sales-policies';
 * const policies = createPolicies({ rules: loadRuleSet('./rules') });
 *
 * @packageDocumentation
 */
export { loadRuleSet } from './load-rule-set.js';
export { FactsFileError, readFactsFile } from './facts-file.js';
export type { FactsFileFormat, FactsFileOptions } from './facts-file.js';
export { impact, UnreadableRow } from '../toolkit/impact.js';
export type { ImpactMoney, ImpactOptions, ImpactRefusal, ImpactReport, ImpactSide, ImpactTransition } from '../toolkit/impact.js';
