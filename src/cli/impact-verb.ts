import { existsSync, statSync } from "node:fs";
import {
  DEFAULT_TIME_ZONE,
  timeZoneProblem,
  dateProblem,
} from "../core/dates.js";
import { FactsFileError, readFactsFile } from "../node/facts-file.js";
import { loadRuleSet } from "../node/load-rule-set.js";
import type { PolicyId } from "../policies.js";
import { SQL_POLICY_IDS } from "../sql/policies.js";
import { markdownCell, markdownText } from "../toolkit/escape.js";
import type { ImpactReport, ImpactSide } from "../toolkit/impact.js";
import { impact, UnreadableRow } from "../toolkit/impact.js";
import type { VerbSpec } from "./command.js";
import { formatFlag, parseVerb } from "./command.js";
import { policyArg } from "./deciding.js";
import { impactWithDuckDb } from "./impact-duckdb.js";
import type { Io } from "./io.js";
import { EXIT, rulesDir, UsageError } from "./io.js";

/**
 * Codes of rows that could not be read from the file at all: a defect of the file, exit 1.
 *
 * @example
 * UNREADABLE.has('INVALID_JSON'); //=> true
 */
export const UNREADABLE = new Set(["INVALID_JSON", "INVALID_CSV", "LINE_TOO_LONG"]);

/** `sales-policies impact`: its flags, help and examples. */
export const impactSpec = {
  name: "impact",
  summary:
    "What a rule change does to real decisions: every row of a file of historical facts decided under both rule sets, the changes counted.",
  usage:
    "impact --base OLD_DIR --rules NEW_DIR --data FILE [--policy ID] [options]",
  flags: {
    base: {
      type: "string",
      short: "b",
      value: "DIR",
      help: "the rules before the change (default: the bundled rules)",
    },
    rules: {
      type: "string",
      short: "r",
      value: "DIR",
      help: "the rules after the change (default: the bundled rules)",
    },
    data: {
      type: "string",
      short: "d",
      value: "FILE",
      help: "historical facts: .ndjson/.jsonl (one object a line) or .csv (a header row)",
    },
    policy: {
      type: "string",
      short: "p",
      value: "ID",
      help: 'the policy the rows are facts of (default: the rows\' "policy" column; one policy per run)',
    },
    id: {
      type: "string",
      value: "FIELD",
      help: "the field holding a row's id, shown in examples (default: id; else the row number)",
    },
    "as-of-field": {
      type: "string",
      value: "FIELD",
      help: "the field holding the date each row is decided as of (YYYY-MM-DD), so a dated change shows from its date on",
    },
    "as-of": {
      type: "string",
      value: "DATE",
      help: "decide every row (without --as-of-field date) as on this date (default: today in the time zone)",
    },
    "time-zone": {
      type: "string",
      value: "TZ",
      help: "IANA time zone of calendar dates (default: Asia/Shanghai)",
    },
    examples: {
      type: "string",
      value: "N",
      help: "example ids per transition (default: 5)",
    },
    ...formatFlag(["text", "json", "markdown"]),
    "fail-on-change": {
      type: "boolean",
      help: "exit 1 when any row changes outcome or only one side refuses it (for CI)",
    },
    engine: {
      type: "string",
      value: "node|duckdb",
      choices: ["node", "duckdb"],
      help: "duckdb: the report computed in embedded DuckDB from both rule sets' SQL (.parquet, .csv, .ndjson; needs @duckdb/node-api)",
    },
  },
  examples: [
    "sales-policies impact --base main-rules --rules rules --data contracts.ndjson --policy review.approval   # the report",
    "sales-policies impact -b main-rules -r rules -d deals.csv --policy commission.allocation --as-of-field signedOn   # money per agent",
    "sales-policies impact -b main-rules -r rules -d history.ndjson --format markdown --fail-on-change   # a pull-request comment",
  ],
  details:
    "Reports rows decided by both sides, rows whose outcome changes, each (before → after) transition with\n" +
    "its count, basis and first example ids, rows one side refuses (bad facts, a rule gap) and the other\n" +
    "decides, and for commission.allocation the money per agent before, after and the difference (exact fen).\n" +
    "A CSV cell that is true/false/null, a JSON list or object, or a number that prints back as written\n" +
    "becomes that value; an empty cell leaves the fact out. Memory is constant in the rows.\n" +
    "Exit 1 when a rule set does not load, a row cannot be read, or (--fail-on-change) anything changes.\n" +
    "Parquet: --engine duckdb (it also reads CSV and NDJSON, with its own CSV reading: see eval --engine duckdb).",
} as const satisfies VerbSpec;

