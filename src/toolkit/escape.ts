// Text from rules and case files is untrusted: before it reaches a terminal or a Markdown page it
// goes through one of these, so a rule name cannot move the cursor, print a fake "0 errors" line,
// open an OSC 8 link, reverse the text around it, or add a heading, a link or an image to a
// pull-request comment.

/** C0 controls but tab and newline, DEL, C1 controls (incl. 8-bit CSI/OSC), and the bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Output for a terminal or a log: every control character but tab and newline, and every bidi
 * control, is shown as its `\uXXXX` escape instead of acting. Inside JSON output this is the same
 * string (such characters only occur inside JSON strings, where `\uXXXX` means them).
 *
 * @example
 * forTerminal('REV\u001b[2J 6.1'); //=> 'REV\\u001b[2J 6.1'
 */
export function forTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, visible) : text;
}

/**
 * A value from a rules or case file printed inside one line of text: {@link forTerminal}, and
 * line breaks shown as `\n`, so it cannot start a line of its own.
 *
 * @example
 * oneLine('a\n0 errors'); //=> 'a\\n0 errors'
 */
export function oneLine(text: string): string {
  // forTerminal already shows \r; what is left to break a line is \n and the Unicode separators.
  return forTerminal(text).replace(/[\n\u2028\u2029]/g, (b) => (b === '\n' ? '\\n' : visible(b)));
}

/**
 * A value from a rules or case file in Markdown prose (a heading, a paragraph): on one line, and
 * `\`, `#` and `[` escaped, and `!` before `[` and `<` before a tag, so it adds no heading, link,
 * image or HTML (`amount < limit` stays as it is). Code spans in backticks are left to work.
 *
 * @example
 * markdownText('# Hi ![x](http://e/x.png)'); //=> '\\# Hi \\!\\[x](http://e/x.png)'
 */
export function markdownText(text: string): string {
  return oneLine(text.replace(/\\/g, '\\\\')).replace(/[#[]|!(?=\[)|<(?=[A-Za-z/!?])/g, (c) => `\\${c}`);
}

/**
 * A value from a rules or case file in a Markdown table cell: {@link markdownText}, and `|` and
 * backticks escaped too, so it stays in its cell.
 *
 * @example
 * markdownCell('a | b\n| x |'); //=> 'a \\| b\\n\\| x \\|'
 */
export function markdownCell(text: string): string {
  return markdownText(text).replace(/[|`]/g, (c) => `\\${c}`);
}
