import { PolicyInputError, SalesPoliciesError } from '../core/errors.js';
import type { Decision, EvaluateOptions } from '../core/policy.js';
import { POLICIES } from '../policies.js';
import type { PolicyId } from '../policies.js';
import { safeJson } from '../core/errors.js';
import type { Io } from './io.js';
import { DEFAULT_MAX_LINE_BYTES, EXIT, UsageError } from './io.js';
import { decisionJson } from './decision-json.js';

/** How often the progress line is refreshed, in lines. */
const PROGRESS_EVERY = 10_000;
/** How much of a bad line an error record echoes back: a `received` whose JSON is longer becomes a preview. */
const ECHO_LIMIT = 1_000;

/** How `evalNdjson` reads its lines. */
export interface NdjsonOptions {
  /** The member of a row holding its id, passed through as `id` and taken out of the facts (default `id`). */
  readonly idField?: string;
  /** A longer line is reported (`LINE_TOO_LONG`) and skipped, never read into memory (default 64 MB). */
  readonly maxLineBytes?: number;
}

/**
 * `sales-policies eval POLICY --ndjson`: one fact object per input line, one output line per
 * input line, in constant memory. Each output line starts with the input's `line` number and the
 * row's `id` (the `idField` member, taken out of the facts; else the line number), then the
 * decision (`{"line": 1, "id": "A-1", "policy": …, "outcome": …, "basis": …}`). A bad line becomes
 * `{"line": n, "id": …, "error": {...}}` and a message on stderr; the run goes on unless
 * `failFast`. A blank line is kept as `{"line": n, "blank": true}`, so output line n answers input line n.
 *
 * @example
 * // sales-policies eval review.approval --ndjson --no-trace < facts.ndjson > decisions.ndjson
 */
export async function evalNdjson(policy: PolicyId, options: EvaluateOptions, failFast: boolean, io: Io, { idField = 'id', maxLineBytes = DEFAULT_MAX_LINE_BYTES }: NdjsonOptions = {}): Promise<number> {
  if (!io.lines || !io.write) throw new UsageError('--ndjson needs standard input and output streams');
  const run = (POLICIES[policy].prepare as (options: EvaluateOptions) => (facts: unknown) => unknown)(options);
  let line = 0;
  let decided = 0;
  let failed = 0;
  let blank = 0;
  let buffer = '';
  const flush = async () => {
    if (buffer !== '') await io.write!(buffer);
    buffer = '';
  };
  for await (const text of io.lines({ maxLineBytes })) {
    line++;
    if (line % PROGRESS_EVERY === 0) io.progress?.(`${line.toLocaleString('en')} lines, ${failed} bad`);
    if (typeof text === 'string' && text.trim() === '') {
      blank++;
      buffer += `${JSON.stringify({ line, blank: true })}\n`;
      continue;
    }
    let output: string;
    let id: unknown = line;
    try {
      if (typeof text !== 'string') throw new LineTooLongError(text.tooLong, maxLineBytes);
      const row: unknown = JSON.parse(text);
      let facts = row;
      if (row !== null && typeof row === 'object' && !Array.isArray(row) && Object.prototype.hasOwnProperty.call(row, idField)) {
        const { [idField]: own, ...rest } = row as Record<string, unknown>;
        id = own;
        facts = rest;
      }
      output = JSON.stringify({ line, id, ...decisionJson(run(facts) as Decision<unknown>, options.trace !== false) });
      decided++;
    } catch (error) {
      const problem = describeFailure(error);
      failed++;
      io.err(`line ${line}: ${problem.message}`);
      output = JSON.stringify({ line, id, error: problem.error });
      if (failFast) {
        buffer += `${output}\n`;
        await flush();
        io.progress?.('');
        return EXIT.findings;
      }
    }
    buffer += `${output}\n`;
    if (buffer.length > 64 * 1024) await flush();
  }
  await flush();
  io.progress?.('');
  io.err(`${line} lines: ${decided} decided, ${failed} bad${blank > 0 ? `, ${blank} blank` : ''}`);
  return failed > 0 ? EXIT.findings : EXIT.ok;
}

class LineTooLongError extends Error {
  constructor(readonly bytes: number, readonly limit: number) {
    super(`the line is ${bytes} bytes, over the limit of ${limit} (--max-line-bytes): not read`);
  }
}

/** A message or value echoed back from a bad line, cut to a bound: an error record never repeats a 200 MB line. */
function capped(text: string, limit = 300): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

function describeFailure(error: unknown): { message: string; error: Record<string, unknown> } {
  if (error instanceof LineTooLongError) return { message: error.message, error: { code: 'LINE_TOO_LONG', message: error.message, bytes: error.bytes, limit: error.limit } };
  if (error instanceof SyntaxError) return { message: `not JSON: ${capped(error.message)}`, error: { code: 'INVALID_JSON', message: capped(error.message) } };
  if (error instanceof PolicyInputError) {
    const issues = error.issues.map((issue) => (JSON.stringify(issue.received ?? null).length > ECHO_LIMIT ? { ...issue, received: safeJson(issue.received, 200) } : issue));
    return { message: capped(error.message.replace(/\n/g, ' '), 2_000), error: { code: error.code, issues } };
  }
  if (error instanceof SalesPoliciesError) return { message: error.message, error: { code: error.code, message: error.message } };
  throw error;
}
