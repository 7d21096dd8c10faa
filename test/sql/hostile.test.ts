import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompiledRuleFile } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { RuleSetError } from '../../src/index.js';
import { SqlCompileError, SQL_POLICY_IDS, compileSql } from '../../src/sql/index.js';
import type { SqlPolicyId } from '../../src/sql/index.js';
import { duckdbString, postgresString, unstorableText } from '../../src/sql/dialect.js';
import { bundledCaseFiles } from '../helpers/case-files.js';
import { bundledRules, fileWritingStrings, HOSTILE_STRINGS, withTextEverywhere, withTextInOutcome, withTextsInValues } from '../helpers/hostile.js';
import type { Database } from './harness.js';
import { beyondSql, checkAgainstEvaluate, DATABASE_ZONE, IN_CI, loadFacts, openDuckDb, openPostgres, PG_URL } from './harness.js';
import { RULES_FILES } from './equivalence.js';

// Rule files full of hostile strings, compiled to SQL for every SQL policy and run on DuckDB and
// on PostgreSQL (with standard_conforming_strings on and off): each file must be refused when it
// loads, or its query refused by toSql, or the query must decide every row exactly as evaluate
// does. The strings include ones that would write a file into a fresh folder if pasted into SQL
// (COPY … TO, COPY … TO PROGRAM); the folder must stay empty.

const AS_OF = '2026-01-01';
const TRAP = mkdtempSync(join(tmpdir(), 'sales-policies-hostile-sql-'));
// Writable by the PostgreSQL server too, so a server-side COPY that got through would show.
chmodSync(TRAP, 0o777);
const STRINGS = [...HOSTILE_STRINGS, ...fileWritingStrings(TRAP)];
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const STORABLE = STRINGS.filter((text) => unstorableText(text) === undefined);
const UNSTORABLE = STRINGS.filter((text) => unstorableText(text) !== undefined);

/** A hostile rules file: its name in messages and its JSON (or an error if it did not load). */
interface Variant {
  readonly label: string;
  readonly compiled: CompiledRuleFile | RuleSetError;
  /** The texts the query must hold as literals, when it compiles. */
  readonly literals: readonly string[];
}

function load(json: unknown, file: string): CompiledRuleFile | RuleSetError {
  try {
    return compileRuleFile(json, file);
  } catch (error) {
    if (error instanceof RuleSetError) return error;
    throw error;
  }
}

/** The hostile variants of a policy's bundled rules file. */
function variants(policy: SqlPolicyId): Variant[] {
  const file = RULES_FILES[policy]!;
  const out: Variant[] = [
    // Every free-text slot, and the file's name (it goes into the query's header), one string each in turn…
    { label: 'text slots, one string each', compiled: load(withTextEverywhere(bundledRules(file), (slot) => STRINGS[slot % STRINGS.length]!), STRINGS.join(' ')), literals: [] },
    // …and all of them at once in every slot.
    { label: 'text slots, all strings', compiled: load(withTextEverywhere(bundledRules(file), () => STRINGS.join('')), `${file}\n${STRINGS.join('\n')}`), literals: [] },
    // Written as literals where a string fact is compared (conduct has only flags: decided when compiling).
    { label: 'compared values and string parameters', compiled: load(withTextsInValues(bundledRules(file), STORABLE), file), literals: hasStringFact(file) ? STORABLE : [] },
    ...UNSTORABLE.map((text) => ({ label: `compared value ${JSON.stringify(text)}`, compiled: load(withTextsInValues(bundledRules(file), [text]), file), literals: [] })),
  ];
  // Outcome strings: one hostile string per rule that gives one, as many files as it takes to try them all.
  const rules = (bundledRules(file).rules as unknown[]).map((_, index) => index).filter((index) => withTextInOutcome(bundledRules(file), 'x', index));
  for (let start = 0; rules.length > 0 && start < STRINGS.length; start += rules.length) {
    const json = bundledRules(file);
    const texts = STRINGS.slice(start, start + rules.length);
    texts.forEach((text, i) => withTextInOutcome(json, text, rules[i]!));
    out.push({ label: `outcome strings ${start}…${start + texts.length - 1}`, compiled: load(json, file), literals: [] });
  }
  return out;
}

function hasStringFact(file: string): boolean {
  return Object.values<{ type: string; derived?: boolean }>(bundledRules(file).facts).some((fact) => fact.type === 'string' && !fact.derived);
}

/** The bundled cases' facts of a policy: every rule decides some of them. */
function caseFacts(policy: SqlPolicyId): Record<string, unknown>[] {
  return bundledCaseFiles()
    .filter(({ cases }) => cases.policy === policy)
    .flatMap(({ cases }) => cases.cases.filter((c) => c.timeZone === undefined).map((c) => c.facts as Record<string, unknown>));
}


/** The query's header: every line before WITH is one `--` comment line of printable ASCII. */
function expectSafeHeader(sql: string): void {
  const header = sql.slice(0, sql.indexOf('\nWITH\n'));
  for (const line of header.split('\n')) expect(line).toMatch(/^-- [\x20-\x5B\x5D-\x7E]*$/);
}

