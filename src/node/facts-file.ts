import { createReadStream } from 'node:fs';
import { UnreadableRow } from '../toolkit/impact.js';

/** The formats {@link readFactsFile} reads. */
export type FactsFileFormat = 'ndjson' | 'csv';

/** Options of {@link readFactsFile}. */
export interface FactsFileOptions {
  /** The file's format; by default from its name (`.csv`, else NDJSON: `.ndjson`, `.jsonl`, `.json`). */
  readonly format?: FactsFileFormat;
  /** A longer line (NDJSON) or record (CSV), in characters, is yielded as an {@link UnreadableRow} and never held whole (default 64 MB). */
  readonly maxRowLength?: number;
}

/**
 * The file cannot be read as facts at all (a CSV header that is empty or names a column twice).
 * One bad row is not this: it is yielded as an {@link UnreadableRow}.
 *
 * @example
 * try { for await (const row of readFactsFile('x.csv')) use(row); } catch (e) { if (e instanceof FactsFileError) console.error(e.message); }
 */
export class FactsFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

const DEFAULT_MAX_ROW = 64 * 1024 * 1024;

/**
 * Reads a file of historical facts row by row, streaming, in constant memory: NDJSON (one JSON
 * object per line; blank lines skipped) or CSV (RFC 4180: a header row, `,` between fields,
 * `"`-quoted fields with `""` for a quote and line breaks inside quotes, `\n` or `\r\n` between
 * records). A CSV cell is read by its text (quotes only protect commas, quotes and line breaks):
 * empty, nothing (the fact is absent); `""` the empty text; `true`/`false` a boolean; `null` null;
 * text starting with `[` or `{` its JSON, if it is JSON (lists such as `"[""wang"",""li""]"`); a
 * number that prints back exactly as written a number (`8000`, `12.5`); all else a string
 * (`1200000.50` stays the exact string). `impact --engine duckdb` reads a CSV cell the same way. A row that cannot be read (not JSON, a CSV
 * record with the wrong number of fields, an unclosed quote, a line over `maxRowLength`) is
 * yielded as an {@link UnreadableRow}, so `impact` counts it and goes on.
 *
 * @example
 * import { impact, loadRuleSet, readFactsFile } from 'sales-policies/node';
 * const report = await impact('review.approval', readFactsFile('contracts.csv'), { base: loadRuleSet('old'), rules: loadRuleSet('new') });
 */
export async function* readFactsFile(file: string, options: FactsFileOptions = {}): AsyncGenerator<unknown, void, undefined> {
  const format = options.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
  const max = options.maxRowLength ?? DEFAULT_MAX_ROW;
  const chunks = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }) as AsyncIterable<string>;
  if (format === 'csv') yield* csvRows(file, withoutBom(chunks), max);
  else yield* ndjsonRows(withoutBom(chunks), max);
}

async function* withoutBom(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true;
  for await (const chunk of chunks) {
    yield first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
  }
}

