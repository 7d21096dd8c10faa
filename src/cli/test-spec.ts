import type { VerbSpec } from './command.js';
import { formatFlag } from './command.js';

/**
 * `sales-policies test`: its help and examples. The verb (test-verb.ts) still parses its own flags;
 * when it adopts `parseVerb(testSpec, args)`, the flags are declared here once for both.
 */
export const testSpec = {
  name: 'test',
  summary: 'Run every *.cases.json against the rule set and report rule coverage: the rules no case makes decide.',
  usage: 'test [--rules DIR] [--min-coverage N] [--format text|json]',
  flags: {
    rules: { type: 'string', short: 'r', value: 'DIR', help: 'the rules folder whose cases to run (default: the bundled rules)' },
    'min-coverage': { type: 'string', value: 'N', help: 'fail below N% of rules deciding in some case' },
    ...formatFlag(['text', 'json']),
  },
  examples: ['sales-policies test --rules our-rules --min-coverage 100', 'sales-policies test --format json | jq .failed'],
  details: 'JSON: {"passed", "failed", "coverage": {"percent", "rules", "decided", "files"}, "failures": [{file, name, passed, expected, actual}]}. Exit 1 when a case fails.',
} as const satisfies VerbSpec;
