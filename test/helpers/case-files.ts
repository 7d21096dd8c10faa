import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseFile } from '../../src/core/cases.js';
import { parseCaseFile } from '../../src/core/cases.js';

/** The package root, whatever directory the tests run from. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Every file under `rules/` whose name ends in `suffix`, as paths relative to the package root.
 *
 * @example
 * ruleFilesEndingIn('.cases.json'); //=> ['rules/review/approval.cases.json', …]
 */
export function ruleFilesEndingIn(suffix: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) out.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'rules'));
  return out;
}

/** Reads and checks every bundled case file. */
export function bundledCaseFiles(): { file: string; cases: CaseFile }[] {
  return ruleFilesEndingIn('.cases.json').map((file) => ({ file, cases: parseCaseFile(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), file) }));
}
