import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case-files.js';

// Package contents (issue 8). This registry answers `npm audit` with 405, so the dependency
// check reads the lock file: the runtime dependencies are exactly the intended four, nothing else
// is installed for a user, and none of them runs an install script.

interface LockPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly hasInstallScript?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockPackage> };
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const RUNTIME = ['@date-fns/tz', 'date-fns', 'decimal.js', 'zod'];

describe('runtime dependencies (from package-lock.json)', () => {
  it('are exactly zod, decimal.js, date-fns and @date-fns/tz, pinned; the peers, DuckDB and pg, optional', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const root = lock.packages['']!;
    expect(Object.keys(root.dependencies ?? {}).sort()).toEqual(RUNTIME);
    expect(Object.keys(manifest['dependencies'] as object).sort()).toEqual(RUNTIME);
    for (const version of Object.values(root.dependencies ?? {})) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    // Only the DuckDB engines load @duckdb/node-api (issue 9), only impact --engine postgres loads
    // pg (issue 21): users who want them install them.
    expect(Object.keys(root.peerDependencies ?? {}).sort()).toEqual(['@duckdb/node-api', 'pg']);
    expect(manifest['peerDependenciesMeta']).toEqual({ '@duckdb/node-api': { optional: true }, pg: { optional: true } });
    expect(root.optionalDependencies ?? {}).toEqual({});
    expect(manifest['optionalDependencies']).toBeUndefined();
  });

  it('install nothing else for a user: every package in the lock that is not dev-only is one of the four', () => {
    const installed = Object.entries(lock.packages)
      .filter(([path, pkg]) => path !== '' && !pkg.dev && !pkg.devOptional)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(installed.sort()).toEqual(RUNTIME);
    for (const name of RUNTIME) expect(lock.packages[`node_modules/${name}`]?.dependencies ?? {}).toEqual({});
  });

  it('run no install scripts, and neither does the package itself for its users', () => {
    for (const name of RUNTIME) expect(lock.packages[`node_modules/${name}`]?.hasInstallScript, name).toBeUndefined();
    const scripts = (manifest['scripts'] ?? {}) as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(scripts[hook], hook).toBeUndefined();
  });
});

// `npm pack` spawns npm (about two seconds): once, in one zone of the suite.
describe.runIf(process.env['TZ'] === 'UTC')('npm pack --dry-run', () => {
  it('holds only dist, rules, schema, README, LICENSE, CHANGELOG, the policy reference, the CI template (and package.json, which npm always adds)', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [pack] = JSON.parse(output) as [{ files: { path: string }[] }];
    const paths = pack.files.map((file) => file.path);
    const allowed = (path: string) => /^(dist|rules|schema)\//.test(path) || ['README.md', 'package.json', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md', 'docs/policies.md', 'docs/ci-workflow.yml'].includes(path);
    expect(paths.filter((path) => !allowed(path))).toEqual([]);
    // LICENSE and CHANGELOG may not exist yet (another issue adds them); the rest must.
    for (const required of ['README.md', 'package.json', 'docs/policies.md']) expect(paths).toContain(required);
    for (const folder of ['dist/', 'rules/', 'schema/']) expect(paths.some((path) => path.startsWith(folder)), folder).toBe(true);
    expect(paths).toContain('dist/index.js');
    expect(paths.filter((path) => path.startsWith('rules/') && !/\.(rules|cases)\.json$/.test(path))).toEqual([]);
  });
});