/**
 * `sales-policies impact --base OLD --rules NEW --data FILE`: the impact report, as text,
 * Markdown (for a pull-request comment) or JSON.
 *
 * @example
 * impactVerb(['--base', 'main-rules', '--rules', 'rules', '--data', 'history.ndjson', '--policy', 'review.approval'], io); //=> 0
 */
export async function impactVerb(
  args: readonly string[],
  io: Io
): Promise<number> {
  const { values, positionals } = parseVerb(impactSpec, args);
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument ${JSON.stringify(
        positionals[0]
      )} (the policy goes in --policy)`
    );
  if (values.base === undefined && values.rules === undefined)
    throw new UsageError(
      "impact compares two rule sets: give --base OLD_DIR and/or --rules NEW_DIR (the other defaults to the bundled rules)"
    );
  const file = values.data;
  if (file === undefined)
    throw new UsageError("impact needs --data FILE (.ndjson or .csv)");
  if (!existsSync(file))
    throw new UsageError(`--data: no file ${JSON.stringify(file)}`);
  if (statSync(file).isDirectory())
    throw new UsageError(
      `--data takes a file, ${JSON.stringify(file)} is a folder`
    );
  const duckdb = values.engine === "duckdb";
  if (/\.parquet$/i.test(file) && !duckdb)
    throw new UsageError("--data: Parquet is read only by --engine duckdb");
  if (duckdb) {
    if (values.policy === undefined)
      throw new UsageError(
        '--engine duckdb needs --policy ID (the data may hold no "policy" column)'
      );
    if (!(SQL_POLICY_IDS as readonly string[]).includes(values.policy))
      throw new UsageError(
        `--engine duckdb covers ${SQL_POLICY_IDS.join(
          ", "
        )}; not ${JSON.stringify(values.policy)}`
      );
  }
  const timeZone = values["time-zone"] ?? DEFAULT_TIME_ZONE;
  const zoneProblem = timeZoneProblem(timeZone);
  if (zoneProblem !== undefined)
    throw new UsageError(`--time-zone: ${zoneProblem}`);
  const asOf = values["as-of"];
  const asOfProblem = asOf === undefined ? undefined : dateProblem(asOf);
  if (asOfProblem !== undefined)
    throw new UsageError(`--as-of: ${asOfProblem}`);
  const examples = values.examples === undefined ? 5 : Number(values.examples);
  if (!Number.isSafeInteger(examples) || examples < 0)
    throw new UsageError(
      `--examples takes a whole number ≥ 0, not ${JSON.stringify(
        values.examples
      )}`
    );
  // Both sides load before a row is read: a side that does not load is exit 1, never a report.
  const base = loadRuleSet(rulesDir(values.base));
  const rules = loadRuleSet(rulesDir(values.rules));

  let report: ImpactReport;
  try {
    if (duckdb) {
      report = await impactWithDuckDb(
        policyArg(values.policy!),
        base,
        rules,
        file,
        {
          timeZone,
          examples,
          idField: values.id ?? "id",
          ...(asOf === undefined ? {} : { asOf }),
          ...(values["as-of-field"] === undefined
            ? {}
            : { asOfField: values["as-of-field"] }),
        },
        io
      );
    } else {
      const { policy, rows } = await withPolicy(
        readFactsFile(file),
        values.policy === undefined ? undefined : policyArg(values.policy)
      );
      report = await impact(policy, rows, {
        base,
        rules,
        timeZone,
        examples,
        ...(asOf === undefined ? {} : { asOf }),
        ...(values["as-of-field"] === undefined
          ? {}
          : { asOfField: values["as-of-field"] }),
        ...(values.id === undefined ? {} : { idField: values.id }),
        ...(io.progress === undefined
          ? {}
          : {
              onProgress: (n: number) =>
                io.progress!(`${n.toLocaleString("en")} rows`),
            }),
      });
    }
  } catch (error) {
    if (error instanceof FactsFileError) throw new UsageError(error.message);
    throw error;
  } finally {
    io.progress?.("");
  }
  const sides = {
    base: values.base ?? "the bundled rules",
    rules: values.rules ?? "the bundled rules",
    asOf:
      values["as-of-field"] === undefined
        ? asOf ?? "today"
        : `each row's ${values["as-of-field"]}`,
  };
  if (values.format === "json") io.out(JSON.stringify(report, null, 2));
  else
    io.out(
      values.format === "markdown"
        ? impactMarkdown(report, sides)
        : impactText(report, sides)
    );
  const unreadable = Object.entries(report.refusedByBoth).filter(([code]) =>
    UNREADABLE.has(code)
  );
  if (unreadable.length > 0) {
    io.err(
      `${file}: ${unreadable
        .map(([code, n]) => `${n} ${code}`)
        .join(", ")} row(s) could not be read`
    );
    return EXIT.findings;
  }
  if (
    values["fail-on-change"] === true &&
    (report.changed > 0 || report.refusals.length > 0)
  )
    return EXIT.findings;
  return EXIT.ok;
}

