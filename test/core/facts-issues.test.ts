import { describe, expect, it } from 'vitest';
import { evaluate, PolicyInputError } from '../../src/index.js';

const AS_OF = '2026-01-01';
const readiness = { amount: '1', channel: 'direct', terms: [], signoffs: [] };

function issues(policy: 'review.readiness' | 'review.approval' | 'followUp.escalation', facts: unknown): unknown[] {
  try {
    evaluate(policy, facts as never, { asOf: AS_OF });
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInputError);
    return [...(error as PolicyInputError).issues];
  }
  throw new Error('no PolicyInputError was thrown');
}

// What a caller reads for each kind of bad fact: the code, the dotted path, a message that says
// what to do ("required" when the field is missing), the value received and what was expected.
describe('input issues name what was expected, in words', () => {
  it.each([
    ['facts that are a list', 'review.approval', [], [{ code: 'invalid_type', path: '', message: 'expected an object', expected: 'an object', received: [] }]],
    ['a missing list', 'review.readiness', { ...readiness, terms: undefined }, [{ code: 'invalid_type', path: 'terms', message: 'required: expected a list', expected: 'a list', received: undefined }]],
    ['a list given as text', 'review.readiness', { ...readiness, signoffs: 'none' }, [{ code: 'invalid_type', path: 'signoffs', message: 'expected a list', expected: 'a list', received: 'none' }]],
    ['a flag given as text', 'review.approval', { amount: 1, channel: 'direct', disputed: 'yes' }, [{ code: 'invalid_type', path: 'disputed', message: 'expected boolean', expected: 'boolean', received: 'yes' }]],
    [
      'a missing choice',
      'review.approval',
      { amount: 1 },
      [{ code: 'invalid_value', path: 'channel', message: 'required: expected one of "direct", "distributor"', expected: 'one of "direct", "distributor"', received: undefined }],
    ],
    [
      'a choice not in the list',
      'review.approval',
      { amount: 1, channel: 'retail' },
      [{ code: 'invalid_value', path: 'channel', message: 'expected one of "direct", "distributor"', expected: 'one of "direct", "distributor"', received: 'retail' }],
    ],
    [
      'an empty and an over-long identifier',
      'review.readiness',
      { ...readiness, terms: ['', 'x'.repeat(201)] },
      [
        { code: 'too_small', path: 'terms[0]', message: 'too small: at least 1', expected: 'at least 1', received: '' },
        { code: 'too_big', path: 'terms[1]', message: 'too big: at most 200', expected: 'at most 200', received: 'x'.repeat(201) },
      ],
    ],
    [
      'an amount in words',
      'review.approval',
      { amount: 'lots', channel: 'direct' },
      [{ code: 'custom', path: 'amount', message: 'a decimal string has only digits, an optional "-" and one "."', expected: 'a decimal: a number, or a string like "1200000.50"', received: 'lots' }],
    ],
    [
      'an unknown field inside a list item',
      'review.readiness',
      { ...readiness, signoffs: [{ step: 'legal', decision: 'approved', signedBy: 'head', by: 'x' }] },
      [{ code: 'unknown_field', path: 'signoffs[0].by', message: 'unknown field "by"', expected: 'no such field', received: 'x' }],
    ],
    [
      'an event none of the kinds',
      'followUp.escalation',
      { event: 'party' },
      [{ code: 'invalid_union', path: 'event', message: 'expected one of "order_change", "complaint", "force_majeure", "booking_anomaly"', expected: 'a valid value', received: 'party' }],
    ],
  ] as const)('%s', (_name, policy, facts, expected) => {
    expect(issues(policy, facts)).toEqual(expected);
  });
});
