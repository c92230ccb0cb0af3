import { createHash } from 'node:crypto';

import { CATEGORIES, SEVERITIES, compareSeverity, type Category } from '../catalog/categories.js';
import type { Finding, SuppressedFinding } from '../catalog/finding.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import type { CheckResult } from '../check/run-check.js';
import { PACKAGE_VERSION } from '../version.js';
import type { PostureContext, PostureRoute, Reporter } from './types.js';

/**
 * The checklist areas of a security review, each judged from the categories of findings that bear on
 * it and from the generated modules that cover it.
 */
export const POSTURE_AREAS: readonly {
  id: string;
  title: string;
  categories: readonly Category[];
  modules: readonly string[];
  notAssessed?: string;
}[] = [
  {
    id: 'authentication',
    title: 'Authentication',
    categories: ['jwt', 'oauth', 'cookies', 'timing'],
    modules: ['auth'],
  },
  { id: 'authorization', title: 'Authorization', categories: ['authz', 'cors'], modules: ['rbac'] },
  { id: 'tenant-isolation', title: 'Tenant isolation', categories: ['tenancy', 'supabase'], modules: ['tenancy'] },
  { id: 'payments', title: 'Payments', categories: ['payments', 'webhooks'], modules: ['payments', 'webhook'] },
  { id: 'ai-controls', title: 'AI controls', categories: ['llm'], modules: ['ai-guard'] },
  {
    id: 'data-protection',
    title: 'Data protection',
    categories: ['secrets', 'client-exposure', 'crypto', 'randomness'],
    modules: ['keys'],
  },
  {
    id: 'observability',
    title: 'Observability and supply chain',
    categories: ['logging'],
    modules: ['audit'],
    notAssessed: 'dependency audit and SBOM are not part of this check',
  },
];

export type AreaStatus = 'findings' | 'covered' | 'no findings' | 'not assessed';

export interface AreaSummary {
  id: string;
  title: string;
  status: AreaStatus;
  findings: number;
  modules: string[];
  rules: number;
  note?: string;
}

/** The status of each checklist area: the same numbers the JSON report gives, grouped. */
export function postureAreas(result: CheckResult, modules: readonly string[]): AreaSummary[] {
  return POSTURE_AREAS.map((area) => {
    const findings = result.findings.filter((f) => area.categories.includes(f.category)).length;
    const rules = result.rules.filter((rule) => area.categories.includes(rule.category)).length;
    const present = area.modules.filter((module) => modules.includes(module));
    const status: AreaStatus =
      findings > 0 ? 'findings' : present.length > 0 ? 'covered' : rules > 0 ? 'no findings' : 'not assessed';
    return {
      id: area.id,
      title: area.title,
      status,
      findings,
      modules: present,
      rules,
      ...(area.notAssessed === undefined ? {} : { note: area.notAssessed }),
    };
  });
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Messages carry `code` spans in Markdown; the page shows them as code, never as literal backticks. */
function prose(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const n = (count: number): string => String(count);

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--critical:#8250df;--high:#cf222e;--medium:#bc4c00;--low:#0969da;--ok:#1a7f37}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--bg:#0d1117;--panel:#151b23}}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:2rem;color:var(--fg);background:var(--bg)}
h1{margin:0 0 .25rem}h2{margin-top:2.5rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}h3{margin:1.5rem 0 .5rem}
.muted,small{color:var(--muted)}code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:var(--panel);padding:.6rem .8rem;overflow:auto;border-radius:6px;margin:.4rem 0}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
dl.scope{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}dl.scope dt{color:var(--muted)}dl.scope dd{margin:0}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.card{border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.6rem}.sev{font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.04em}
.critical{color:var(--critical)}.high{color:var(--high)}.medium{color:var(--medium)}.low{color:var(--low)}
.status{font-weight:600}.status.findings{color:var(--high)}.status.covered,.status.no-findings{color:var(--ok)}.status.not-assessed{color:var(--muted)}
.gate.failed{color:var(--high)}.gate.passed{color:var(--ok)}
.finding{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin:.6rem 0}
.bar-critical{fill:var(--critical)}.bar-high{fill:var(--high)}.bar-medium{fill:var(--medium)}.bar-low{fill:var(--low)}svg text{fill:var(--fg);font:12px system-ui,sans-serif}
`;

/** A strict policy: nothing loads, nothing runs; only this page's own style block (by hash) applies. */
function contentSecurityPolicy(): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

function excerpt(finding: Finding, source: string | undefined): string {
  if (source === undefined) return '';
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, finding.line - 2);
  const to = Math.min(lines.length, Math.max(finding.endLine, finding.line) + 2);
  if (from > lines.length) return '';
  const width = String(to).length;
  const body = lines
    .slice(from - 1, to)
    .map((line, i) => {
      const number = from + i;
      const marker = number >= finding.line && number <= Math.max(finding.endLine, finding.line) ? '>' : ' ';
      return `${marker} ${String(number).padStart(width)} | ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
    })
    .join('\n');
  return `<pre>${esc(body)}</pre>`;
}

