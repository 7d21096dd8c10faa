import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, PolicyInputError, RuleSetError, UnknownPolicyError } from '../../src/index.js';
import { compileSql, SQL_POLICY_IDS, SqlCompileError, toSql } from '../../src/sql/index.js';
import type { SqlPolicyId } from '../../src/sql/index.js';
import { ROOT } from '../helpers/case-files.js';
import { declaredFacts, definePolicy, engineOf } from '../../src/core/policy.js';
import type { FixtureDiscountCheckedFacts, FixtureDiscountFacts } from '../fixtures/registry/facts-types.js';
import { fixtureDiscount } from '../fixtures/registry/discount.js';
import type { Database } from './harness.js';
import { checkAgainstEvaluate, DATABASE_ZONE, loadFacts, openDuckDb, openPostgres } from './harness.js';

const AS_OF = '2026-01-01';
const rulesOf = (file: string) => JSON.parse(readFileSync(join(ROOT, 'rules', file), 'utf8'));
// review.approval with thresholds of its own (400,000 and 2,000,000): the compiler is tested on it, so an
// analyst's change to rules/review/approval.rules.json moves only the case files.
const approvalFixture = () => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/engine/approval.rules.json'), 'utf8'));

/** The error a compile throws, for its code and fields. */
function compileError(run: () => unknown): SqlCompileError {
  try {
    run();
  } catch (error) {
    if (error instanceof SqlCompileError) return error;
    throw error;
  }
  throw new Error('expected a SqlCompileError');
}

