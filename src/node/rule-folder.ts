import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** A JSON file read from a rules folder, with its text (for line numbers) and where it lives. */
export interface FolderFile {
  /** Path as given to people: relative to the working directory. */
  readonly path: string;
  readonly absolutePath: string;
  readonly text: string;
  /** The parsed JSON, or `undefined` when the text is not JSON (see `parseError`). */
  readonly json: unknown;
  readonly parseError?: string;
}

/** Every rules file and case file under a folder. */
export interface RuleFolder {
  readonly dir: string;
  readonly rules: readonly FolderFile[];
  readonly cases: readonly FolderFile[];
}

/**
 * Reads every `*.rules.json` and `*.cases.json` under `dir` (recursively, in path order). The one
 * place besides the CLI that touches the file system; evaluating never does.
 *
 * @example
 * const folder = readRuleFolder('rules');
 * folder.rules.map((f) => f.path); //=> ['rules/review/approval.rules.json', …]
 */
export function readRuleFolder(dir: string): RuleFolder {
  const absolute = resolve(dir);
  if (!statSync(absolute).isDirectory()) throw new Error(`${dir} is not a folder`);
  const paths = readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const read = (path: string): FolderFile => {
    const text = readFileSync(path, 'utf8');
    const shown = relative(process.cwd(), path) || path;
    try {
      return { path: shown, absolutePath: path, text, json: JSON.parse(text) };
    } catch (error) {
      return { path: shown, absolutePath: path, text, json: undefined, parseError: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    dir: absolute,
    rules: paths.filter((p) => p.endsWith('.rules.json')).map(read),
    cases: paths.filter((p) => p.endsWith('.cases.json')).map(read),
  };
}

/**
 * The rule set of a folder as `evaluate`'s `rules` option takes it: each readable rules file by
 * the policy it names.
 *
 * @example
 * evaluate('review.approval', facts, { rules: ruleSetOf(readRuleFolder('my-rules')) });
 */
export function ruleSetOf(folder: RuleFolder): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const file of folder.rules) {
    const policy = (file.json as { policy?: unknown } | undefined)?.policy;
    if (typeof policy === 'string' && !Object.prototype.hasOwnProperty.call(set, policy)) set[policy] = file.json;
  }
  return set;
}
