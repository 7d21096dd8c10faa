import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../toolkit/schemas.js';
import type { Io } from './io.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb } from './command.js';
import { EXIT, UsageError } from './io.js';

/** `sales-policies schemas`: its flags, help and examples. */
export const schemasSpec = {
  name: 'schemas',
  summary: 'Write the JSON Schemas of rules files and case files (for editors and "$schema").',
  usage: 'schemas --out DIR',
  flags: { out: { type: 'string', short: 'o', value: 'DIR', help: 'the folder to write rules.schema.json and cases.schema.json into' }, ...formatFlag(['text', 'json']) },
  examples: ['sales-policies schemas --out schema'],
  details: 'JSON: {"written": [path]}.',
} as const satisfies VerbSpec;

/**
 * `sales-policies schemas --out DIR`: writes the JSON Schemas of rules and case files
 * (`npm run schemas` writes the package's own `schema/`).
 *
 * @example
 * schemasVerb(['--out', 'schema'], io); //=> 0
 */
export function schemasVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(schemasSpec, args);
  if (positionals.length > 0 || values.out === undefined) throw new UsageError('schemas takes --out DIR');
  mkdirSync(values.out, { recursive: true });
  const written: string[] = [];
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(join(values.out, name), `${JSON.stringify(schema, null, 2)}\n`);
    written.push(join(values.out, name));
    if (values.format !== 'json') io.err(`wrote ${join(values.out, name)}`);
  }
  if (values.format === 'json') io.out(JSON.stringify({ written }, null, 2));
  return EXIT.ok;
}
