/**
 * Node-only helpers: reading an organisation's rules folder from disk. The rest of the package
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