function findingBlock(
  finding: Finding,
  rule: SecurityMetadata | undefined,
  context: PostureContext | undefined,
): string {
  const cwe = rule?.cwe.length ? ` · ${rule.cwe.map(esc).join(', ')}` : '';
  const docs = rule === undefined ? esc(finding.ruleId) : `<a href="${esc(rule.url)}">${esc(finding.ruleId)}</a>`;
  return `<div class="finding"><span class="sev ${finding.severity}">${finding.severity}</span> <code>${esc(finding.file)}:${n(finding.line)}:${n(finding.column)}</code> · ${docs}${cwe}
<p>${prose(finding.message)}</p>${finding.fix === undefined ? '' : `<p><small>Fix:</small> ${prose(finding.fix)}</p>`}
${excerpt(finding, context?.source?.(finding.file))}</div>`;
}

function byCategoryChart(findings: readonly Finding[]): string {
  const rows = CATEGORIES.map((category) => ({
    category,
    counts: SEVERITIES.map(
      (severity) => findings.filter((f) => f.category === category && f.severity === severity).length,
    ),
  })).filter((row) => row.counts.some((count) => count > 0));
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((row) => row.counts.reduce((a, b) => a + b, 0)));
  const height = rows.length * 24 + 8;
  const bars = rows
    .map((row, i) => {
      let x = 130;
      const y = i * 24 + 4;
      const segments = row.counts
        .map((count, s) => {
          if (count === 0) return '';
          const width = Math.max(2, Math.round((count / max) * 400));
          const rect = `<rect class="bar-${SEVERITIES[s]!}" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="18"><title>${n(count)} ${SEVERITIES[s]!}</title></rect>`;
          x += width;
          return rect;
        })
        .join('');
      const total = row.counts.reduce((a, b) => a + b, 0);
      return `<text x="0" y="${n(y + 14)}">${esc(row.category)}</text>${segments}<text x="${n(x + 6)}" y="${n(y + 14)}">${n(total)}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="Findings by category and severity" width="600" height="${n(height)}" viewBox="0 0 600 ${n(height)}">${bars}</svg>`;
}

function routeStatus(route: PostureRoute): { status: string; detail: string } {
  if (route.guard !== null) return { status: 'guarded', detail: route.guard };
  if (route.public !== null) return { status: 'public', detail: route.public };
  if (route.webhook) return { status: 'webhook', detail: 'verified by signature, not by session' };
  if (!route.handlerResolved) return { status: 'unknown', detail: 'handler not found in the project' };
  if (route.readsOrChangesData) return { status: 'unguarded', detail: 'reads or changes data with no guard' };
  return { status: 'no guard', detail: 'no data access' };
}

function suppressedRows(suppressed: readonly SuppressedFinding[]): string {
  return suppressed
    .map(
      (f) =>
        `<tr><td><span class="sev ${f.severity}">${f.severity}</span></td><td>${f.suppression.kind === 'baseline' ? 'baseline' : 'inline'}</td><td><code>${esc(f.file)}:${n(f.line)}</code></td><td>${esc(f.ruleId)}</td><td>${f.suppression.justification === undefined ? '<span class="muted">no reason given</span>' : esc(f.suppression.justification)}</td></tr>`,
    )
    .join('\n');
}

/**
 * A posture report a lead can forward: one self-contained page (no scripts, no external assets, a
 * strict CSP) with the scope, the checklist areas, findings by category and by file, what was
 * suppressed and why, and the route inventory.
 */
export const htmlReporter: Reporter = (result, context) => {
  const posture = context.posture;
  const rulesById = new Map(result.rules.map((rule) => [rule.id, rule]));
  const areas = postureAreas(result, posture?.modules ?? []);
  const sorted = [...result.findings].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || a.file.localeCompare(b.file) || a.line - b.line,
  );
  const baselined = result.suppressed.filter((f) => f.suppression.kind === 'baseline').length;
  const inline = result.suppressed.length - baselined;
  const severityCards = SEVERITIES.map(
    (severity) =>
      `<div class="card" data-severity="${severity}"><span class="sev ${severity}">${severity}</span><b>${n(result.findings.filter((f) => f.severity === severity).length)}</b></div>`,
  ).join('');

  const scope: [string, string][] = [
    [
      'Scanned',
      posture?.paths.length ? posture.paths.map((p) => `<code>${esc(p)}</code>`).join(', ') : '<code>.</code>',
    ],
    [
      'Commit',
      posture?.commit === undefined
        ? '<span class="muted">not a git repository</span>'
        : `<code>${esc(posture.commit)}</code>`,
    ],
    ['Date', esc(posture?.date ?? new Date().toISOString())],
    [
      'Project',
      result.project === undefined
        ? '<span class="muted">not read</span>'
        : `${n(result.project.files)} files from ${result.project.tsconfig.length === 0 ? 'every source file (no tsconfig)' : result.project.tsconfig.map((t) => `<code>${esc(t)}</code>`).join(', ')}${result.project.types ? ', with types' : ''}`,
    ],
    ['Files checked', n(result.filesScanned)],
    ['Preset', esc(posture?.preset ?? 'recommended')],
    [
      'Rules and checks',
      `${n(result.rules.length)} <details><summary>list</summary>${result.rules.map((r) => `<code>${esc(r.id)}</code>`).join(' ')}</details>`,
    ],
    [
      'Gate',
      `<span class="gate ${result.failed ? 'failed' : 'passed'}">${result.failed ? 'failed' : 'passed'}</span> at ${esc(result.failOn)} and above`,
    ],
    ['Tool', `Portcullis ${esc(PACKAGE_VERSION)}`],
  ];

  const areaRows = areas
    .map(
      (area) =>
        `<tr data-area="${area.id}"><td>${esc(area.title)}</td><td><span class="status ${area.status.replace(' ', '-')}">${area.status}</span></td><td data-findings="${n(area.findings)}">${n(area.findings)}</td><td>${area.modules.length === 0 ? '<span class="muted">none</span>' : area.modules.map(esc).join(', ')}</td><td>${n(area.rules)}${area.note === undefined ? '' : ` <small>(${esc(area.note)})</small>`}</td></tr>`,
    )
    .join('\n');

  const byCategory = CATEGORIES.filter((category) => sorted.some((f) => f.category === category))
    .map((category) => {
      const list = sorted.filter((f) => f.category === category);
      return `<h3 id="category-${category}">${esc(category)} <small>(${n(list.length)})</small></h3>\n${list.map((f) => findingBlock(f, rulesById.get(f.ruleId), posture)).join('\n')}`;
    })
    .join('\n');

  const files = [...new Set(sorted.map((f) => f.file))].sort();
  const byFile = files
    .map((file) => {
      const list = sorted.filter((f) => f.file === file);
      const worst = list[0]!.severity;
      return `<tr><td><code>${esc(file)}</code></td><td>${n(list.length)}</td><td><span class="sev ${worst}">${worst}</span></td><td>${[...new Set(list.map((f) => f.ruleId))].map(esc).join(', ')}</td></tr>`;
    })
    .join('\n');

  const routes = posture?.routes;
  const routeSection =
    routes === undefined
      ? '<p class="muted">The route inventory was not read.</p>'
      : (() => {
          const rows = routes.map((route) => ({ route, ...routeStatus(route) }));
          const count = (status: string): number => rows.filter((row) => row.status === status).length;
          return `<p data-routes="${n(routes.length)}">${n(routes.length)} routes: ${n(count('guarded'))} guarded, ${n(count('public'))} public with a reason, ${n(count('webhook'))} webhooks, <span class="high">${n(count('unguarded'))} unguarded</span>, ${n(count('unknown'))} unknown, ${n(count('no guard'))} without data access.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Where</th><th>Status</th><th>Guard or reason</th></tr></thead><tbody>
${rows.map(({ route, status, detail }) => `<tr><td>${esc(route.method)}</td><td><code>${esc(route.path)}</code></td><td><code>${esc(route.file)}:${n(route.line)}</code></td><td class="${status === 'unguarded' ? 'high' : ''}">${status}</td><td>${esc(detail)}</td></tr>`).join('\n')}
</tbody></table>`;
        })();

  const stale = (result.staleBaseline ?? [])
    .map((e) => `<li><code>${esc(e.file)}</code> ${esc(e.ruleId)} <small>${esc(e.fingerprint)}</small></li>`)
    .join('\n');
  const errors = result.errors
    .map((e) => `<li><code>${esc(e.file)}${e.line === undefined ? '' : `:${n(e.line)}`}</code>: ${esc(e.message)}</li>`)
    .join('\n');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="referrer" content="no-referrer">
<title>Security posture report${posture?.name === undefined ? '' : ` — ${esc(posture.name)}`}</title>
<style>${STYLE}</style>
</head><body>
<header><h1>Security posture report${posture?.name === undefined ? '' : ` — ${esc(posture.name)}`}</h1>
<p class="muted">What Portcullis found in this code base: the checklist areas, every finding with its fix, what was suppressed and why, and the route inventory.</p></header>
<section id="scope"><h2>Scope</h2><dl class="scope">${scope.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></section>
<section id="summary"><h2>Summary</h2>
<div class="cards"><div class="card"><span class="sev">findings</span><b data-total="${n(result.findings.length)}">${n(result.findings.length)}</b></div>${severityCards}<div class="card"><span class="sev">suppressed</span><b data-suppressed="${n(result.suppressed.length)}">${n(result.suppressed.length)}</b><small>${n(baselined)} by baseline, ${n(inline)} inline</small></div></div>
${byCategoryChart(result.findings)}</section>
<section id="checklist"><h2>Checklist</h2>
<table><thead><tr><th>Area</th><th>Status</th><th>Findings</th><th>Generated modules</th><th>Rules that ran</th></tr></thead><tbody>
${areaRows}
</tbody></table></section>
<section id="findings"><h2>Findings by category</h2>
${byCategory === '' ? '<p>No findings.</p>' : byCategory}</section>
<section id="files"><h2>Findings by file</h2>
${byFile === '' ? '<p>No findings.</p>' : `<table><thead><tr><th>File</th><th>Findings</th><th>Worst</th><th>Rules</th></tr></thead><tbody>\n${byFile}\n</tbody></table>`}</section>
<section id="suppressed"><h2>Suppressed</h2>
<p>${n(baselined)} by baseline, ${n(inline)} inline.</p>
${result.suppressed.length === 0 ? '' : `<table><thead><tr><th>Severity</th><th>By</th><th>Location</th><th>Rule</th><th>Reason</th></tr></thead><tbody>\n${suppressedRows(result.suppressed)}\n</tbody></table>`}
${stale === '' ? '' : `<h3>Stale baseline entries (remove them)</h3><ul>${stale}</ul>`}</section>
<section id="routes"><h2>Route inventory</h2>
${routeSection}</section>
${errors === '' ? '' : `<section id="errors"><h2>Files that could not be checked</h2><ul>${errors}</ul></section>`}
</body></html>
`;
};
