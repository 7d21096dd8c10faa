import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RuleSetError } from '../core/errors.js';
import { parseJsonText } from './json-text.js';

/** A JSON file read from a rules folder, with its text (for line numbers) and where it lives. */
export interface FolderFile {
  /** Path as given to people: relative to the working directory. */
  readonly path: string;
  readonly absolutePath: string;
  readonly text: string;
  /** The parsed JSON, or `undefined` when the text is not JSON (see `parseError`). */
  readonly json: unknown;
  readonly parseError?: string;
  /** Why the file was not read: `invalid_json`, `duplicate_key` (a key twice in one object) or `unreadable`. */
  readonly parseCode?: 'invalid_json' | 'duplicate_key' | 'unreadable';
  /** The JSON path of the problem (the second of two duplicate keys), `''` for the whole file. */
  readonly parsePath?: string;
}

/** Every rules file and case file under a folder. */
export interface RuleFolder {
  readonly dir: string;
  readonly rules: readonly FolderFile[];
  readonly cases: readonly FolderFile[];
}

/**
 * Reads every `*.rules.json` and `*.cases.json` under `dir` (recursively, in path order),
 * following symbolic links to files and to folders (a folder reached twice, as through a link
 * loop, is read once). A folder that holds no rules file at all is a {@link RuleSetError}
 * (`no_rules_files`): never an empty rule set that leaves every policy to the bundled rules.
 * A file that is not JSON, or holds a key twice in one object, comes back with `parseError`.
 * The one place besides the CLI that touches the file system; evaluating never does.
 *
 * @example
 * const folder = readRuleFolder('rules');
 * folder.rules.map((f) => f.path); //=> ['rules/review/approval.rules.json', …]
 */
export function readRuleFolder(dir: string): RuleFolder {
  const absolute = resolve(dir);
  if (!statSync(absolute).isDirectory()) throw new Error(`${dir} is not a folder`);
  const paths = jsonFilesUnder(absolute).sort();
  const read = (path: string): FolderFile => {
    const shown = relative(process.cwd(), path) || path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return { path: shown, absolutePath: path, text: '', json: undefined, parseError: `cannot read: ${error instanceof Error ? error.message : String(error)}`, parseCode: 'unreadable', parsePath: '' };
    }
    const parsed = parseJsonText(text);
    if (parsed.ok) return { path: shown, absolutePath: path, text, json: parsed.json };
    return { path: shown, absolutePath: path, text, json: undefined, parseError: parsed.message.replace(/^not JSON: /, ''), parseCode: parsed.code, parsePath: parsed.path };
  };
  const rules = paths.filter((p) => p.endsWith('.rules.json')).map(read);
  if (rules.length === 0) {
    throw new RuleSetError([{ code: 'no_rules_files', file: dir, path: '', message: `no *.rules.json file under ${dir} (symbolic links are followed): a rules folder that holds none would leave every policy to the bundled rules` }]);
  }
  return { dir: absolute, rules, cases: paths.filter((p) => p.endsWith('.cases.json')).map(read) };
}

/** Files whose names end in `.rules.json` or `.cases.json` under `root`, through links, each real folder once. */
function jsonFilesUnder(root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const real = realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      let kind: 'file' | 'dir' | undefined = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : undefined;
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path);
          kind = target.isFile() ? 'file' : target.isDirectory() ? 'dir' : undefined;
        } catch {
          kind = 'file'; // a dangling link named like a rules file: reported as unreadable, not skipped
        }
      }
      if (kind === 'dir') stack.push(path);
      else if (kind === 'file' && (entry.name.endsWith('.rules.json') || entry.name.endsWith('.cases.json'))) out.push(path);
    }
  }
  return out;
}
