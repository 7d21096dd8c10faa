import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { parseRuleFile } from './src/core/rule-file.js';
import { decisionPart, textPart } from './src/core/rule-parts.js';

const compileModule = fileURLToPath(new URL('./src/core/compile.ts', import.meta.url));
const textsModule = fileURLToPath(new URL('./src/generated/rules-files.ts', import.meta.url));

// The explorer page embeds the rule set it shows and passes it to `evaluate` as `options.rules`
// (the CLI adds the bundled file of every policy the folder lacks), so the bundled rules are read
// there only for what a policy's facts schema is built from: its checked `facts` block (and the
// parameters, which a checked file always has). The page bundles that much of each file, no rules
// and no text, instead of shipping every rule twice.
const factsOnlyRules: Plugin = {
  name: 'explorer-facts-only-rules',
  setup(build) {
    build.onLoad({ filter: rulesFile }, async ({ path }) => {
      const file = relative(process.cwd(), path).split(sep).join('/');
      const checked = parseRuleFile(decisionPart(JSON.parse(await readFile(path, 'utf8')), file), file);
      const spec = { ...checked, title: { en: '', zh: '' }, description: '', rules: [], labels: {}, monotone: [], parameterInfo: {} };
      return { contents: `import { checkedAtBuild } from ${JSON.stringify(compileModule)};\nexport default /* @__PURE__ */ checkedAtBuild(${JSON.stringify(spec)});\n`, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

// The page's Content-Security-Policy forbids eval: compiled closures evaluate the rules there.
const withoutCodegen: Plugin = {
  name: 'explorer-without-codegen',
  setup(build) {
    build.onLoad({ filter: /[\\/]core[\\/]codegen\.ts$/ }, () => ({ contents: 'export function generateFunction() { return undefined; }', loader: 'js' }));
  },
};

// The page evaluates one set of facts at a time: the library's facts checker (3.3 KB minified)
// buys it nothing, so the page checks facts with the zod schemas the checker is tested against.
const withZodFactsChecks: Plugin = {
  name: 'explorer-with-zod-facts-checks',
  setup(build) {
    build.onLoad({ filter: /[\\/]core[\\/]facts-checker\.ts$/ }, (args) => ({
      contents: "export { factsSchema as factsChecker, factSchema as valueChecker } from './facts-schema.js';",
      loader: 'ts',
      resolveDir: dirname(args.path),
    }));
  },
};

// The library bundles each rules file in two parts. Where a policy imports it, its decision part
// only (see decisionPart): facts, parameters, conditions, events, clause ids. The text written for
// people (titles, descriptions, notes, labels, source quotes and glosses: about 10 KB gzipped over
// all files, two thirds of the rules) is read by `explain`, from the text part that
// src/generated/rules-files.ts imports for src/rule-texts.ts (see textPart): an app that only
// evaluates ships none of it. The CLI, docs and explorer load the whole file. Every `*.rules.json`, whatever its name or area.
const rulesFile = /[\\/]rules[\\/].+\.rules\.json$/;
const rulesInParts: Plugin = {
  name: 'rules-in-parts',
  setup(build) {
    build.onResolve({ filter: /\.rules\.json$/ }, ({ path, importer, resolveDir }) =>
      importer === textsModule ? { path: resolve(resolveDir, path), namespace: 'rule-texts' } : undefined,
    );
    build.onLoad({ filter: rulesFile, namespace: 'rule-texts' }, async ({ path }) => ({ contents: JSON.stringify(textPart(JSON.parse(await readFile(path, 'utf8')))), loader: 'json' }));
    build.onLoad({ filter: rulesFile, namespace: 'file' }, async ({ path }) => {
      const file = relative(process.cwd(), path).split(sep).join('/');
      // Checked here, with the loader the library uses for custom rules (a bad bundled file fails
      // the build), and bundled as the checked result, marked by the library's private brand:
      // evaluating bundled rules then needs neither the loader nor its zod schema at run time.
      const spec = parseRuleFile(decisionPart(JSON.parse(await readFile(path, 'utf8')), file), file);
      return { contents: `import { checkedAtBuild } from ${JSON.stringify(compileModule)};\nexport default /* @__PURE__ */ checkedAtBuild(${JSON.stringify(spec)});\n`, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

// An app's bundler keeps every top-level statement of a kept file that calls a function, unless
// the call is marked `/* @__PURE__ */` (zod's own annotations do not carry across files): so the
// event schemas that area modules build at the top are marked pure, and an app importing one
// policy of an area drops the others' schemas (and the policies themselves) from that file.
// The library's entry points (package.json `exports`).
const entries = { index: 'src/index.ts', review: 'src/review/index.ts', commission: 'src/commission/index.ts', 'follow-up': 'src/follow-up/index.ts', fulfilment: 'src/fulfilment/index.ts', selling: 'src/selling/index.ts', node: 'src/node/index.ts', sql: 'src/sql/index.ts', engine: 'src/engine.ts' };

export default defineConfig([
  {
    // The library: ESM first, CJS beside it, types for both. Bundled so the CJS build never
    // require()s an ESM file, and so the rule JSON ships inside the code (no fs at run time).
    // The root, and one entry per area so an app pays only for the policies it imports.
    // sales-policies/node reads a rules folder from disk: the only entry that uses fs.
    // commission.allocation in a file of its own too (dist/internal/, not exported): in one file
    // with the other commission policies, an app importing one of those kept the allocation's
    // event schemas and split code as well, 2 KB gzipped (an app's bundler keeps a module-level
    // statement it cannot prove pure, and the allocation's schemas refer to each other).
    entry: { ...entries, 'internal/commission-allocation': 'src/commission/allocation.ts' },
    format: ['esm', 'cjs'],
    // Shared chunks in both formats: every entry must share one copy of the core, or an error
    // thrown through one entry would not be an instance of the class exported by another.
    splitting: true,
    external: [/^node:/],
    dts: { entry: entries },
    // No source maps in the package: the bundles are not minified, so stack traces already read
    // as code, and the maps (with the TypeScript sources inside) were 2.5 MB of a 3 MB tarball.
    sourcemap: false,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    treeshake: true,
    // zod's code is bundled in (it stays a dependency, for the types the .d.ts files name): its
    // package entry loads every module of zod, the locales and JSON Schema among them, which was
    // half the time from `import` to the first decision; bundled, only what the schemas use loads.
    noExternal: ['zod'],
    esbuildPlugins: [rulesInParts],
  },
  {
    // The CLI: ESM only, with its shebang.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The explorer page's script (dist/explorer.global.js), which `docs --html` inlines.
    entry: { explorer: 'src/explorer/main.ts' },
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    esbuildPlugins: [factsOnlyRules, withoutCodegen, withZodFactsChecks],
  },
]);
