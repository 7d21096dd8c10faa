import type { VerbSpec } from './command.js';
import { formatFlag } from './command.js';

/** `sales-policies test`: its flags, help and examples. */
export const testSpec = {
  name: 'test',
  summary: 'Run every *.cases.json against the rule set and report rule coverage: the rules no case makes decide.',
  usage: 'test [--rules DIR] [--policy ID,PREFIX.*] [--case TEXT] [--min-coverage N] [--verbose] [--allow-empty] [--format text|json]',
  flags: {
    rules: { type: 'string', short: 'r', value: 'DIR', help: 'the rules folder whose cases to run (default: the bundled rules)' },
    policy: { type: 'string', short: 'p', value: 'ID,PREFIX.*', help: 'only the cases of these policies (e.g. review.approval,commission.*)' },
    case: { type: 'string', short: 'c', value: 'TEXT', help: 'only the cases whose name contains TEXT' },
    'min-coverage': { type: 'string', value: 'N', help: 'fail below N% of rules deciding in some case' },
    verbose: { type: 'boolean', help: 'show every case, not only the failures and a summary per file' },
    'allow-empty': { type: 'boolean', help: 'no cases to run is not a failure' },
    ...formatFlag(['text', 'json']),
  },
  examples: ['sales-policies test --rules our-rules --min-coverage 100', 'sales-policies test --policy review.approval --case distributor --verbose', 'sales-policies test --format json | jq .failed'],
  details: 'Failures show expected vs actual path by path. A folder with no cases, a broken case file or a rule set that does not load is a finding (exit 1).\nJSON: {"passed", "failed", "coverage": {"percent", "rules", "decided", "files"}, "failures": [{file, name, passed, expected, actual, differences}]}. Exit 1 when a case fails.',
} as const satisfies VerbSpec;
