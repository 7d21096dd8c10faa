import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, rulesFixture } from "../helpers/cli.js";

// `impact --engine duckdb` is proven equal to the Node engine's report on generated data: the
// same counts, transitions, examples, refusals and money (the refusals' first messages are each
// engine's own words, so they are left out of the comparison).
const dir = mkdtempSync(join(tmpdir(), "sales-policies-impact-duckdb-"));
let seed = 21;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;
const write = (name: string, rows: readonly unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join("\n"));
  return path;
};

const LOWER_VP = rulesFixture("review/approval.rules.json", (json) => {
  json.parameters[0].values.vpLimit = 2_000_000;
  json.parameters[0].values.directorLimit = 400_000;
});
const CLOSER_TAKES_ALL = rulesFixture(
  "commission/allocation.rules.json",
  (json) => {
    const rule = json.rules.find(
      (r: {
        name: string;
        event: { params: { shares?: { role: string }[] } };
      }) =>
        r.name === "COM-4" && r.event.params.shares?.[0]?.role === "handlers"
    );
    rule.event.params.shares = [{ role: "closer", percent: 100 }];
  }
);

const contracts = Array.from({ length: 3000 }, (_, i) => {
  const row: Record<string, unknown> = {
    id: `C-${i + 1}`,
    amount: pick([
      "100000",
      "399999.99",
      "400000",
      "450000.5",
      "500000",
      "500000.01",
      "1999999.99",
      "2000000",
      "2500000",
      "3000000",
      2_750_000,
      12,
      "lots",
      -5,
    ]),
    channel: pick(["direct", "distributor", "direct", "online"]),
  };
  for (const flag of [
    "disputed",
    "repeatBatch",
    "technicalTermsChanged",
  ] as const)
    if (random() < 0.15) row[flag] = random() < 0.9 ? true : "yes";
  return row;
});
const AGENTS = ["an", "bo", "li", "wang", "zhao"];
const deals = Array.from({ length: 2000 }, (_, i) => {
  const handlers = [
    ...new Set([
      pick(AGENTS),
      ...(random() < 0.5 ? [pick(AGENTS)] : []),
      ...(random() < 0.1 ? [pick(AGENTS)] : []),
    ]),
  ];
  const receivingAgents =
    random() < 0.8 ? handlers : [...new Set([...handlers, pick(AGENTS)])];
  const cents = Math.floor(random() * 10_000_000);
  return {
    id: `L-${i + 1}`,
    pool:
      i % 97 === 0
        ? "10.005"
        : random() < 0.5
        ? `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`
        : Math.floor(cents / 100),
    kind: "lease",
    depositPaidInFull: random() < 0.95,
    contractSigned: random() < 0.9,
    handlers,
    closer: handlers[0],
    receivingAgents,
    protectedBy: random() < 0.8 ? null : pick(AGENTS),
  };
});

function report(args: readonly string[]): unknown {
  const { code, stdout, stderr } = runCli([
    "impact",
    "--base",
    "rules",
    "--as-of",
    "2026-01-01",
    "--format",
    "json",
    ...args,
  ]);
  expect(code, stderr).toBe(0);
  const json = JSON.parse(stdout);
  return {
    ...json,
    refusals: json.refusals.map(
      ({ message: _message, ...refusal }: { message: string }) => refusal
    ),
  };
}

