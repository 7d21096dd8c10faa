/**
 * Builds a function from generated source, or returns `undefined` where code generation is not
 * allowed (a Content-Security-Policy without 'unsafe-eval'); callers then use closures. Its own
 * module, so a bundle for such a page (the explorer) can leave code generation out entirely
 * instead of tripping the policy.
 *
 * @example
 * const add = generateFunction(['a', 'b'], 'return a + b;') as ((a: number, b: number) => number) | undefined;
 */
export function generateFunction(parameters: readonly string[], body: string): ((...args: never[]) => unknown) | undefined {
  try {
    return new Function(...parameters, body) as (...args: never[]) => unknown;
  } catch {
    return undefined;
  }
}
