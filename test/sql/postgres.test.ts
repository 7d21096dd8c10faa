import { describe, it } from 'vitest';
import { defineEquivalence } from './equivalence.js';
import type { Database } from './harness.js';
import { DATABASE_ZONE, IN_CI, openPostgres, PG_URL } from './harness.js';

// The SQL that toSql writes for PostgreSQL, run on a real server against evaluate. `.ci/run`
// installs Debian's PostgreSQL, starts it on loopback and passes SALES_POLICIES_PG_URL; on a
// machine without a server these tests skip with a message, and with CI set they fail instead.
// Like the DuckDB tests they run in the TZ=UTC project only: heavy, and independent of the zone.
const db: Database | undefined = DATABASE_ZONE ? await openPostgres() : undefined;
await db?.close();

if (DATABASE_ZONE && db === undefined && !IN_CI) {
  console.warn(`Skipping the PostgreSQL tests: no server answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (set SALES_POLICIES_PG_URL, or set one up as .ci/run does). With CI=true they fail instead.`);
}

describe.runIf(DATABASE_ZONE && db === undefined && IN_CI)('PostgreSQL in CI', () => {
  it('is reachable (.ci/run starts it and sets SALES_POLICIES_PG_URL)', () => {
    throw new Error(`no PostgreSQL answers at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}`);
  });
});

describe.runIf(DATABASE_ZONE && db !== undefined)('toSql for PostgreSQL decides as evaluate does', () => {
  defineEquivalence(async () => (await openPostgres())!);
});
