/**
 * JSON with object keys sorted, so two values compare equal whatever their key order.
 *
 * @example
 * canonicalJson({ b: 1, a: [2] }); //=> '{"a":[2],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