/**
 * The policy of the run (`--policy`, else the first row's `policy` column) and the rows with
 * that column taken out; a row naming another policy is refused by both sides (`OTHER_POLICY`).
 *
 * @example
 * const { policy, rows } = await withPolicy(readFactsFile('history.ndjson'), undefined); // policy from the first row
 */
export async function withPolicy(
  rows: AsyncGenerator<unknown>,
  given: PolicyId | undefined
): Promise<{ policy: PolicyId; rows: AsyncGenerator<unknown> }> {
  const first = await rows.next();
  let policy = given;
  if (policy === undefined) {
    const named =
      first.done === true
        ? undefined
        : (first.value as { policy?: unknown } | null)?.policy;
    if (typeof named !== "string")
      throw new UsageError(
        'impact needs --policy ID, or a "policy" column in the data naming it'
      );
    policy = policyArg(named);
  }
  const chosen = policy;
  let row = 0;
  const strip = (value: unknown): unknown => {
    row++;
    if (
      value === null ||
      typeof value !== "object" ||
      Array.isArray(value) ||
      value instanceof UnreadableRow ||
      !Object.prototype.hasOwnProperty.call(value, "policy")
    )
      return value;
    const { policy: named, ...facts } = value as Record<string, unknown>;
    if (named !== chosen)
      return new UnreadableRow(
        "OTHER_POLICY",
        `row ${row}: policy ${JSON.stringify(
          named
        )}, not ${chosen}: one policy per run`,
        row
      );
    return facts;
  };
  async function* all(): AsyncGenerator<unknown> {
    if (first.done === true) return;
    yield strip(first.value);
    for await (const value of rows) yield strip(value);
  }
  return { policy: chosen, rows: all() };
}

interface Sides {
  readonly base: string;
  readonly rules: string;
  readonly asOf: string;
}

const count = (n: number) => n.toLocaleString("en");
const percent = (n: number, of: number) =>
  of === 0 ? "0%" : `${((100 * n) / of).toFixed(2)}%`;

/**
 * An outcome as `field=value` pairs, lists as `[a, b]`: shorter than its JSON, as exact.
 *
 * @example
 * outcomeText({ authority: 'sales_vp', route: ['technical', 'finance'] }); //=> 'authority=sales_vp route=[technical, finance]'
 */
export function outcomeText(outcome: unknown): string {
  if (outcome === null || typeof outcome !== "object" || Array.isArray(outcome))
    return JSON.stringify(outcome);
  return Object.entries(outcome)
    .map(
      ([key, value]) =>
        `${key}=${
          typeof value === "string"
            ? value
            : Array.isArray(value) && value.every((v) => typeof v === "string")
            ? `[${value.join(", ")}]`
            : JSON.stringify(value)
        }`
    )
    .join(" ");
}
const sideText = (side: ImpactSide) =>
  `${outcomeText(side.outcome)} [${side.basis.join(", ")}]`;
const idsText = (ids: readonly unknown[], total: number) =>
  `${ids
    .map((id) => (typeof id === "string" ? id : JSON.stringify(id)))
    .join(", ")}${total > ids.length ? ", …" : ""}`;

function headline(report: ImpactReport): string {
  const both = Object.values(report.refusedByBoth).reduce((a, b) => a + b, 0);
  const one = report.refusals.reduce((a, r) => a + r.count, 0);
  return `${count(report.rows)} rows: ${count(
    report.decided
  )} decided by both, ${count(report.changed)} change outcome (${percent(
    report.changed,
    report.decided
  )}), ${count(report.basisChanged)} change basis only, ${count(
    one
  )} refused by one side, ${count(both)} by both`;
}

/**
 * The impact report for a terminal (the CLI escapes control characters on output).
 *
 * @example
 * impactText(report, { base: 'main-rules', rules: 'rules', asOf: '2026-01-01' });
 */