describe('toSql', () => {
  it('writes one query per covered policy and dialect, reading "facts" and never a binary float', () => {
    for (const policy of SQL_POLICY_IDS) {
      for (const dialect of ['duckdb', 'postgres'] as const) {
        const sql = toSql(policy, { dialect, asOf: AS_OF });
        expect(sql).toMatch(/FROM "facts"/);
        expect(sql.trim().endsWith(';')).toBe(false);
        expect(sql).not.toMatch(/AS (DOUBLE|FLOAT|REAL|double precision)\b|::(float|double|real)/i);
        expect(toSql(policy, { dialect, asOf: AS_OF })).toBe(sql);
      }
    }
  });

  it('names the input and output columns, with basis and error last', () => {
    const query = compileSql('review.approval', { dialect: 'postgres', asOf: AS_OF });
    expect(query.inputs.map((c) => c.name)).toEqual(['amount', 'channel', 'disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']);
    expect(query.outputs.map((c) => c.name)).toEqual(['authority', 'route', 'basis', 'error']);
    expect(query.asOf).toBe(AS_OF);
    expect(query.sql).toContain('"repeatBatch"');
  });

  it('writes the parameters in force on asOf as literals', () => {
    const rules = approvalFixture();
    rules.parameters.push({ from: '2027-01-01', values: { ...rules.parameters[0].values, directorLimit: 600000 } });
    expect(toSql('review.approval', { dialect: 'duckdb', asOf: '2026-12-31', rules })).toContain("CAST('400000' AS DECIMAL(38,10))");
    const later = toSql('review.approval', { dialect: 'duckdb', asOf: '2027-01-01', rules });
    expect(later).toContain("CAST('600000' AS DECIMAL(38,10))");
    expect(later).not.toContain("'400000'");
  });

  it('refuses options as evaluate does, and an unknown dialect', () => {
    expect(() => toSql('review.approval', { dialect: 'duckdb', asOf: '2017-04-25' })).toThrow(PolicyInputError);
    expect(() => toSql('review.approval', { dialect: 'sqlite' as never })).toThrow(/options.dialect|dialect is one of duckdb, postgres/);
    expect(() => toSql('review.aproval' as never, { dialect: 'duckdb' })).toThrow(UnknownPolicyError);
    expect(() => toSql('review.approval', { dialect: 'duckdb', rules: { policy: 'review.approval' } })).toThrow(RuleSetError);
  });

  it('names a policy it does not cover with a typed error', () => {
    const error = compileError(() => toSql('review.readiness' as SqlPolicyId, { dialect: 'duckdb' }));
    expect(error.code).toBe('SQL_UNSUPPORTED');
    expect(error.feature).toBe('policy review.readiness');
    expect(error.message).toMatch(/toSql covers the policies .*: review.approval, /);
  });

  // The generic path: a first-hit policy whose decide reads only the fired rule gets its SQL from
  // its metadata; one whose decide reads the facts, or that derives facts, needs SQL of its own.
  it('finds the policies it covers from the policies, and refuses a decide that reads the facts', () => {
    expect([...SQL_POLICY_IDS].sort()).toEqual(['commission.allocation', 'commission.conduct', 'commission.handler', 'followUp.escalation', 'fulfilment.spending', 'review.approval', 'review.arbitration']);
    expect(compileError(() => toSql('followUp.workflow' as SqlPolicyId, { dialect: 'duckdb' })).message).toMatch(/derives facts in TypeScript/);
    expect(compileError(() => toSql('selling.closingTechnique' as SqlPolicyId, { dialect: 'duckdb' })).message).toMatch(/collect-all/);
    const { definition } = engineOf(fixtureDiscount);
    const { rules, rulesFile, event } = definition;
    const readsFacts = definePolicy({ id: 'fixture.discount', rules, rulesFile, event, facts: declaredFacts<FixtureDiscountFacts, FixtureDiscountCheckedFacts>, decide: (fired, facts) => ({ outcome: { tier: facts.loyal ? 'gold' : fired[0]!.definition.event.params.tier } }) });
    const error = compileError(() => toSql(readsFacts, { dialect: 'duckdb', asOf: '2026-06-01' }));
    expect(error.message).toMatch(/its decide reads the facts \(loyal\)/);
    expect(toSql(fixtureDiscount, { dialect: 'postgres', asOf: '2026-06-01' })).toContain('"o:tier"');
  });

  describe('names each rule feature it cannot compile, with where it is', () => {
    const approval = () => approvalFixture();
    const cases: [string, (rules: any) => void, RegExp][] = [
      ['a comparison of two facts', (r) => (r.rules[1].conditions.all[0] = { fact: 'channel', operator: 'equal', value: { fact: 'disputed' } }), /compares two facts/],
      ['ordering a string', (r) => (r.rules[1].conditions.all[0] = { fact: 'channel', operator: 'lessThan', value: 'x' }), /ordering a string value/],
      ['a fact the SQL does not read', (r) => ((r.facts.priority = { type: 'integer', description: 'x' }), (r.rules[1].conditions.all[0] = { fact: 'priority', operator: 'equal', value: 1 })), /"priority" is not a fact/],
      ['a path on a fact that is not an object', (r) => (r.rules[1].conditions.all[0] = { fact: 'channel', path: '$.x', operator: 'equal', value: 'x' }), /path "\$\.x"/],
      ['money declared as text', (r) => ((r.facts.amount = { type: 'string', description: 'x' }), (r.rules[3].conditions.all[1].value = '500000')), /declares "amount" as string/],
    ];
    for (const [name, edit, message] of cases) {
      it(name, () => {
        const rules = approval();
        edit(rules);
        const error = compileError(() => toSql('review.approval', { dialect: 'duckdb', asOf: AS_OF, rules }));
        expect(error.code).toBe('SQL_UNSUPPORTED');
        expect(error.message).toMatch(message);
        expect(error.at).toMatch(/^rules\[\d+\]\.conditions/);
      });
    }

    it('an unknown member of referral', () => {
      const rules = rulesOf('commission/allocation.rules.json');
      rules.rules[1].conditions.all[1].path = '$.referrerAgentPhone';
      expect(compileError(() => toSql('commission.allocation', { dialect: 'postgres', asOf: AS_OF, rules })).message).toMatch(/\$\.referrerAgentContacted/);
    });
  });

  it('orders agents by code point, as the SQL does (U+FF5E before U+1F600, though UTF-16 puts it after)', () => {
    const decision = evaluate('commission.allocation', { pool: '10000.01', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['😀', '～'], closer: '😀', receivingAgents: ['😀', '～'], protectedBy: null }, { asOf: AS_OF });
    expect(decision.outcome).toEqual({ status: 'allocated', shares: [{ agent: '～', percent: 50, amount: '5000.01' }, { agent: '😀', percent: 50, amount: '5000.00' }] });
  });
});

