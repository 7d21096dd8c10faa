import type { Io } from './io.js';

/** The few styles the CLI uses; each returns its text unchanged when colour is off. */
export interface Colours {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
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
