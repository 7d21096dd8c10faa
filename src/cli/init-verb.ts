import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { compileRuleFile } from '../core/rule-loader.js';
import type { FolderFile } from '../node/rule-folder.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { POLICY_IDS } from '../policies.js';
import type { Io } from './io.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb } from './command.js';
import { EXIT, packageRoot, UsageError } from './io.js';
import { selectPolicies } from './policy-patterns.js';

const PACKAGE = 'sales-policies';

/** `sales-policies init`: its flags, help and examples. */
export const initSpec = {
  name: 'init',
  summary: 'Copy the bundled rules and case files into a folder your organisation owns, each $schema pointing to the installed package.',
  usage: 'init [DIR] [--policies ID,PREFIX.*] [--force]',
  flags: {
    policies: { type: 'string', short: 'p', value: 'ID,PREFIX.*', help: 'copy only these policies (e.g. review.approval,commission.*)' },
    force: { type: 'boolean', help: 'overwrite files that already exist' },
    ...formatFlag(['text', 'json']),
  },
  examples: ['sales-policies init                       # into rules/', 'sales-policies init our-rules --policies review.approval,commission.*'],
  details: 'Then: sales-policies validate --rules DIR, sales-policies test --rules DIR; DIR/README.md says what to edit.\nJSON: {"dir", "written": [path], "overwritten": n, "policies": [id], "schemaDir", "installed"}.',
} as const satisfies VerbSpec;

/** One file `init` writes: where, and its text. */
interface PlannedFile {
  readonly target: string;
  readonly text: string;
}

/** A bundled rules or case file, by its path inside the bundled `rules/` folder. */
interface BundledFile {
  readonly inside: string;
  readonly policy: string;
  readonly file: FolderFile;
}

/**
 * `sales-policies init [DIR] [--policies ID,PREFIX.*] [--force]`: copies the bundled rules and case
 * files into DIR (default `rules`) for an organisation to own, each `$schema` pointing to the
 * installed package's schema, with a README saying what to edit and how to check a change.
 * Refuses to overwrite a file unless `--force`.
 *
 * @example
 * initVerb(['our-rules', '--policies', 'review.approval,commission.*'], io); //=> 0, and the files written on stdout
 */
export function initVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(initSpec, args);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}: init takes one folder`);
  const dir = positionals[0] ?? 'rules';
  if (dir === '') throw new UsageError('init needs a folder name, not ""');
  const bundledRoot = join(packageRoot(), 'rules');
  const wanted = values.policies === undefined ? new Set<string>(POLICY_IDS) : selectPolicies('--policies', values.policies);
  const files = bundledFiles(bundledRoot).filter((f) => wanted.has(f.policy));
  const schemas = schemaFolder(resolve(dir));

  const planned: PlannedFile[] = files.map(({ inside, file }) => {
    const target = join(dir, inside);
    const schemaFile = join(schemas.dir, inside.endsWith('.cases.json') ? 'cases.schema.json' : 'rules.schema.json');
    return { target, text: withSchema(file, toPosix(relative(dirname(resolve(target)), schemaFile))) };
  });
  const shownDir = toPosix(isAbsolute(dir) ? dir : relative(process.cwd(), resolve(dir)) || '.');
  planned.push({ target: join(dir, 'README.md'), text: readme(shownDir, files, schemas.installed) });

  const existing = planned.filter((p) => existsSync(p.target)).map((p) => toPosix(p.target));
  if (existing.length > 0 && values.force !== true) {
    throw new UsageError(`${existing.length} of the files init writes already exist (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}): pass --force to overwrite them`);
  }
  for (const { target, text } of planned) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }

  const policies = new Set(files.map((f) => f.policy));
  if (values.format === 'json') {
    io.out(JSON.stringify({ dir: shownDir, written: planned.map((p) => toPosix(p.target)), overwritten: existing.length, policies: [...policies], schemaDir: toPosix(schemas.dir), installed: schemas.installed }, null, 2));
    return EXIT.ok;
  }
  io.out(`wrote ${planned.length} files to ${shownDir}/ (${policies.size} ${policies.size === 1 ? 'policy' : 'policies'}${existing.length > 0 ? `, ${existing.length} overwritten` : ''}):`);
  const byFolder = new Map<string, string[]>();
  for (const { target } of planned) {
    const folder = toPosix(dirname(target));
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), target.slice(dirname(target).length + 1)]);
  }
  for (const [folder, names] of byFolder) io.out(`  ${folder}/: ${names.join(', ')}`);
  io.out(
    schemas.installed
      ? `each $schema points into ${toPosix(relative(process.cwd(), schemas.dir)) || '.'}/`
      : `no node_modules/${PACKAGE} above ${shownDir}: each $schema points to this program's copy (${toPosix(schemas.dir)}); after "npm install ${PACKAGE}" in the project, "init --force" makes it portable`,
  );
  io.out(`next: npx ${PACKAGE} validate --rules ${shownDir} && npx ${PACKAGE} test --rules ${shownDir}`);
  return EXIT.ok;
}

