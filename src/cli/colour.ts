import type { Io } from './io.js';

/** The few styles the CLI uses; each returns its text unchanged when colour is off. */
export interface Colours {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

/**
 * Whether to colour a stream: only a terminal, and never when NO_COLOR is set to anything but
 * the empty string (https://no-color.org).
 *
 * @example
 * colourWanted(process.stdout, process.env); //=> false when piped or with NO_COLOR=1
 */
export function colourWanted(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
}

const style = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * Styles for `io`: ANSI colours when `io.colour` (stdout a terminal, NO_COLOR unset), else none,
 * so piped and redirected output never carries escape codes.
 *
 * @example
 * const c = colours(io);
 * io.out(c.green('✓ passed'));
 */
export function colours(io: Io): Colours {
  if (io.colour !== true) return { red: plain, green: plain, yellow: plain, bold: plain, dim: plain };
  return { red: style(31, 39), green: style(32, 39), yellow: style(33, 39), bold: style(1, 22), dim: style(2, 22) };
}
