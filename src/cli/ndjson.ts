import { PolicyInputError, SalesPoliciesError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { POLICIES } from '../policies.js';
import type { PolicyId } from '../policies.js';
import { safeJson } from '../core/errors.js';
import type { Io } from './io.js';
import { DEFAULT_MAX_LINE_BYTES, EXIT, UsageError } from './io.js';

/** How often the progress line is refreshed, in lines. */
const PROGRESS_EVERY = 10_000;
/** How much of a bad line an error record echoes back: a `received` whose JSON is longer becomes a preview. */
const ECHO_LIMIT = 1_000;

/**
 * `sales-policies eval POLICY --ndjson`: one fact object per input line, one decision per output
 * line, in constant memory. A bad line becomes `{"line": n, "error": {...}}` in the output (so
 * lines stay aligned) and a message on stderr; the run goes on unless `failFast`.
 *
 * @example
 * // sales-policies eval review.approval --ndjson --no-trace < facts.ndjson > decisions.ndjson
 */
export async function evalNdjson(policy: PolicyId, options: EvaluateOptions, failFast: boolean, io: Io, maxLineBytes: number = DEFAULT_MAX_LINE_BYTES): Promise<number> {
  if (!io.lines || !io.write) throw new UsageError('--ndjson needs standard input and output streams');
  const run = (POLICIES[policy].prepare as (options: EvaluateOptions) => (facts: unknown) => unknown)(options);
  let line = 0;
  let decided = 0;
  let failed = 0;
  let buffer = '';
  const flush = async () => {
    if (buffer !== '') await io.write!(buffer);
    buffer = '';
  };
  for await (const text of io.lines({ maxLineBytes })) {
    line++;
    if (line % PROGRESS_EVERY === 0) io.progress?.(`${line.toLocaleString('en')} lines, ${failed} bad`);
    if (typeof text === 'string' && text.trim() === '') continue;
    let output: string;
    try {
      if (typeof text !== 'string') throw new LineTooLongError(text.tooLong, maxLineBytes);
      output = JSON.stringify(run(JSON.parse(text)));
      decided++;
    } catch (error) {
      const problem = describeFailure(error);
      failed++;
      io.err(`line ${line}: ${problem.message}`);
      output = JSON.stringify({ line, error: problem.error });
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
  io.err(`${line} lines: ${decided} decided, ${failed} bad`);
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
