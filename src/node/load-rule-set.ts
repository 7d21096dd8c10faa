import { RuleSetError } from '../core/errors.js';
import type { RuleSetIssue } from '../core/errors.js';
import { isPolicyId } from '../policies.js';
import type { RuleSet } from '../rule-set.js';
import { createPolicies, FILE_NAME } from '../rule-set.js';
import { readRuleFolder } from './rule-folder.js';

/**
 * Reads every `*.rules.json` under `dir` (following symbolic links) and checks the set as
 * {@link createPolicies} does (each file compiled, each policy known and defined once, no key
 * given twice in one object), so a broken copy fails here, with every file and JSON path, rather
 * than at the first evaluation. A folder with no rules file at all throws (`no_rules_files`):
 * it never means "use the bundled rules". Returns the rule set, for
 * `createPolicies({ rules })` or `evaluate`'s `options.rules`.
 *
 * @example
 * const rules = loadRuleSet('./our-rules');
 * evaluate('review.approval', facts, { rules });
 */
export function loadRuleSet(dir: string): RuleSet {
  const folder = readRuleFolder(dir);
  const issues: RuleSetIssue[] = [];
  const set: Record<string, unknown> = {};
  const owners = new Map<string, string>();
  for (const file of folder.rules) {
    if (file.parseError !== undefined) {
      issues.push({ code: file.parseCode ?? 'invalid_json', file: file.path, path: file.parsePath ?? '', message: file.parseCode === 'duplicate_key' ? file.parseError : `not JSON: ${file.parseError}` });
      continue;
    }
    const policy = (file.json as { policy?: unknown } | null)?.policy;
    if (typeof policy !== 'string' || !isPolicyId(policy)) {
      issues.push({ code: 'unknown_policy', file: file.path, path: 'policy', message: `no policy ${JSON.stringify(policy)} exists` });
      continue;
    }
    const other = owners.get(policy);
    if (other !== undefined) {
      issues.push({ code: 'duplicate_policy', file: file.path, path: 'policy', message: `${other} already defines ${policy}` });
      continue;
    }
    owners.set(policy, file.path);
    set[policy] = Object.defineProperty(file.json as object, FILE_NAME, { value: file.path, enumerable: false });
  }
  if (issues.length > 0) throw new RuleSetError(issues);
  createPolicies({ rules: set }); // checks every file, with its path in each issue
  return set;
}
