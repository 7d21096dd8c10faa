import { POLICY_IDS } from '../policies.js';
import { UsageError } from './io.js';

/**
 * The policy ids a flag such as `--policies review.approval,commission.*` names: ids and
 * `prefix.*` patterns, comma separated. A pattern that matches no policy is a usage error, so a
 * misspelt id never silently selects nothing.
 *
 * @example
 * selectPolicies('--policies', 'review.approval,commission.*'); //=> Set { 'review.approval', 'commission.allocation', … }
 */
export function selectPolicies(flag: string, value: string): Set<string> {
  const patterns = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (patterns.length === 0) throw new UsageError(`${flag} takes policy ids or prefixes, e.g. review.approval,commission.*`);
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const matching = POLICY_IDS.filter((id) => (pattern.endsWith('.*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern));
    if (matching.length === 0) throw new UsageError(`${flag}: no policy matches ${JSON.stringify(pattern)}: known policies are ${POLICY_IDS.join(', ')}`);
    for (const id of matching) selected.add(id);
  }
  return selected;
}
