import { jsonError } from '../errors.js';
import type { GenerateResult } from './engine.js';

/** The `--json` shape of `new` / `add`: what an AI builder needs to decide its next call. */
export function generateJson(result: GenerateResult): string {
  const { created, updated, unchanged, conflicts, skipped, nextSteps } = result;
  return `${JSON.stringify(
    {
      written: result.written,
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
  if (!result.dryRun && !result.written)
    lines.push(`Stopped: files you changed would be overwritten, so nothing was written to ${result.target}.`);
  const verb = result.written ? '' : 'would ';
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

/** A run stopped by conflicts, as `--json` reports a failure: every conflict with its diff. */
export function conflictJson(result: GenerateResult): string {
  const count = result.conflicts.length;
  return `${JSON.stringify(
    jsonError(
      'conflict',
      `${String(count)} file(s) you changed would be overwritten; nothing was written. Merge each diff by hand and run again, or re-run with --force.`,
      undefined,
      {
        conflicts: result.conflicts.map(({ path, reason, diff }) => ({ path, reason, diff })),
        wouldCreate: result.created,
        wouldUpdate: result.updated,
      },
    ),
    null,
    2,
  )}\n`;
}

/** What `new` / `add` print, and their exit code: 1 when conflicts stopped the run (or would, with --dry-run). */
export function generateOutput(result: GenerateResult, json: boolean): { text: string; exitCode: 0 | 1 } {
  const stopped = result.conflicts.length > 0 && !result.written && !result.dryRun;
  const text = json ? (stopped ? conflictJson(result) : generateJson(result)) : generateText(result);
  const forced = result.conflicts.every((conflict) => conflict.newFile !== undefined);
  return { text, exitCode: result.conflicts.length > 0 && !forced ? 1 : 0 };
}
