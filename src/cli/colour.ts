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

// A style is written as a private-use mark, not as ESC: `io.out` escapes every control character
// (text from a rules file must never act on the terminal) and only then turns these marks, for
// the few codes below, into ANSI sequences (see {@link applyStyles}).
const MARK = '\uE000';
const style = (open: number, close: number) => (text: string) => `${MARK}${open}m${text}${MARK}${close}m`;
const STYLE_MARKS = /\uE000(1|2|22|31|32|33|39)m/g;

/**
 * Turns the style marks of {@link colours} into ANSI sequences (`colour` true) or drops them,
 * after the text was escaped for the terminal; only the CLI's own styles are ever emitted.
 *
 * @example
 * applyStyles(colours({ colour: true } as Io).red('x'), true); //=> '\u001b[31mx\u001b[39m'
 */
export function applyStyles(text: string, colour: boolean): string {
  if (!text.includes(MARK)) return text;
  return text.replace(STYLE_MARKS, (_mark, code: string) => (colour ? `\u001b[${code}m` : ''));
}
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