function bundledFiles(root: string): BundledFile[] {
  const folder = readRuleFolder(root);
  return [...folder.rules, ...folder.cases]
    .map((file) => ({ inside: relative(root, file.absolutePath), policy: String((file.json as { policy?: unknown }).policy), file }))
    .sort((a, b) => (a.inside < b.inside ? -1 : a.inside > b.inside ? 1 : 0));
}

/**
 * Where the copies' `$schema` should point: the package as installed in the project that will
 * hold DIR (the nearest `node_modules/sales-policies` above it, through its symlink if any, so the
 * path travels with the project), else this program's own copy.
 */
function schemaFolder(target: string): { dir: string; installed: boolean } {
  for (let at = target; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', PACKAGE);
    if (existsSync(join(candidate, 'schema', 'rules.schema.json')) && packageName(candidate) === PACKAGE) return { dir: join(candidate, 'schema'), installed: true };
    if (dirname(at) === at) break;
  }
  return { dir: join(packageRoot(), 'schema'), installed: false };
}

function packageName(dir: string): unknown {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** The file's text with its top-level `$schema` replaced, keeping every other byte. */
function withSchema(file: FolderFile, schema: string): string {
  const replaced = file.text.replace(/("\$schema"\s*:\s*)"(?:[^"\\]|\\.)*"/, (_match, key: string) => `${key}${JSON.stringify(schema)}`);
  if ((JSON.parse(replaced) as { $schema?: unknown }).$schema === schema) return replaced;
  return `${JSON.stringify({ $schema: schema, ...(file.json as object) }, null, 2)}\n`;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The parameters whose values are examples, not from the source: what `validate` warns about. */
function exampleParameters(files: readonly BundledFile[]): string[] {
  return files.flatMap(({ inside, file }) => {
    if (!inside.endsWith('.rules.json')) return [];
    const compiled = compileRuleFile(file.json, inside);
    return compiled.versions.flatMap((version, index) =>
      version.examples.map((name) => `- \`${toPosix(inside)}\`: \`parameters[${index}].values.${name}\` = \`${JSON.stringify(version.parameters[name])}\` (from ${version.from})`),
    );
  });
}

function readme(dir: string, files: readonly BundledFile[], installed: boolean): string {
  const policies = [...new Set(files.map((f) => f.policy))].sort();
  const examples = exampleParameters(files);
  const cli = `npx ${PACKAGE}`;
  return `# Our sales policies

These rules and examples were copied here by \`${cli} init\`: they are yours to edit. The
application reads them with

\`\`\`ts
import { createPolicies } from '${PACKAGE}';
import { loadRuleSet } from '${PACKAGE}/node';
const policies = createPolicies({ rules: loadRuleSet('${dir}') });
policies.evaluate('review.approval', { amount: '800000', channel: 'direct' });
\`\`\`

Policies in this folder (any other keeps the rules bundled with the package):
${policies.map((id) => `\`${id}\``).join(', ')}.

## What to edit

- \`*.rules.json\`: the rules. Thresholds, day counts and list sizes are the \`parameters\`. To
  change one, add a dated version, \`{ "from": "2027-01-01", "values": { … } }\`, rather than
  overwriting the old one, so decisions before that date keep the old values.
- \`*.cases.json\`: examples, \`{ "name", "facts", "expected" }\`. When you change a rule on
  purpose, update the \`expected\` of the cases it changes. \`"match": "partial"\` (on the file or
  on one case) checks only the outcome fields a case gives.
${installed ? `- Each \`$schema\` points into \`node_modules/${PACKAGE}/schema/\`, so your editor checks the files as you type.\n` : ''}
## Example values to replace

${
  examples.length === 0
    ? 'None of these files uses an example value: every parameter comes from the source documents.'
    : `These parameters are example values, not from the source documents. Set your organisation's
own; until then \`validate\` warns about each, and \`validate --strict\` fails.

${examples.join('\n')}`
}

## Check a change

\`\`\`sh
${cli} validate --rules ${dir}                       # is the rule set sound? (gaps, conflicts, unreachable rules)
${cli} test --rules ${dir} --min-coverage 100        # do the examples hold, and does every rule decide in one?
${cli} diff node_modules/${PACKAGE}/rules ${dir}    # which decisions differ from the bundled rules
\`\`\`

In CI, compare with the base branch instead: \`node_modules/${PACKAGE}/docs/ci-workflow.yml\` is a
GitHub Actions workflow that runs all three on every pull request that touches \`${dir}/\`.
Exit codes: 0 ok, 1 findings, 2 usage.
`;
}
