// Setup of the mutation runs (vitest.mutation.config.ts), never of `npm test`. Stryker runs every
// test that covers a surviving mutant; these few cost seconds each (brute-force oracles over
// long registration sequences, a long generator), more than the rest of the suite together, so
// mutation runs skip them, and the two that run the built CLI. `npm test` runs them as always.
import { beforeEach } from 'vitest';

const SKIPPED_IN_MUTATION_RUNS = [
  'never more than 20 active entries per agent on any date',
  'the cap and the period come from the rules file',
  'client, agent and register answers agree with SPEC §2 read literally',
  'list_full is reached and agrees with the oracle on crowded lists',
  'reads a long generator once, keeping one record per day and source',
  // These run the built CLI (dist/), which the sandbox does not hold and mutants never reach.
  'validate stops listing a parameter once it is no longer an example',
  'the CLI reports the example parameters as warnings',
  '1. on the CLI too: sql refuses the rules folder, validate names the parameter',
  'the CLI validate reports it with exit 1',
  // Compares the generated file's text, which Stryker's sandbox changes (a `// @ts-nocheck` line).
  'are up to date with the rules files (else: run npm run generate)',
];

beforeEach((context) => {
  if (SKIPPED_IN_MUTATION_RUNS.some((name) => context.task.name.includes(name))) context.skip();
});
