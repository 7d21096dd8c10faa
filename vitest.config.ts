import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The whole suite runs once per zone: the machine's zone must never decide a date. Node re-reads
// process.env.TZ when it is assigned, so each project's workers really run in that zone (the
// time-zone test checks it).
const ZONES = ['Asia/Shanghai', 'UTC', 'America/Los_Angeles'];

export default defineConfig({
  test: {
    // Property tests generate thousands of cases; give them room on a 2-core CI machine.
    testTimeout: 120_000,
    // One worker per core, not vitest's default of one fewer: on CI's two cores that default is a
    // single worker, and much of the suite waits on spawned CLIs, DuckDB and a browser, leaving the
    // other core idle (the whole suite: 344 s here with two workers; 748 s in the last CI run with one).
    maxWorkers: availableParallelism(),
    setupFiles: ['test/helpers/fast-check-seed.ts', 'test/helpers/rule-loader.ts'],
    projects: ZONES.map((zone) => ({
      extends: true,
      test: {
        name: `TZ=${zone}`,
        include: ['test/**/*.test.ts'],
        // Tests that drive a browser or spawn the built CLI on whole rule folders (its conventions,
        // init, docs and the explorer page) check no date arithmetic of their
        // own and take up to a minute each: the UTC project runs them, once. The library they call
        // runs in every zone; impact's dated rows (test/cli/impact*.test.ts) do too.
        exclude:
          zone === 'UTC'
            ? []
            : [
                'test/explorer/explorer.browser.test.ts',
                'test/explorer/explorer-html.test.ts',
                'test/toolkit/validate-cli.test.ts',
                'test/toolkit/test-diff-docs-cli.test.ts',
                'test/hostile/hostile-cli.test.ts',
                'test/readme-examples.test.ts',
                'test/cli/conventions.test.ts',
                'test/cli/init.test.ts',
                'test/cli/docs-data.test.ts',
                'test/cli/impact-postgres.test.ts',
              ],
        env: { TZ: zone },
      },
    })),
  },
});
