import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that take minutes (they generate apps and run npm, tsc and the apps' own tests), longest first.
 * A clean CI clone has no timing cache, so vitest would keep glob order and start the longest files last,
 * leaving one worker idle while the other finishes them: started first, they overlap with everything else.
 */
const LONGEST_FIRST = [
  'test/cli/generate-contract.test.ts',
  'test/generators/webhook.test.ts',
  'test/generators/tenancy.test.ts',
  'test/generators/auth.test.ts',
  'test/generators/keys.test.ts',
  'test/generators/payments.test.ts',
  'test/generators/',
  'test/generate/engine.test.ts',
  'test/generate/composition.test.ts',
  'test/check/project-root.test.ts',
  'test/cli/generate-commands.test.ts',
  'test/mcp/',
  'test/analyzer/typed.test.ts',
  'test/check/gate.test.ts',
];

function rank(spec: TestSpecification): number {
  const path = spec.moduleId.replaceAll('\\', '/');
  const index = LONGEST_FIRST.findIndex((prefix) => path.includes(`/${prefix}`));
  return index === -1 ? LONGEST_FIRST.length : index;
}

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // A stable sort: within one rank (and for every other file) vitest's own order stays.
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

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
    sequence: { sequencer: LongestFirstSequencer },
  },
});
