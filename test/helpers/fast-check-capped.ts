// fast-check for mutation runs (vitest.mutation.config.ts aliases `fast-check` here): the same
// library, with every property's numRuns capped at FC_MAX_RUNS so that the suite, run once per
// mutant, stays affordable on two cores. Never used by `npm test`.
import { expect } from 'vitest';
import real from 'fast-check-real';

export * from 'fast-check-real';

const cap = Number(process.env['FC_MAX_RUNS'] ?? 0);

// These tests also assert that their generator reached a case often enough (an absolute count),
// which a capped run cannot meet: they keep their own numRuns. (The heavier ones of that kind are
// skipped in mutation runs: see mutation-setup.ts.)
const UNCAPPED = ['allocated amounts are two-place, ≥ 0 and sum exactly to pool', 'only when neither a lease nor a letter of intent was signed (COM-9)'];

type Assert = typeof real.assert;

function capFor(params: Parameters<Assert>[1]): Parameters<Assert>[1] {
  const name = expect.getState().currentTestName ?? '';
  // A fixed seed: the dry run and every mutant's run see the same cases.
  const seeded = { seed: 8, ...params };
  if (cap <= 0 || UNCAPPED.some((test) => name.includes(test))) return seeded;
  return { ...seeded, numRuns: Math.min(params?.numRuns ?? 100, cap) };
}

/** `fc.assert` with `numRuns` capped at FC_MAX_RUNS. */
export const assert = ((property: Parameters<Assert>[0], params?: Parameters<Assert>[1]) => real.assert(property as never, capFor(params) as never)) as Assert;

const capped: typeof real = { ...real, assert };
export default capped;
