import { describe, expect, it } from 'vitest';
import type { InputIssue, RuleSetIssue } from '../../src/core/errors.js';
import { formatIssues, formatRuleSetIssue, PolicyInputError, RuleSetError } from '../../src/core/errors.js';

const amount: InputIssue = { code: 'invalid_type', path: 'amount', message: 'expected a decimal amount', received: 'lots', expected: 'decimal' };
const channel: InputIssue = { code: 'invalid_value', path: 'channel', message: 'expected direct or distributor', received: 'retail', expected: 'direct | distributor' };
const operator: RuleSetIssue = { code: 'unknown_operator', file: 'a.rules.json', path: 'rules[0].conditions.all[0].operator', message: 'unknown operator "lessThen"' };
const root: RuleSetIssue = { code: 'unknown_key', file: 'a.rules.json', path: '', message: 'unknown key "rulez"' };

describe('the messages of the errors a caller reads', () => {
  it('PolicyInputError says how many problems, then one line pair per issue', () => {
    expect(new PolicyInputError('review.approval', [amount]).message).toBe('review.approval: the input has a problem\n✖ expected a decimal amount (received "lots")\n  → at amount');
    expect(new PolicyInputError('review.approval', [amount, channel]).message).toBe(
      'review.approval: the input has 2 problems\n✖ expected a decimal amount (received "lots")\n  → at amount\n✖ expected direct or distributor (received "retail")\n  → at channel',
    );
    expect(new PolicyInputError('review.approval', [amount], 'INVALID_OPTIONS').code).toBe('INVALID_OPTIONS');
  });

  it('formatIssues puts each issue on its own lines', () => {
    expect(formatIssues([amount, channel]).split('\n')).toEqual(['✖ expected a decimal amount (received "lots")', '  → at amount', '✖ expected direct or distributor (received "retail")', '  → at channel']);
  });

  it('RuleSetError prints one "file → path: message" line per issue; an empty path is the root', () => {
    expect(formatRuleSetIssue(root)).toBe('a.rules.json → (root): unknown key "rulez"');
    const error = new RuleSetError([operator, root]);
    expect(error.code).toBe('INVALID_RULE_SET');
    expect(error.message).toBe('invalid rule set\na.rules.json → rules[0].conditions.all[0].operator: unknown operator "lessThen"\na.rules.json → (root): unknown key "rulez"');
  });
});