// Custom rule sets and the SQL's documented limits, run in the databases (TZ=UTC project only).
describe.runIf(DATABASE_ZONE)('toSql on custom rules and at its limits', () => {
  let duck: Database;
  let postgres: Database | undefined;
  beforeAll(async () => {
    duck = await openDuckDb();
    postgres = await openPostgres();
  });
  afterAll(async () => {
    await duck?.close();
    await postgres?.close();
  });
  const databases = () => [duck, ...(postgres ? [postgres] : [])];

  const approvalFacts = ['0', '400000', '400000.01', '1999999.99', '2000000'].flatMap((amount) =>
    [true, false].flatMap((disputed) => ['direct', 'distributor'].map((channel) => ({ amount, channel, disputed, repeatBatch: disputed }))),
  );

  it('refuses, as evaluate does, a rule whose event names no authority: at compile time, with the JSON path', () => {
    const rules = approvalFixture();
    rules.rules[3].event.params.authority = 'ceo';
    expect(() => toSql('review.approval', { dialect: 'duckdb', asOf: AS_OF, rules })).toThrow(RuleSetError);
    expect(() => toSql('review.approval', { dialect: 'duckdb', asOf: AS_OF, rules })).toThrow(/rules\[3\]\.event\.params\.authority/);
  });

  it('gives RULE_GAP where evaluate does: a rule set with a gap', async () => {
    const rules = approvalFixture();
    rules.rules.splice(7, 1); // no rule for orders of 3,000,000 and more (D-REV-2: of either channel)
    for (const db of databases()) {
      const tally = await checkAgainstEvaluate(db, 'review.approval', await loadFacts(db, 'review.approval', approvalFacts), { asOf: AS_OF, rules });
      expect(tally.gaps).toBe(4); // 3,000,000, direct or distributor, disputed or not
      expect(tally.decided).toBeGreaterThan(2);
    }
  });

  it('decides as evaluate does with the parameters of the asOf date, and a collect-all rule set', async () => {
    const rules = approvalFixture();
    rules.parameters.push({ from: '2027-01-01', values: { ...rules.parameters[0].values, directorLimit: 600000, vpLimit: '2999999.99' } });
    const collectAll = { ...approvalFixture(), decision: 'collect-all' };
    for (const db of databases()) {
      const loaded = await loadFacts(db, 'review.approval', [...approvalFacts, { amount: '550000', channel: 'direct' }]);
      for (const asOf of ['2026-06-30', '2027-01-01']) await checkAgainstEvaluate(db, 'review.approval', loaded, { asOf, rules });
      const tally = await checkAgainstEvaluate(db, 'review.approval', loaded, { asOf: AS_OF, rules: collectAll });
      expect(tally.basis.size).toBeGreaterThanOrEqual(3);
    }
  });

  it('splits 0.01, 0.03 and 10000.01 at 50/50 to the fen, the remainder to the first agent in byte order (D-COM-2)', async () => {
    const deal = (pool: string) => ({ pool, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['wang', 'li'], closer: 'wang', receivingAgents: ['wang', 'li'], protectedBy: null });
    const pools = { '0.01': ['0.01', '0.00'], '0.03': ['0.02', '0.01'], '10000.01': ['5000.01', '5000.00'] };
    for (const db of databases()) {
      const loaded = await loadFacts(db, 'commission.allocation', Object.keys(pools).map(deal));
      const tally = await checkAgainstEvaluate(db, 'commission.allocation', loaded, { asOf: AS_OF });
      expect(tally.decided).toBe(3);
      const rows = await db.rows(`${toSql('commission.allocation', { dialect: db.dialect, asOf: AS_OF })} ORDER BY "id"`);
      expect(rows.map((row) => (row['shares'] as { agent: string; amount: string }[]).map((share) => `${share.agent} ${share.amount}`))).toEqual(
        Object.values(pools).map(([first, second]) => [`li ${first}`, `wang ${second}`]),
      );
    }
  });

  it('gives RULE_GAP in commission.allocation where a rule pays one agent twice or names no agent', async () => {
    const rules = rulesOf('commission/allocation.rules.json');
    // Plain lease, one handler: give the closer and the handlers 50% each (one agent twice), and
    // the protector 100% in the protected-by-the-closer rule without a protector check.
    const plain = rules.rules.findIndex((r: any) => r.name === 'COM-4' && r.priority === 50);
    rules.rules[plain].event.params.shares = [{ role: 'closer', percent: 50 }, { role: 'handlers', percentEach: 50 }];
    const facts = [
      { pool: '100', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['li'], closer: 'li', receivingAgents: ['li'], protectedBy: null },
      { pool: '100', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['li', 'wang'], closer: 'li', receivingAgents: ['li', 'wang'], protectedBy: null },
    ];
    for (const db of databases()) {
      const tally = await checkAgainstEvaluate(db, 'commission.allocation', await loadFacts(db, 'commission.allocation', facts), { asOf: AS_OF, rules });
      expect(tally.gaps).toBe(1);
    }
  });

  it('refuses, never rounds, what it cannot hold: more than 10 places in DuckDB, pools of 10^16, DOUBLE columns', async () => {
    const rows = async (db: Database, policy: SqlPolicyId, create: string, insert: string) => {
      await db.exec('DROP TABLE IF EXISTS facts');
      await db.exec(create);
      await db.exec(insert);
      return db.rows(`${toSql(policy, { dialect: db.dialect, asOf: AS_OF, ...(policy === 'review.approval' ? { rules: approvalFixture() } : {}) })} ORDER BY "id"`);
    };
    const tiny = '400000.00000000001';
    expect(evaluate('review.approval', { amount: tiny, channel: 'direct' }, { asOf: AS_OF, rules: approvalFixture() }).outcome.authority).toBe('sales_vp');
    const approvalTable = (money: string) => `CREATE TEMPORARY TABLE facts ("id" INTEGER, "amount" ${money}, "channel" VARCHAR, "disputed" BOOLEAN, "repeatBatch" BOOLEAN, "technicalTermsChanged" BOOLEAN, "priceChanged" BOOLEAN)`;
    const [duckTiny] = await rows(duck, 'review.approval', approvalTable('VARCHAR'), `INSERT INTO facts VALUES (1, '${tiny}', 'direct', NULL, NULL, NULL, NULL)`);
    expect(duckTiny).toMatchObject({ authority: null, error: expect.stringMatching(/^SQL_UNSUPPORTED amount: /) });
    const [duckDouble] = await rows(duck, 'review.approval', approvalTable('DOUBLE'), `INSERT INTO facts VALUES (1, 500000.01, 'direct', NULL, NULL, NULL, NULL)`);
    expect(duckDouble).toMatchObject({ authority: null, error: expect.stringMatching(/^SQL_UNSUPPORTED amount: .*not binary floating point/) });
    if (postgres) {
      const [pgTiny] = await rows(postgres, 'review.approval', approvalTable('text'), `INSERT INTO facts VALUES (1, '${tiny}', 'direct', NULL, NULL, NULL, NULL)`);
      expect(pgTiny).toMatchObject({ authority: 'sales_vp', error: null });
      const [pgDouble] = await rows(postgres, 'review.approval', approvalTable('double precision'), `INSERT INTO facts VALUES (1, 500000.01, 'direct', NULL, NULL, NULL, NULL)`);
      expect(pgDouble).toMatchObject({ error: expect.stringMatching(/^SQL_UNSUPPORTED amount: /) });
    }
    for (const db of databases()) {
      const huge = { pool: '10000000000000000', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['li'], closer: 'li', receivingAgents: ['li'], protectedBy: null };
      expect(evaluate('commission.allocation', huge as never, { asOf: AS_OF }).outcome.status).toBe('allocated');
      await loadFacts(db, 'commission.allocation', [huge]);
      const [row] = await db.rows(toSql('commission.allocation', { dialect: db.dialect, asOf: AS_OF }));
      expect(row).toMatchObject({ status: null, shares: null, error: expect.stringMatching(/^SQL_UNSUPPORTED pool: .*DECIMAL\(18,2\)/) });
    }
  });
});

describe.runIf(DATABASE_ZONE)('toSql in a DuckDB session whose default collation ignores case', () => {
  it('still compares strings byte for byte, as evaluate does', async () => {
    const db = await openDuckDb();
    try {
      await db.exec(`SET default_collation = 'nocase'`);
      const approval = [{ amount: '1', channel: 'Direct' }, { amount: '1', channel: 'direct' }];
      const tally = await checkAgainstEvaluate(db, 'review.approval', await loadFacts(db, 'review.approval', approval), { asOf: AS_OF });
      expect(tally).toMatchObject({ decided: 1, refused: 1 });
      const deal = { pool: '0.03', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['li', 'Li'], closer: 'li', receivingAgents: ['li', 'Li'], protectedBy: null };
      const referred = { ...deal, handlers: ['li'], receivingAgents: ['li'], referral: { referrerAgent: 'LI', referrerAgentContacted: true, referrerAgentPresent: false, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: 'half' } };
      const shares = await checkAgainstEvaluate(db, 'commission.allocation', await loadFacts(db, 'commission.allocation', [deal, referred, { ...deal, protectedBy: 'LI' }]), { asOf: AS_OF });
      expect(shares.decided).toBe(3);
    } finally {
      await db.close();
    }
  });
});
