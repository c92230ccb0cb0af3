import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    // Generous: the suite runs on a loaded 2-core machine, where a 30 s test can take minutes. A hung
    // test still fails; speed is measured by the benchmarks, never by timeouts.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most long tests wait on child processes (npm, tsc, generated test runs): two workers keep both cores busy.
    maxWorkers: 2,
  },
});
