import { once } from 'node:events';
import { existsSync, fstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forTerminal } from '../toolkit/escape.js';
import { applyStyles, colourWanted } from './colour.js';

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
  /** Standard input line by line, for streaming verbs: a line longer than `maxLineBytes` comes as {@link LineTooLong}, not read into memory. */
  readonly lines?: (options?: { readonly maxLineBytes?: number }) => AsyncIterable<InputLine>;
  /** Writes to standard output, waiting when the reader is slower than we are (backpressure). */
  readonly write?: (text: string) => Promise<void> | void;
  /** Colour the output: only when stdout is a terminal and NO_COLOR is unset (see `colours`). */
  readonly colour?: boolean;
}

/** A line of input longer than the bound: only its length was kept. */
export interface LineTooLong {
  readonly tooLong: number;
}

/** One line of standard input (without its line break), or the size of one too long to read. */
export type InputLine = string | LineTooLong;

/**
 * The longest NDJSON line read by default (`--max-line-bytes` sets another): 64 MB. A longer line
 * is reported and skipped, never buffered (a 512 MB line would end the process).
 *
 * @example
 * evalNdjson(policy, options, false, io, { maxLineBytes: DEFAULT_MAX_LINE_BYTES });
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines of at most `maxLineBytes` (a line break is `\n`; a `\r` before
 * it is dropped), decoding each as UTF-8 and dropping a byte order mark at the start. A read
 * error (standard input is a folder: EISDIR) is thrown, never taken for the end of the input.
 *
 * @example
 * for await (const line of readLines(process.stdin, 1024)) if (typeof line === 'string') console.log(line);
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let size = 0; // bytes of the current line so far, kept or not
  let first = true;
  const finish = (): InputLine => {
    let text = size > maxLineBytes ? undefined : Buffer.concat(parts).toString('utf8');
    const length = size;
    parts = [];
    size = 0;
    if (text === undefined) return { tooLong: length };
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    return text;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(10, start);
      const stop = end === -1 ? bytes.length : end;
      size += stop - start;
      if (size <= maxLineBytes) parts.push(bytes.subarray(start, stop));
      else parts = [];
      if (end === -1) break;
      yield finish();
      start = end + 1;
    }
  }
  if (size > 0 || parts.length > 0) yield finish();
}

/**
 * A mistake in how the CLI was called; printed with a pointer to --help, exit 2.
 *
 * @example
 * throw new UsageError('eval needs a policy id'); // printed with a pointer to --help, exit 2
 */
export class UsageError extends Error {}

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
  const colour = colourWanted(process.stdout, process.env);
  return {
    colour,
    // Whatever a verb prints may quote a rules file: control and bidi characters never act; the
    // CLI's own colours are put in after that.
    out: (text) => process.stdout.write(`${applyStyles(forTerminal(text), colour)}\n`),
    err: (text) => process.stderr.write(`${applyStyles(forTerminal(text), false)}\n`),
    stdin: () => readFileSync(0, 'utf8'),
    lines: (options = {}) => {
      if (fstatSync(0).isDirectory()) throw new UsageError('standard input is a folder, not JSON lines');
      return readLines(process.stdin, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    },
    write: (text) => (process.stdout.write(forTerminal(text)) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
    ...(tty ? { progress: (text: string) => process.stderr.write(text === '' ? '\r\u001b[2K' : `\r\u001b[2K${text}`) } : {}),
  };
}
