import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The suite as Stryker runs it once per mutant (`npm run mutation`): one zone, only the tests that
// exercise src/ in-process (no CLI or browser tests: they run dist/, which mutants never reach),
// and every fast-check property capped at FC_MAX_RUNS runs. `npm test` does not use this file.
// Stryker runs the tests in worker threads, which take the zone of the process: set it here too.
process.env['TZ'] = 'Asia/Shanghai';

const realFastCheck = fileURLToPath(import.meta.resolve('fast-check'));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^fast-check$/, replacement: fileURLToPath(new URL('./test/helpers/fast-check-capped.ts', import.meta.url)) },
      { find: /^fast-check-real$/, replacement: realFastCheck },
    ],
  },
  test: {
    testTimeout: 60_000,
    // One module graph for every test file: Stryker re-runs the covering tests once per mutant, and
    // re-importing the library per file cost more than the tests (about 3x the run time).
    isolate: false,
    setupFiles: ['test/helpers/mutation-setup.ts', 'test/helpers/rule-loader.ts'],
    include: ['test/**/*.test.ts'],
    // The fuzzing tests check robustness over thousands of calls: too slow to run per mutant. The
    // README examples, the hostile CLI runs and the packed-package consumers run dist/, which the
    // sandbox does not hold and mutants never reach.
    exclude: [
      'test/cli/**',
      'test/explorer/**',
      'test/toolkit/**',
      'test/reliability/package.test.ts',
      'test/reliability/*-fuzz.test.ts',
      'test/readme-examples.test.ts',
      'test/hostile/hostile-cli.test.ts',
      'test/consumers.test.ts',
      'test/init-consumer.test.ts',
    ],
    env: { TZ: 'Asia/Shanghai', FC_MAX_RUNS: process.env['FC_MAX_RUNS'] ?? '25', FUZZ_RUNS: process.env['FUZZ_RUNS'] ?? '10' },
  },
});
