import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlPolicyId } from '../../src/sql/index.js';
import { SQL_POLICY_IDS } from '../../src/sql/index.js';
import { bundledCaseFiles, ROOT } from '../helpers/case-files.js';
import { factsOf } from './generators.js';
import type { Database } from './harness.js';
import { beyondSql, checkAgainstEvaluate, layoutsOf, loadFacts, sqlColumns } from './harness.js';
import { engineOf } from '../../src/core/policy.js';
import { POLICIES } from '../../src/policies.js';

const AS_OF = '2026-01-01';

/** The bundled rules file of each SQL policy, relative to the repository root: the policy's own. */
export const RULES_FILES: Readonly<Record<string, string>> = Object.fromEntries(SQL_POLICY_IDS.map((id) => [id, engineOf(POLICIES[id]).definition.rulesFile]));

/** Every clause id the bundled rules of a policy can put in a basis. */
function clauseIds(policy: SqlPolicyId): Set<string> {
  const json = JSON.parse(readFileSync(join(ROOT, RULES_FILES[policy]!), 'utf8')) as { rules: { name: string; event: { params?: { basis?: string[] } } }[] };
  return new Set(json.rules.flatMap((rule) => rule.event.params?.basis ?? [rule.name]));
}

/**
 * The equivalence tests, for one database: for each covered policy, fast-check generates batches
 * of facts, the batch becomes the `facts` table, and every row of the SQL's result must match
 * `evaluate` (outcome and basis, or the refusal). Every clause must show up in some basis, so the
 * generator is known to reach every rule; the bundled case files run through the SQL too.
 */
export function defineEquivalence(open: () => Promise<Database>): void {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const policy of SQL_POLICY_IDS) {
    it(`${policy}: the SQL decides every generated row as evaluate does, boundaries included`, async () => {
      const seen = new Set<string>();
      let decided = 0;
      let refused = 0;
      for (const layout of layoutsOf(policy)) {
        await fc.assert(
          fc.asyncProperty(fc.array(factsOf(policy), { minLength: 100, maxLength: 400 }), async (batch) => {
            const loaded = await loadFacts(db, policy, batch, layout);
            const tally = await checkAgainstEvaluate(db, policy, loaded, { asOf: AS_OF });
            for (const id of tally.basis) seen.add(id);
            decided += tally.decided;
            refused += tally.refused;
          }),
          // Shrinking reruns the query for every smaller batch: a failing batch is reported as generated, rows and all.
          { numRuns: 12, endOnFailure: true },
        );
      }
      expect([...clauseIds(policy)].filter((id) => !seen.has(id)), 'clauses no generated row reached').toEqual([]);
      expect(decided).toBeGreaterThan(500);
      // A table of booleans alone (conduct) holds no row evaluate refuses.
      if (Object.values(sqlColumns(policy).facts).some((fact) => fact.kind !== 'flag')) expect(refused).toBeGreaterThan(0);
    });
  }

  it('the bundled case files decide the same in SQL (every case a row can hold)', async () => {
    let compared = 0;
    for (const { cases } of bundledCaseFiles()) {
      if (!(SQL_POLICY_IDS as readonly string[]).includes(cases.policy)) continue;
      const policy = cases.policy as SqlPolicyId;
      // Dates before the first parameter version are refused by both (INVALID_OPTIONS), tested with toSql itself.
      for (const asOf of [...new Set(cases.cases.map((c) => c.asOf ?? cases.asOf))].filter((date): date is string => date !== undefined && date >= '2017-04-26')) {
        const batch = cases.cases.filter((c) => (c.asOf ?? cases.asOf) === asOf && c.timeZone === undefined).map((c) => c.facts as Record<string, unknown>);
        const loaded = await loadFacts(db, policy, batch);
        await checkAgainstEvaluate(db, policy, loaded, { asOf, unsupported: beyondSql(db.dialect) });
        compared += loaded.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
}
