// Setup of `npm test` (vitest.config.ts): which cases fast-check generates.
//
// In CI (CI=true) every property runs from one fixed seed, so a change lands or not on its own
// merits, never on a lucky draw: a red CI blocks the merge. Elsewhere each run draws a new seed and
// explores new cases; a failure prints its seed, and FC_SEED=<seed> replays it anywhere, CI included.
// Long exploration runs: FUZZ_RUNS=20000 npx vitest run test/reliability (see README, Reliability).
import fc from 'fast-check';

const CI_SEED = 20261123;

const given = process.env['FC_SEED'];
const seed = given !== undefined && given !== '' ? Number(given) : process.env['CI'] === 'true' ? CI_SEED : undefined;
if (seed !== undefined) {
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, received ${JSON.stringify(given)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
