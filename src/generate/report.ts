import type { GenerateResult } from './engine.js';

/** The `--json` shape of `new` / `add`: what an AI builder needs to decide its next call. */
export function generateJson(result: GenerateResult): string {
  const { created, updated, unchanged, conflicts, skipped, nextSteps } = result;
  return `${JSON.stringify(
    {
      created,
      updated,
      unchanged,
      conflicts,
      skipped,
      nextSteps,
      ...(result.dryRun ? { dryRun: true, diff: result.diff } : {}),
    },
    null,
    2,
  )}\n`;
}

/** Human summary; with `--dry-run` the unified diff comes first. */
export function generateText(result: GenerateResult): string {
  const lines: string[] = [];
  if (result.dryRun) {
    if (result.diff !== '') lines.push(result.diff.trimEnd(), '');
    lines.push(`Dry run: nothing was written to ${result.target}.`);
  }
  const verb = result.dryRun ? 'would ' : '';
  for (const path of result.created) lines.push(`  ${verb}create  ${path}`);
  for (const path of result.updated) lines.push(`  ${verb}update  ${path}`);
  for (const { path, reason } of result.skipped) lines.push(`  skipped ${path}: ${reason}`);
  for (const conflict of result.conflicts) {
    lines.push(`  CONFLICT ${conflict.path}: ${conflict.reason}`);
    if (conflict.newFile !== undefined) lines.push(`           new version ${verb}written to ${conflict.newFile}`);
    lines.push(
      conflict.diff
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n'),
    );
  }
  lines.push(
    `${String(result.created.length)} created, ${String(result.updated.length)} updated, ${String(result.unchanged.length)} unchanged, ${String(result.conflicts.length)} conflict(s), ${String(result.skipped.length)} skipped.`,
  );
  if (result.nextSteps.length > 0) lines.push('', 'Next steps:', ...result.nextSteps.map((step) => `  ${step}`));
  return `${lines.join('\n')}\n`;
}
