import { writeFileSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { compileRuleFile } from '../core/rule-loader.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { policyReference, referenceExamples } from '../toolkit/policy-reference.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb } from './command.js';
import type { Io } from './io.js';
import { EXIT, rulesDir, UsageError } from './io.js';

/** `sales-policies reference`: its flags, help and examples. */
export const referenceSpec = {
  name: 'reference',
  summary: 'Write the policy reference: every policy, fact, outcome, rule and decision, with its source quote.',
  usage: 'reference [--rules DIR] [--out FILE]',
  flags: {
    rules: { type: 'string', short: 'r', value: 'DIR', help: 'your own rules folder (default: the rules bundled with the package)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write the Markdown to FILE (default: standard output)' },
    ...formatFlag(['markdown', 'json']),
  },
  details: 'JSON: {"policies": n, "markdown"} on stdout, or {"wrote", "policies"} with --out.',
  examples: ['sales-policies reference --out docs/policies.md', 'sales-policies reference --rules our-rules > our-policies.md'],
} as const satisfies VerbSpec;

/**
 * `sales-policies reference [--rules DIR] [--out FILE]`: the policy reference of a rule set as
 * Markdown (every policy, fact, outcome value, parameter, rule and decision, with its source
 * quote), on stdout or into FILE. `npm run docs:policies` writes the package's own
 * `docs/policies.md`.
 *
 * @example
 * referenceVerb(['--out', 'docs/policies.md'], io); //=> 0
 */
export function referenceVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(referenceSpec, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out takes the path of the file to write');
  const folder = readRuleFolder(rulesDir(values.rules));
  const compiled = folder.rules.map((file) => {
    if (file.parseError !== undefined) throw new UsageError(`${file.path} is not JSON: ${file.parseError}`);
    // Named from the folder, not the working directory, so the reference is the same wherever it is written from.
    return compileRuleFile(file.json, [basename(folder.dir), ...relative(folder.dir, file.absolutePath).split(sep)].join('/'));
  });
  const text = policyReference(compiled, referenceExamples(folder.cases.filter((file) => file.parseError === undefined).map((file) => file.json)));
  if (values.out === undefined) {
    io.out(values.format === 'json' ? JSON.stringify({ policies: compiled.length, markdown: text }, null, 2) : text.trimEnd());
    return EXIT.ok;
  }
  writeFileSync(values.out, text);
  if (values.format === 'json') io.out(JSON.stringify({ wrote: values.out, policies: compiled.length }, null, 2));
  else io.err(`wrote ${values.out}: ${compiled.length} policies`);
  return EXIT.ok;
}
