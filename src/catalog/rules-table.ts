import type { SecurityMetadata } from './metadata.js';

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

/** The README's rule table: one row per rule or check, sorted by id. */
export function renderRulesTable(rules: readonly SecurityMetadata[]): string {
  const rows = [...rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((rule) => {
      const preset = rule.recommended === true ? 'recommended' : rule.recommended === 'strict' ? 'strict' : '—';
      const kind = rule.kind === 'check' ? 'project check' : rule.kind === 'meta' ? 'gate' : 'ESLint rule';
      return `| [\`${rule.id}\`](eslint-plugin/docs/rules/${rule.id}.md) | ${rule.description} | ${rule.category} | ${rule.severity} | ${rule.cwe.join(', ')} | ${preset} | ${kind} |`;
    });
  return [
    '| Rule | Description | Category | Severity | CWE | Preset | Kind |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function replaceRulesTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) throw new Error('README.md has no rules:start/rules:end markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** The README with a fresh rule table, formatted the way `prettier --write` leaves it. */
export async function updatedReadme(
  readme: string,
  rules: readonly SecurityMetadata[],
  readmePath: string,
): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(readmePath)) ?? {};
  return prettier.format(replaceRulesTable(readme, renderRulesTable(rules)), { ...config, filepath: readmePath });
}
