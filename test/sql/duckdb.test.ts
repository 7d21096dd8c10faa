import { describe } from 'vitest';
import { defineEquivalence } from './equivalence.js';
import { DATABASE_ZONE, openDuckDb } from './harness.js';

// The SQL that toSql writes for DuckDB, run in embedded DuckDB on generated facts, against
// evaluate. Heavy, and independent of the machine's zone (every call passes asOf and no covered
// policy reads a date), so it runs in the TZ=UTC project only.
describe.runIf(DATABASE_ZONE)('toSql for DuckDB decides as evaluate does', () => {
  defineEquivalence(openDuckDb);
});
