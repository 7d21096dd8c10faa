import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './case-files.js';

/** The built CLI, as a user runs it. `npm test` builds before the suite runs. */
export const CLI = join(ROOT, 'dist', 'cli.js');

/**
 * Runs the built CLI and returns its exit code and output.
 *
 * @example
 * runCli(['validate', '--rules', dir]).code; //=> 1
 */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string } = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Copies the bundled rules (and schemas) to a fresh folder and applies an edit to one rules
 * file, so each fixture holds exactly one defect.
 *
 * @example
 * const dir = rulesFixture('review/approval.rules.json', (json) => { json.rules.pop(); });
 */
export function rulesFixture(file: string, edit: (json: any) => void, options: { raw?: (text: string) => string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sales-policies-fixture-'));
  cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(dir, 'schema'), { recursive: true });
  const path = join(dir, 'rules', file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  writeFileSync(path, options.raw ? options.raw(text) : text);
  return join(dir, 'rules');
}
