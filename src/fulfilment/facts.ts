import * as z from 'zod/mini';
import type { DecimalString } from '../core/facts.js';
import { compareCanonical } from '../core/decimal.js';
import { decimal } from '../core/facts.js';

/**
 * Who acts on the distribution order desk: the order processing chief (訂單處理科科長) and the
 * sales department manager (銷售部經理) the chief reports to (權力 2).
 *
 * @example
 * FULFILMENT_ROLES; //=> ['order_processing_chief', 'sales_manager']
 */
export const FULFILMENT_ROLES = ['order_processing_chief', 'sales_manager'] as const;
/**
 * One of {@link FULFILMENT_ROLES}.
 *
 * @example
 * const approver: FulfilmentRole = 'sales_manager';
 */
export type FulfilmentRole = (typeof FULFILMENT_ROLES)[number];

/**
 * Gives a schema the input type callers should see. The facts helpers of src/core take `unknown`
 * (they check everything themselves at run time); this changes only the TypeScript type, so the
 * exported facts types are precise (`quantity: number`, `amount: number | string`).
 *
 * @example
 * const amount = withInput<number | string>()(decimal({ nonNegative: true }));
 */
export function withInput<I>() {
  return <S extends z.ZodMiniType>(schema: S) => schema as unknown as z.ZodMiniType<z.output<S>, I>;
}

function fail(ctx: z.core.ParsePayload<unknown>, input: unknown, message: string, expected: string): never {
  ctx.issues.push({ code: 'custom', message, input, params: { expected } });
  return z.NEVER;
}

/**
 * A count or quantity: a whole JSON number from 0 to 2^53 − 1. Required.
 *
 * @example
 * z.strictObject({ quantity: wholeNumber() }).parse({ quantity: 12 }); //=> { quantity: 12 }
 */
export function wholeNumber() {
  return withInput<number>()(
    z.pipe(
      z.unknown(),
      z.transform((input: unknown, ctx): number => {
      if (input === undefined) return fail(ctx, input, 'required: expected a whole number ≥ 0', 'a whole number ≥ 0');
      if (typeof input !== 'number' || !Number.isInteger(input)) return fail(ctx, input, 'expected a whole number ≥ 0', 'a whole number ≥ 0');
      if (input < 0) return fail(ctx, input, 'must not be negative', 'a whole number ≥ 0');
      if (!Number.isSafeInteger(input)) return fail(ctx, input, 'too big: at most 2^53 − 1 (9007199254740991)', 'a whole number ≤ 9007199254740991');
      return input;
      }),
    ),
  );
}

/**
 * An amount of money ≥ 0, as a JSON number or a decimal string; comes out in canonical decimal
 * form (see `decimal` in the core). Required.
 *
 * @example
 * z.strictObject({ amount: money() }).parse({ amount: '10000.00' }); //=> { amount: '10000' }
 */
export function money() {
  return withInput<number | string>()(decimal({ nonNegative: true }));
}

/**
 * A rate from 0 to 1 inclusive (returned ÷ shipped), as a JSON number or a decimal string;
 * compared exactly. Above 1 is an input error. Required.
 *
 * @example
 * z.strictObject({ returnRate: rate() }).parse({ returnRate: '0.1501' }); //=> { returnRate: '0.1501' }
 */
export function rate() {
  return withInput<number | string>()(
    z.pipe(
      decimal({ nonNegative: true }),
      z.transform((value: DecimalString, ctx): DecimalString => (compareCanonical(value, '1') > 0 ? fail(ctx, value, 'a rate is at most 1 (returned ÷ shipped)', 'a decimal from 0 to 1') : value)),
    ),
  );
}

/**
 * Fired rules in the order of their rules file (a collect-all table's order), whatever their priorities.
 *
 * @example
 * inFileOrder(fired).map((rule) => rule.index); //=> [0, 2]
 */
export function inFileOrder<T extends { readonly index: number }>(fired: readonly T[]): T[] {
  return [...fired].sort((a, b) => a.index - b.index);
}
