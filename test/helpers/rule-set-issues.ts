import { expect } from 'vitest';
import type { RuleSetIssue } from '../../src/index.js';
import { RuleSetError } from '../../src/index.js';

/**
 * The issues of the RuleSetError `run` throws, as `[path, message]` pairs, each checked to be an
 * event issue of `file`; fails the test when `run` throws nothing or something else.
 *
 * @example
 * expect(eventIssuesOf(() => evaluate('review.approval', facts, { rules }))).toEqual([['rules[1].event.params.authority', '…']]);
 */
export function eventIssuesOf(run: () => unknown, file = 'options.rules'): [string, string][] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map((issue: RuleSetIssue) => {
      expect(issue).toMatchObject({ code: 'invalid_event', file });
      return [issue.path, issue.message];
    });
  }
  return expect.unreachable('no RuleSetError');
}
