// The import direction of src/, lowest layer first: core ← areas ← the policies registry ←
// toolkit / sql / explorer ← node / cli. A module may import its own layer and the layers below,
// never one above; above the registry, an area is reached only through its index (its public
// surface), never its internals; and one area reaches another only through that area's index.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICIES, POLICY_IDS } from '../src/policies.js';
import { ROOT } from './helpers/case-files.js';
import { engineOf } from '../src/core/policy.js';

const SRC = join(ROOT, 'src');
// The area folders, read from the registry: each policy's rules file lives in rules/<area>/, beside src/<area>/.
const AREAS = [...new Set(POLICY_IDS.map((id) => engineOf(POLICIES[id]).definition.rulesFile.split('/')[1]!))];
const LAYERS = ['core', 'area', 'registry', 'tools', 'node/cli'] as const;
type Layer = (typeof LAYERS)[number];

/** Every module of src/, as a path relative to src/ with `/` separators. */
function modules(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return /\.ts$/.test(name) ? [relative(SRC, path).split(sep).join('/')] : [];
  });
}

/**
 * The layer of a module of src/: core/; an area's folder; the top-level files (the registry:
 * policies.ts, evaluate.ts, explain.ts, rule-set.ts, index.ts); toolkit/, sql/, explorer/; node/, cli/.
 */
function layerOf(module: string): Layer {
  const top = module.split('/')[0]!;
  // generated/ holds the facts types written from the rules files: types only, importing nothing.
  if (top === 'core' || top === 'generated') return 'core';
  if (AREAS.includes(top)) return 'area';
  if (!module.includes('/')) return 'registry';
  if (['toolkit', 'sql', 'explorer'].includes(top)) return 'tools';
  if (['node', 'cli'].includes(top)) return 'node/cli';
  throw new Error(`src/${module} is in no layer: add its folder to test/layers.test.ts`);
}

/** The modules of src/ that `module` imports (static, re-exported, type-only and dynamic imports). */
function importsOf(module: string): string[] {
  const text = readFileSync(join(SRC, module), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '') // doc comments hold example imports
    .replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(module), match[1]!)).split(sep).join('/');
    if (target.startsWith('..')) continue; // rules JSON, package.json: outside src/
    found.push(target.replace(/\.js$/, '.ts'));
  }
  return found;
}

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const from of modules()) {
    const layer = LAYERS.indexOf(layerOf(from));
    for (const to of importsOf(from)) {
      const target = LAYERS.indexOf(layerOf(to));
      const toArea = layerOf(to) === 'area';
      if (target > layer) out.push({ from, to, why: `${layerOf(from)} imports ${layerOf(to)}, a higher layer` });
      else if (toArea && layerOf(from) === 'area' && from.split('/')[0] !== to.split('/')[0] && !to.endsWith('/index.ts')) out.push({ from, to, why: "an area reaches into another area's internals" });
      else if (toArea && layer > LAYERS.indexOf('registry') && !to.endsWith('/index.ts')) out.push({ from, to, why: `${layerOf(from)} reaches into an area's internals` });
    }
  }
  return out;
}

/** Known exceptions, each with its reason; the test fails when one is no longer needed. */
const EXCEPTIONS: readonly (Violation & { readonly reason: string })[] = [];

describe('the import direction of src/', () => {
  it('no module imports a higher layer or an area’s internals from outside it', () => {
    const known = new Set(EXCEPTIONS.map((e) => `${e.from} -> ${e.to}`));
    expect(violations().filter((v) => !known.has(`${v.from} -> ${v.to}`))).toEqual([]);
  });

  it('every known exception is still needed', () => {
    const found = new Set(violations().map((v) => `${v.from} -> ${v.to}`));
    expect(EXCEPTIONS.filter((e) => !found.has(`${e.from} -> ${e.to}`))).toEqual([]);
  });

  it('sees the imports it checks: a module of every layer is found, and the registry imports every area', () => {
    const all = modules();
    expect(new Set(all.map(layerOf))).toEqual(new Set(LAYERS));
    const registry = importsOf('policies.ts');
    for (const area of AREAS) expect(registry.some((to) => to.startsWith(`${area}/`)), area).toBe(true);
    expect(importsOf('sql/to-sql.ts')).toContain('policies.ts');
  });

  it.each<[string, Layer]>([
    ['core/compile.ts', 'core'],
    ['review/approval.ts', 'area'],
    ['follow-up/index.ts', 'area'],
    ['policies.ts', 'registry'],
    ['index.ts', 'registry'],
    ['sql/to-sql.ts', 'tools'],
    ['explorer/main.ts', 'tools'],
    ['node/load-rule-set.ts', 'node/cli'],
    ['cli/main.ts', 'node/cli'],
  ])('src/%s is in the %s layer', (module, layer) => {
    expect(layerOf(module)).toBe(layer);
  });
});
