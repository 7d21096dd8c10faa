import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../toolkit/schemas.js';
import type { Io } from './io.js';
import { EXIT, parseVerbArgs, UsageError } from './io.js';

/**
 * `sales-policies schemas --out DIR`: writes the JSON Schemas of rules and case files
 * (`npm run schemas` writes the package's own `schema/`).
 *
 * @example
 * schemasVerb(['--out', 'schema'], io); //=> 0
 */
export function schemasVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { out: { type: 'string' } });
  if (positionals.length > 0 || typeof values.out !== 'string') throw new UsageError('schemas takes --out DIR');
  mkdirSync(values.out, { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(join(values.out, name), `${JSON.stringify(schema, null, 2)}\n`);
    io.err(`wrote ${join(values.out, name)}`);
  }
  return EXIT.ok;
}
