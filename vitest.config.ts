import { defineConfig } from 'vitest/config';

// The whole suite runs once per zone: the machine's zone must never decide a date. Node re-reads
// process.env.TZ when it is assigned, so each project's workers really run in that zone (the
// time-zone test checks it).
const ZONES = ['Asia/Shanghai', 'UTC', 'America/Los_Angeles'];

export default defineConfig({
  test: {
    // Property tests generate thousands of cases; give them room on a 2-core CI machine.
    testTimeout: 120_000,
    projects: ZONES.map((zone) => ({
      extends: true,
      test: {
        name: `TZ=${zone}`,
        include: ['test/**/*.test.ts'],
        env: { TZ: zone },
      },
    })),
  },
});
