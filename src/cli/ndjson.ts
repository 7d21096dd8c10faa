import { PolicyInputError, SalesPoliciesError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { POLICIES } from '../policies.js';
import type { PolicyId } from '../policies.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

/** How often the progress line is refreshed, in lines. */
const PROGRESS_EVERY = 10_000;

/**
 * `sales-policies eval POLICY --ndjson`: one fact object per input line, one decision per output
 * line, in constant memory. A bad line becomes `{"line": n, "error": {...}}` in the output (so
 * lines stay aligned) and a message on stderr; the run goes on unless `failFast`.
 *
 * @example
 * // sales-policies eval review.approval --ndjson --no-trace < facts.ndjson > decisions.ndjson
 */
export async function evalNdjson(policy: PolicyId, options: EvaluateOptions, failFast: boolean, io: Io): Promise<number> {
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
  for await (const text of io.lines()) {
    line++;
    if (line % PROGRESS_EVERY === 0) io.progress?.(`${line.toLocaleString('en')} lines, ${failed} bad`);
    if (text.trim() === '') continue;
    let output: string;
    try {
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

function describeFailure(error: unknown): { message: string; error: Record<string, unknown> } {
  if (error instanceof SyntaxError) return { message: `not JSON: ${error.message}`, error: { code: 'INVALID_JSON', message: error.message } };
  if (error instanceof PolicyInputError) return { message: error.message.replace(/\n/g, ' '), error: { code: error.code, issues: error.issues } };
  if (error instanceof SalesPoliciesError) return { message: error.message, error: { code: error.code, message: error.message } };
  throw error;
}