async function* ndjsonRows(chunks: AsyncIterable<string>, max: number): AsyncGenerator<unknown> {
  let pending = '';
  let tooLong = false;
  let line = 0;
  const finish = (text: string): unknown => {
    line++;
    if (tooLong) {
      tooLong = false;
      return new UnreadableRow('LINE_TOO_LONG', `line ${line}: longer than ${max} characters: not read`, line);
    }
    if (text.length > max) return new UnreadableRow('LINE_TOO_LONG', `line ${line}: longer than ${max} characters: not read`, line);
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return undefined;
    try {
      return JSON.parse(trimmed) as unknown;
    } catch (error) {
      return new UnreadableRow('INVALID_JSON', `line ${line}: not JSON: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, line);
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const row = finish(tooLong ? '' : pending + chunk.slice(start, end));
      pending = '';
      start = end + 1;
      if (row !== undefined) yield row;
    }
    if (!tooLong) pending += chunk.slice(start);
    if (pending.length > max) {
      tooLong = true;
      pending = '';
    }
  }
  if (pending !== '' || tooLong) {
    const row = finish(pending);
    if (row !== undefined) yield row;
  }
}

/**
 * A CSV cell as a fact, by its text alone (see {@link readFactsFile}): what the DuckDB engine
 * reads a cell as too. `undefined` leaves the fact out (an empty cell).
 *
 * @example
 * csvCellValue('17'); //=> 17
 * csvCellValue('null'); //=> null
 * csvCellValue(''); //=> undefined
 */
export function csvCellValue(text: string): unknown {
  return cellValue(text, false);
}

/** A CSV cell as a fact; quotes only protect what the cell holds, except that `""` is the empty text, not a missing fact. */
function cellValue(text: string, quoted: boolean): unknown {
  if (text === '') return quoted ? '' : undefined;
  if (/^[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return Number(text);
  return text;
}

async function* csvRows(file: string, chunks: AsyncIterable<string>, max: number): AsyncGenerator<unknown> {
  let header: string[] | undefined;
  let fields: { text: string; quoted: boolean }[] = [];
  let field = '';
  let quoted = false; // the current field started with a quote
  let inQuotes = false; // inside its quotes now
  let afterQuote = false; // just read a quote inside quotes: "" or the closing quote
  let length = 0;
  let tooLong = false;
  let record = 0;
  let bad: string | undefined;

  const endField = () => {
    fields.push({ text: field, quoted });
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = (): unknown => {
    endField();
    const got = fields;
    const problem = bad;
    fields = [];
    length = 0;
    bad = undefined;
    if (tooLong) {
      tooLong = false;
      record++;
      return new UnreadableRow('LINE_TOO_LONG', `record ${record}: longer than ${max} characters: not read`, record);
    }
    if (got.length === 1 && got[0]!.text === '' && !got[0]!.quoted) return undefined; // a blank line
    if (header === undefined) {
      header = got.map((f) => f.text);
      const seen = new Set<string>();
      for (const name of header) {
        if (name === '') throw new FactsFileError(file, 'the CSV header has an empty column name');
        if (seen.has(name)) throw new FactsFileError(file, `the CSV header names column ${JSON.stringify(name)} twice`);
        seen.add(name);
      }
      return undefined;
    }
    record++;
    if (problem !== undefined) return new UnreadableRow('INVALID_CSV', `record ${record}: ${problem}`, record);
    if (got.length !== header.length) return new UnreadableRow('INVALID_CSV', `record ${record}: ${got.length} fields, the header has ${header.length}`, record);
    const row: Record<string, unknown> = {};
    for (const [index, name] of header.entries()) {
      const value = cellValue(got[index]!.text, got[index]!.quoted);
      // defineProperty: a column named __proto__ is a plain member, never the prototype.
      if (value !== undefined) Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return row;
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (++length > max) tooLong = true;
      if (inQuotes) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') {
            if (!tooLong) field += '"';
            continue;
          }
          inQuotes = false; // that quote closed the field; c follows it
        } else {
          if (c === '"') afterQuote = true;
          else if (!tooLong) field += c;
          continue;
        }
      }
      if (c === ',') endField();
      else if (c === '\n') {
        if (field.endsWith('\r') && !quoted) field = field.slice(0, -1);
        const row = endRecord();
        if (row !== undefined) yield row;
      } else if (c === '"' && field === '' && !quoted) {
        quoted = true;
        inQuotes = true;
      } else if (c === '\r' && quoted) {
        // \r\n after a closing quote
      } else {
        if (quoted && c !== '\r') bad ??= 'text after a closing quote';
        if (!tooLong) field += c;
      }
    }
  }
  if (inQuotes && !afterQuote) bad = 'a quote is never closed';
  if (inQuotes || field !== '' || fields.length > 0 || quoted) {
    if (field.endsWith('\r') && !quoted) field = field.slice(0, -1);
    const row = endRecord();
    if (row !== undefined) yield row;
  }
}
