import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EvaluateOptions } from "../core/policy.js";
import { readFactsFile } from "../node/facts-file.js";
import type { PolicyId } from "../policies.js";
import type { ImpactReport, SideResult } from "../toolkit/impact.js";
import { ImpactTally } from "../toolkit/impact.js";
import { evalWithDuckDb } from "./duckdb-engine.js";
import type { Io } from "./io.js";
import { EXIT, UsageError } from "./io.js";

/** What both sides share in a DuckDB impact run. */
interface DuckDbImpactOptions {
  readonly asOf?: string;
  readonly timeZone: string;
  readonly idField: string;
  readonly examples: number;
}

/**
 * `impact --engine duckdb`: each rule set compiled to SQL (`toSql`) and run by embedded DuckDB
 * over the file (as `eval --engine duckdb` does, into NDJSON in the shape of `--ndjson`), then
 * the two decision files read in step, row by row, into the same {@link ImpactTally} the Node
 * engine fills: the same report, in constant memory, whatever the size of the file. One date
 * for every row (the SQL holds one date's parameters as literals).
 *
 * @example
 * await impactWithDuckDb('review.approval', base, rules, 'contracts.parquet', { timeZone: 'Asia/Shanghai', idField: 'id', examples: 5 }, io);
 */
export async function impactWithDuckDb(
  policy: PolicyId,
  base: unknown,
  rules: unknown,
  file: string,
  options: DuckDbImpactOptions,
  io: Io
): Promise<ImpactReport> {
  const dir = mkdtempSync(join(tmpdir(), "sales-policies-impact-"));
  try {
    const outputs: string[] = [];
    for (const [side, set] of [
      ["base", base],
      ["rules", rules],
    ] as const) {
      const output = join(dir, `${side}.ndjson`);
      const messages: string[] = [];
      const quiet: Io = {
        out: () => {},
        err: (text) => messages.push(text),
        stdin: () => "",
        ...(io.progress === undefined ? {} : { progress: io.progress }),
      };
      const sideOptions: EvaluateOptions = {
        timeZone: options.timeZone,
        rules: set,
        ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      };
      const code = await evalWithDuckDb(
        policy,
        sideOptions,
        file,
        output,
        quiet,
        options.idField
      );
      if (code === EXIT.usage)
        throw new UsageError(
          messages.join("\n").replace(/^sales-policies: /, "")
        );
      outputs.push(output);
    }
    const tally = new ImpactTally(policy, options.examples);
    const before = readFactsFile(outputs[0]!)[Symbol.asyncIterator]();
    const after = readFactsFile(outputs[1]!)[Symbol.asyncIterator]();
    for (;;) {
      const [a, b] = await Promise.all([before.next(), after.next()]);
      if (a.done === true || b.done === true) {
        if (a.done !== b.done)
          throw new Error("the two DuckDB decision files differ in length");
        break;
      }
      const count = tally.read();
      if (io.progress !== undefined && count % 10_000 === 0)
        io.progress(`${count.toLocaleString("en")} rows`);
      const left = a.value as DecisionLine;
      const right = b.value as DecisionLine;
      tally.add(left.id, sideResult(left), sideResult(right));
    }
    return tally.report();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line of `eval --engine duckdb`'s NDJSON: a decision, or a refusal. */
interface DecisionLine {
  readonly id: unknown;
  readonly outcome?: unknown;
  readonly basis?: readonly string[];
  readonly error?: {
    readonly code: string;
    readonly message?: string;
    readonly issues?: readonly {
      readonly path?: string;
      readonly message?: string;
    }[];
  };
}

function sideResult(line: DecisionLine): SideResult {
  if (line.error !== undefined) {
    const issue = line.error.issues?.[0];
    return {
      decided: false,
      code: line.error.code,
      message:
        line.error.message ??
        (issue === undefined
          ? line.error.code
          : `${issue.path ?? ""}: ${issue.message ?? ""}`),
    };
  }
  return {
    decided: true,
    decision: { outcome: line.outcome, basis: line.basis ?? [] },
  };
}