interface Tally {
  files: number;
  refusedAtLoad: number;
  refusedByToSql: number;
  queriesRun: number;
  rowsCompared: number;
}

function defineHostile(name: string, open: () => Promise<Database>, session?: string): void {
  describe(name, () => {
    let db: Database;
    const tally: Tally = { files: 0, refusedAtLoad: 0, refusedByToSql: 0, queriesRun: 0, rowsCompared: 0 };
    afterAll(async () => {
      await db?.close();
      console.info(`hostile SQL on ${name}: ${STRINGS.length} strings in ${tally.files} files; ${tally.refusedAtLoad} refused at load, ${tally.refusedByToSql} refused by toSql, ${tally.queriesRun} queries run deciding ${tally.rowsCompared} rows as evaluate does`);
    });

    for (const policy of SQL_POLICY_IDS) {
      it(`${policy}: every hostile rules file is refused or decides as evaluate does`, async () => {
        db ??= await open();
        const loaded = await loadFacts(db, policy, caseFacts(policy));
        expect(loaded.length).toBeGreaterThan(3);
        if (session) await db.exec(session);
        try {
          for (const variant of variants(policy)) {
            tally.files++;
            if (variant.compiled instanceof RuleSetError) {
              tally.refusedAtLoad++;
              continue;
            }
            let sql: string;
            try {
              sql = compileSql(policy, { dialect: db.dialect, asOf: AS_OF, rules: variant.compiled }).sql;
            } catch (error) {
              // The policy's event schema is checked when the policy first takes the file: a
              // hostile outcome value is refused there, before any SQL is written.
              if (error instanceof RuleSetError) {
                expect(error.issues.every((issue) => issue.code === 'invalid_event'), JSON.stringify(error.issues[0])).toBe(true);
                tally.refusedAtLoad++;
                continue;
              }
              if (!(error instanceof SqlCompileError)) throw error;
              tally.refusedByToSql++;
              continue;
            }
            expectSafeHeader(sql);
            const literal = db.dialect === 'duckdb' ? duckdbString : postgresString;
            for (const text of variant.literals) expect(sql, `${variant.label}: ${JSON.stringify(text)}`).toContain(literal(text));
            await checkAgainstEvaluate(db, policy, loaded, { asOf: AS_OF, rules: variant.compiled, unsupported: beyondSql(db.dialect) });
            tally.queriesRun++;
            tally.rowsCompared += loaded.length;
          }
          expect(readdirSync(TRAP), 'files written by injected SQL').toEqual([]);
        } finally {
          if (session) await db.exec('RESET ALL');
        }
      });
    }

    it('wrote no file, and every query kept its literals as data', () => {
      expect(readdirSync(TRAP)).toEqual([]);
      expect(tally.queriesRun).toBeGreaterThan(SQL_POLICY_IDS.length * 3);
      expect(tally.refusedByToSql).toBeGreaterThanOrEqual(UNSTORABLE.length);
    });
  });
}

const postgres: Database | undefined = DATABASE_ZONE ? await openPostgres() : undefined;
await postgres?.close();
if (DATABASE_ZONE && postgres === undefined && !IN_CI) {
  console.warn(`Skipping the hostile-strings tests on PostgreSQL: no server answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (set SALES_POLICIES_PG_URL, or set one up as .ci/run does). With CI=true they fail instead.`);
}

describe.runIf(DATABASE_ZONE)('hostile rules files through toSql', () => {
  defineHostile('DuckDB', openDuckDb);
  if (postgres !== undefined || IN_CI) {
    const open = async () => {
      const db = await openPostgres();
      if (db === undefined) throw new Error(`no PostgreSQL answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}`);
      return db;
    };
    defineHostile('PostgreSQL', open);
    defineHostile('PostgreSQL with standard_conforming_strings = off', open, 'SET standard_conforming_strings = off');
  }

  it('each dialect\'s literal reads back as the text, PostgreSQL\'s under standard_conforming_strings on and off', async () => {
    const duck = await openDuckDb();
    try {
      const rows = await duck.rows(`SELECT ${STORABLE.map((text, i) => `lower(hex(${duckdbString(text)})) AS "s${i}"`).join(', ')}`);
      expect(Object.values(rows[0]!)).toEqual(STORABLE.map(hex));
    } finally {
      await duck.close();
    }
    const db = postgres === undefined && !IN_CI ? undefined : await openPostgres();
    if (db === undefined) {
      expect(IN_CI, `no PostgreSQL answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}`).toBe(false);
      return;
    }
    try {
      for (const setting of ['on', 'off']) {
        await db.exec(`SET standard_conforming_strings = ${setting}`);
        // Compared as UTF-8 bytes on the server: the driver's text decoding is not under test.
        const rows = await db.rows(`SELECT ${STORABLE.map((text, i) => `encode(convert_to(${postgresString(text)}, 'UTF8'), 'hex') AS "s${i}"`).join(', ')}`);
        expect(Object.values(rows[0]!), setting).toEqual(STORABLE.map(hex));
      }
    } finally {
      await db.close();
    }
  });
});
