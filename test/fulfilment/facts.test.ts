import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { money, rate, wholeNumber } from '../../src/fulfilment/facts.js';

// The fulfilment facts building blocks, as a policy's schema uses them: one field of an object.
const field = (schema: z.ZodMiniType, value: unknown) => {
  const result = z.strictObject({ value: schema }).safeParse(value === undefined ? {} : { value });
  return result.success ? { value: result.data.value } : { issues: result.error.issues.map((issue) => ({ code: issue.code, message: issue.message, params: (issue as { params?: unknown }).params, path: issue.path })) };
};
const refusal = (message: string, expected: string) => ({ issues: [{ code: 'custom', message, params: { expected }, path: ['value'] }] });

describe('wholeNumber', () => {
  it.each<[string, unknown, object]>([
    ['0', 0, { value: 0 }],
    ['12', 12, { value: 12 }],
    ['2^53 − 1', Number.MAX_SAFE_INTEGER, { value: Number.MAX_SAFE_INTEGER }],
    ['missing', undefined, refusal('required: expected a whole number ≥ 0', 'a whole number ≥ 0')],
    ['1.5', 1.5, refusal('expected a whole number ≥ 0', 'a whole number ≥ 0')],
    ['"3"', '3', refusal('expected a whole number ≥ 0', 'a whole number ≥ 0')],
    ['-1', -1, refusal('must not be negative', 'a whole number ≥ 0')],
    ['2^53', 2 ** 53, refusal('too big: at most 2^53 − 1 (9007199254740991)', 'a whole number ≤ 9007199254740991')],
  ])('%s', (_name, value, expected) => {
    expect(field(wholeNumber(), value)).toEqual(expected);
  });
});

describe('money', () => {
  it.each<[string, unknown, object]>([
    ['"10.50" in canonical form', '10.50', { value: '10.5' }],
    ['0', 0, { value: '0' }],
    ['-1', -1, refusal('must not be negative', 'a decimal ≥ 0')],
    ['"-0.01"', '-0.01', refusal('must not be negative', 'a decimal ≥ 0')],
  ])('%s', (_name, value, expected) => {
    expect(field(money(), value)).toEqual(expected);
  });
});

describe('rate', () => {
  it.each<[string, unknown, object]>([
    ['0', 0, { value: '0' }],
    ['"0.1501"', '0.1501', { value: '0.1501' }],
    ['1 (inclusive)', 1, { value: '1' }],
    ['"1.0001"', '1.0001', refusal('a rate is at most 1 (returned ÷ shipped)', 'a decimal from 0 to 1')],
    ['-0.1', -0.1, refusal('must not be negative', 'a decimal ≥ 0')],
  ])('%s', (_name, value, expected) => {
    expect(field(rate(), value)).toEqual(expected);
  });
});
