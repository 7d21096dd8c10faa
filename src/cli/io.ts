import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { colourWanted } from './colour.js';
import { didYouMean } from './did-you-mean.js';

/**
 * Exit codes shared by every verb: 0 ok, 1 findings, 2 usage or unreadable input.
 *
 * @example
 * return errors > 0 ? EXIT.findings : EXIT.ok;
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Where a verb writes and reads; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: () => string;
  /** Shows a transient progress line, only when stderr is a terminal. */
  readonly progress?: (text: string) => void;
  /** Standard input line by line, for streaming verbs. */
  readonly lines?: () => AsyncIterable<string>;
  /** Writes to standard output, waiting when the reader is slower than we are (backpressure). */
  readonly write?: (text: string) => Promise<void> | void;
  /** Colour the output: only when stdout is a terminal and NO_COLOR is unset (see `colours`). */
  readonly colour?: boolean;
}

/**
 * A mistake in how the CLI was called; printed with a pointer to --help, exit 2.
 *
 * @example
 * throw new UsageError('eval needs a policy id'); // printed with a pointer to --help, exit 2
 */
export class UsageError extends Error {}

/**
 * Parses a verb's arguments strictly: an unknown flag is a usage error.
 *
 * @example
 * parseVerbArgs(['--rules', 'dir'], { rules: { type: 'string' } }).values.rules; //=> 'dir'
 */
export function parseVerbArgs<T extends Record<string, { type: 'string' | 'boolean' }>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's message quotes oddly and suggests nothing: name the flag and the closest known one.
    const unknown = parseArgs({ args: [...args], strict: false, allowPositionals: true, tokens: true }).tokens.find((t) => t.kind === 'option' && !Object.prototype.hasOwnProperty.call(options, t.name));
    if (unknown?.kind === 'option') throw new UsageError(`unknown flag ${unknown.rawName}${didYouMean(unknown.rawName, Object.keys(options).map((name) => `--${name}`))}`);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Checks a flag's value against the allowed ones.
 *
 * @example
 * oneOfFlag('--format', 'json', ['text', 'json'], 'text'); //=> 'json'
 */
export function oneOfFlag<const T extends string>(flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} takes ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
}

/**
 * The package root: `dist/cli.js` sits one level below it, `src/cli/*.ts` two.
 *
 * @example
 * join(packageRoot(), 'rules'); //=> the bundled rules folder
 */
export function packageRoot(): string {
  for (const up of ['../', '../../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
  }
  throw new UsageError('cannot find the bundled rules folder next to this program');
}

/**
 * The rules folder to use: `--rules DIR`, or the one shipped with the package.
 *
 * @example
 * rulesDir(undefined); //=> the bundled rules folder; rulesDir('mine') //=> 'mine'
 */
export function rulesDir(flag: unknown): string {
  if (flag === undefined) return join(packageRoot(), 'rules');
  if (typeof flag !== 'string' || !existsSync(flag)) throw new UsageError(`--rules: no folder ${JSON.stringify(flag)}`);
  if (!statSync(flag).isDirectory()) throw new UsageError(`--rules takes a folder of *.rules.json files; ${JSON.stringify(flag)} is a file`);
  return flag;
}

/**
 * The real terminal.
 *
 * @example
 * main(process.argv.slice(2), processIo());
 */
export function processIo(): Io {
  const tty = process.stderr.isTTY === true;
  return {
    colour: colourWanted(process.stdout, process.env),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdin: () => readFileSync(0, 'utf8'),
    lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
    write: (text) => (process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
    ...(tty ? { progress: (text: string) => process.stderr.write(text === '' ? '\r\u001b[2K' : `\r\u001b[2K${text}`) } : {}),
  };
}
