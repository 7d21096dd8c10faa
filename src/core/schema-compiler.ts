import { compile } from 'zod/mini';

/**
 * Compiles a facts schema with zod's ahead-of-time compiler: straight-line code about three times
 * faster than the ordinary parser, which it falls back to for anything it cannot model (and where
 * code generation is forbidden). Its own module, so a bundle that does not need the speed (the
 * explorer page) can leave the compiler's 29 KB out.
 *
 * @example
 * const schema = compileSchema(z.strictObject({ amount: decimal() }));
 */
export function compileSchema<T extends Parameters<typeof compile>[0]>(schema: T): T {
  // compile() never throws: a schema it cannot model (or code generation refused) comes back as it is.
  return compile(schema);
}
