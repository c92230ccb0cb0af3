import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most long tests wait on child processes (npm, tsc, generated test runs): two workers keep both cores busy.
    maxWorkers: 2,
  },
});