function impactText(report: ImpactReport, sides: Sides): string {
  const lines = [
    `impact on ${report.policy}: ${sides.base} → ${sides.rules}, as of ${sides.asOf}`,
    headline(report),
  ];
  if (report.transitions.length > 0) {
    lines.push("", "Transitions (before → after):");
    for (const t of report.transitions) {
      lines.push(
        `  ${count(t.count).padStart(10)}  ${sideText(t.before)}`,
        `  ${"".padStart(10)}  → ${sideText(t.after)}${
          t.outcomeChanged ? "" : " (basis only)"
        }`,
        `  ${"".padStart(10)}  e.g. ${idsText(t.examples, t.count)}`
      );
    }
  }
  if (report.otherTransitions.count > 0)
    lines.push(
      `  ${count(report.otherTransitions.count).padStart(10)}  in ${count(
        report.otherTransitions.transitions
      )} more transitions (past the first ones listed)`
    );
  if (report.refusals.length > 0) {
    lines.push("", "Refused by one side only:");
    for (const r of report.refusals)
      lines.push(
        `  ${count(r.count).padStart(10)}  refused by ${
          r.refusedBy === "base" ? "base (before)" : "rules (after)"
        }: ${r.code}, e.g. ${idsText(r.examples, r.count)}`,
        `  ${"".padStart(10)}  first: ${r.message.split("\n").join(" ")}`
      );
  }
  const both = Object.entries(report.refusedByBoth);
  if (both.length > 0)
    lines.push(
      "",
      `Refused by both: ${both
        .map(([code, n]) => `${code} ${count(n)}`)
        .join(", ")}`
    );
  if (report.money !== undefined) {
    const rows = [
      ...report.money.agents.map((m) => [
        m.agent,
        m.before,
        m.after,
        m.difference,
      ]),
      [
        "(unallocated)",
        report.money.unallocated.before,
        report.money.unallocated.after,
        report.money.unallocated.difference,
      ],
      [
        "total",
        report.money.total.before,
        report.money.total.after,
        report.money.total.difference,
      ],
    ];
    const widths = [0, 1, 2, 3].map((i) =>
      Math.max(
        ...[["agent", "before", "after", "difference"], ...rows].map(
          (r) => r[i]!.length
        )
      )
    );
    lines.push(
      "",
      "Money per agent, in the rows both sides decide (CNY, exact):"
    );
    for (const r of [["agent", "before", "after", "difference"], ...rows])
      lines.push(
        `  ${r[0]!.padEnd(widths[0]!)}  ${r
          .slice(1)
          .map((v, i) => v.padStart(widths[i + 1]!))
          .join("  ")}`
      );
  }
  return lines.join("\n");
}

/**
 * The impact report as Markdown for a pull-request comment: every value from the data or the
 * rules escaped, so a cell stays a cell and adds no link, image or HTML.
 *
 * @example
 * impactMarkdown(report, { base: 'main', rules: 'this branch', asOf: "each row's signedOn" });
 */
function impactMarkdown(report: ImpactReport, sides: Sides): string {
  const cell = (text: string) => markdownCell(text);
  const lines = [
    `### impact on ${markdownText(report.policy)}: ${markdownText(
      sides.base
    )} → ${markdownText(sides.rules)}, as of ${markdownText(sides.asOf)}`,
    "",
    markdownText(headline(report)),
  ];
  if (report.transitions.length > 0 || report.otherTransitions.count > 0) {
    lines.push(
      "",
      "| rows | before | after | examples |",
      "|---:|---|---|---|"
    );
    for (const t of report.transitions)
      lines.push(
        `| ${count(t.count)} | ${cell(sideText(t.before))} | ${cell(
          sideText(t.after)
        )}${t.outcomeChanged ? "" : " (basis only)"} | ${cell(
          idsText(t.examples, t.count)
        )} |`
      );
    if (report.otherTransitions.count > 0)
      lines.push(
        `| ${count(report.otherTransitions.count)} | ${count(
          report.otherTransitions.transitions
        )} more transitions | | |`
      );
  }
  if (report.refusals.length > 0) {
    lines.push(
      "",
      "| rows | refused by | code | examples | first message |",
      "|---:|---|---|---|---|"
    );
    for (const r of report.refusals)
      lines.push(
        `| ${count(r.count)} | ${
          r.refusedBy === "base" ? "base (before)" : "rules (after)"
        } | ${cell(r.code)} | ${cell(idsText(r.examples, r.count))} | ${cell(
          r.message
        )} |`
      );
  }
  if (report.money !== undefined) {
    lines.push(
      "",
      "Money per agent, in the rows both sides decide (CNY, exact):",
      "",
      "| agent | before | after | difference |",
      "|---|---:|---:|---:|"
    );
    for (const m of report.money.agents)
      lines.push(
        `| ${cell(m.agent)} | ${m.before} | ${m.after} | ${m.difference} |`
      );
    const { unallocated, total } = report.money;
    lines.push(
      `| (unallocated) | ${unallocated.before} | ${unallocated.after} | ${unallocated.difference} |`,
      `| **total** | ${total.before} | ${total.after} | ${total.difference} |`
    );
  }
  return lines.join("\n");
}
