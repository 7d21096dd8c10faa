import { createReadStream } from 'node:fs';

/**
 * The line numbers (from 1) of the blank lines of a file: empty, or only JSON whitespace (space,
 * tab, carriage return). DuckDB's NDJSON reader skips them, so its row numbers need these to
 * name the file's lines as `--ndjson` does. Streams the file byte by byte: no line is held.
 *
 * @example
 * await blankLines('facts.ndjson'); //=> [2] for '{"a":1}\n\n{"a":2}\n'
 */
export async function blankLines(path: string): Promise<number[]> {
  const blanks: number[] = [];
  let line = 1;
  let blank = true;
  let any = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      any = true;
      if (byte === 0x0a) {
        if (blank) blanks.push(line);
        line++;
        blank = true;
        any = false;
      } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) blank = false;
    }
  }
  // A last line without a newline counts only when it holds something (whitespace makes it blank).
  if (any && blank) blanks.push(line);
  return blanks;
}

/**
 * SQL for the file line of the `row`-th non-blank line, given the blank lines: the row number
 * plus the blank lines before it.
 *
 * @example
 * lineOfRow('"row#"', [2]); //=> '("row#" + len(list_filter([1], lambda t: t < "row#")))'
 */
export function lineOfRow(row: string, blanks: readonly number[]): string {
  if (blanks.length === 0) return row;
  // Blank line b_j has b_j - j non-blank lines before it: every row after those is pushed down by one.
  const before = blanks.map((b, j) => b - (j + 1));
  return `(${row} + len(list_filter([${before.join(', ')}], lambda t: t < ${row})))`;
}
