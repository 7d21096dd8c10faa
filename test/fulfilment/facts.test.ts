import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import shipmentHold from '../../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import shippingOrder from '../../rules/fulfilment/shipping-order.rules.json' with { type: 'json' };
import spending from '../../rules/fulfilment/spending.rules.json' with { type: 'json' };
import type { NestedDeclaration } from '../../src/core/fact-declaration.js';
import { factSchema } from '../../src/core/facts-schema.js';

// The fulfilment facts as their rules files declare them, built by core: one field of an object.
const CONTEXT = { timeZone: 'Asia/Shanghai', maxItems: 10 };
const declared = (declaration: unknown) => factSchema(declaration as NestedDeclaration, CONTEXT);
const field = (schema: z.ZodMiniType, value: unknown) => {
  const result = z.strictObject({ value: schema }).safeParse(value === undefined ? {} : { value });
  return result.success ? { value: result.data.value } : { issues: result.error.issues.map((issue) => ({ code: issue.code, message: issue.message, params: (issue as { params?: unknown }).params, path: issue.path })) };
};
const refusal = (message: string, expected: string) => ({ issues: [{ code: 'custom', message, params: { expected }, path: ['value'] }] });

describe('a whole number ≥ 0 (shipping-order quantity)', () => {
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
    expect(field(declared(shippingOrder.facts.quantity), value)).toEqual(expected);
  });
});

describe('money ≥ 0 (spending amount)', () => {
  it.each<[string, unknown, object]>([
    ['"10.50" in canonical form', '10.50', { value: '10.5' }],
    ['0', 0, { value: '0' }],
    ['-1', -1, refusal('must not be negative', 'a decimal ≥ 0')],
    ['"-0.01"', '-0.01', refusal('must not be negative', 'a decimal ≥ 0')],
  ])('%s', (_name, value, expected) => {
    expect(field(declared(spending.facts.amount), value)).toEqual(expected);
  });
});

describe('a rate from 0 to 1 (shipment-hold returnRate)', () => {
  it.each<[string, unknown, object]>([
    ['0', 0, { value: '0' }],
    ['"0.1501"', '0.1501', { value: '0.1501' }],
    ['1 (inclusive)', 1, { value: '1' }],
    ['"1.0001"', '1.0001', refusal('too big: at most 1', 'a decimal from 0 to 1')],
    ['-0.1', -0.1, refusal('must not be negative', 'a decimal ≥ 0')],
  ])('%s', (_name, value, expected) => {
    expect(field(declared(shipmentHold.facts.returnRate), value)).toEqual(expected);
  });
});