describe("impact --engine duckdb gives the Node engine's report", () => {
  it.each([
    ["review.approval", "contracts.ndjson", contracts, LOWER_VP],
    ["commission.allocation", "deals.ndjson", deals, CLOSER_TAKES_ALL],
  ] as const)("%s on generated rows", (policy, name, rows, rules) => {
    const data = write(name, rows);
    const node = report([
      "--rules",
      rules,
      "--data",
      data,
      "--policy",
      policy,
    ]) as { changed: number; decided: number };
    const duckdb = report([
      "--rules",
      rules,
      "--data",
      data,
      "--policy",
      policy,
      "--engine",
      "duckdb",
    ]);
    expect(node.changed).toBeGreaterThan(100);
    expect(node.decided).toBeLessThan(rows.length);
    expect(duckdb).toEqual(node);
  });

  it("review.approval with each row's date (--as-of-field) and no id column", () => {
    const dated = contracts.map(({ id: _id, ...row }, i) => ({
      ...row,
      ...(i % 11 === 0 ? {} : { signedOn: i % 37 === 0 ? "soon" : `2026-0${1 + (i % 9)}-1${i % 10}` }),
    }));
    const data = write("dated.ndjson", dated);
    const args = ["--rules", LOWER_VP, "--data", data, "--policy", "review.approval", "--as-of-field", "signedOn"];
    const node = report(args) as { refusedByBoth: Record<string, number> };
    expect(node.refusedByBoth["INVALID_OPTIONS"]).toBeGreaterThan(0);
    expect(report([...args, "--engine", "duckdb"])).toEqual(node);
  });

  it.each<[string, string[], RegExp]>([
    ["no --policy", [], /needs --policy/],
  ])("refuses %s", (_name, args, message) => {
    const data = write("one.ndjson", contracts.slice(0, 1));
    const { code, stderr } = runCli([
      "impact",
      "--base",
      "rules",
      "--rules",
      LOWER_VP,
      "--data",
      data,
      "--engine",
      "duckdb",
      ...args,
      ...(args.length === 0 ? [] : ["--policy", "review.approval"]),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe("impact reads CSV and Parquet as it reads NDJSON", () => {
  /** A CSV cell the Node reader and DuckDB read back as the value: text quoted, a missing fact empty. */
  const cell = (value: unknown) =>
    value === undefined
      ? ""
      : typeof value === "string"
      ? `"${value.replaceAll('"', '""')}"`
      : String(value);
  const COLUMNS = ["id", "amount", "channel", "disputed", "repeatBatch", "technicalTermsChanged"];
  const args = ["--rules", LOWER_VP, "--policy", "review.approval"];

  it("review.approval as CSV: both engines give the NDJSON report", () => {
    const csv = join(dir, "contracts.csv");
    writeFileSync(csv, [COLUMNS.join(","), ...contracts.map((row) => COLUMNS.map((column) => cell(row[column])).join(","))].join("\n"));
    const ndjson = report([...args, "--data", write("contracts-for-csv.ndjson", contracts)]) as { changed: number };
    expect(ndjson.changed).toBeGreaterThan(100);
    expect(report([...args, "--data", csv])).toEqual(ndjson);
    expect(report([...args, "--data", csv, "--engine", "duckdb"])).toEqual(ndjson);
  });

  it("review.approval as Parquet (typed columns): DuckDB gives the Node report on the same rows", async () => {
    // Parquet columns have one type each: amounts as text, flags as booleans or NULL, which is a
    // missing fact (the NDJSON leaves the key out).
    const typed = contracts.map((row) => ({
      id: row["id"],
      amount: String(row["amount"]),
      channel: row["channel"],
      ...Object.fromEntries(["disputed", "repeatBatch", "technicalTermsChanged"].map((flag) => [flag, row[flag] === true ? true : undefined])),
    }));
    const ndjson = write("typed.ndjson", typed);
    const parquet = join(dir, "typed.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM read_json('${ndjson}', columns = {id: 'VARCHAR', amount: 'VARCHAR', channel: 'VARCHAR', disputed: 'BOOLEAN', repeatBatch: 'BOOLEAN', technicalTermsChanged: 'BOOLEAN'})) TO '${parquet}' (FORMAT PARQUET)`
    );
    connection.closeSync();
    instance.closeSync();
    const node = report([...args, "--data", ndjson]) as { changed: number; refusedByBoth: Record<string, number> };
    expect(node.changed).toBeGreaterThan(100);
    expect(Object.keys(node.refusedByBoth).length).toBeGreaterThan(0);
    expect(report([...args, "--data", parquet, "--engine", "duckdb"])).toEqual(node);
  });
});
