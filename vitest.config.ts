import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Property tests generate thousands of cases; give them room on a 2-core CI machine.
    testTimeout: 60_000,
  },
});
