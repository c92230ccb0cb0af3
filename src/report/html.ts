import { SEVERITIES } from '../catalog/categories.js';
import { PACKAGE_VERSION } from '../version.js';
import { summaryLine } from './text.js';
import type { Reporter } from './types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** A standalone HTML page (no scripts, no external assets) for people reading a CI artifact. */
export const htmlReporter: Reporter = (result) => {
  const rows = result.findings
    .map(
      (f) =>
        `<tr class="${f.severity}"><td>${escapeHtml(f.severity)}</td><td><code>${escapeHtml(f.file)}:${String(f.line)}:${String(f.column)}</code></td><td>${escapeHtml(f.message)}${f.fix === undefined ? '' : `<br><small>fix: <code>${escapeHtml(f.fix)}</code></small>`}</td><td><a href="${escapeHtml(result.rules.find((r) => r.id === f.ruleId)?.url ?? '#')}">${escapeHtml(f.ruleId)}</a></td></tr>`,
    )
    .join('\n');
  const counts = SEVERITIES.map(
    (s) => `<li class="${s}">${s}: ${String(result.findings.filter((f) => f.severity === s).length)}</li>`,
  ).join('');
  const errors = result.errors
    .map((e) => `<li><code>${escapeHtml(e.file)}</code>: ${escapeHtml(e.message)}</li>`)
    .join('\n');
  const suppressed = result.suppressed
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.suppression.kind)}</td><td><code>${escapeHtml(f.file)}:${String(f.line)}</code></td><td>${escapeHtml(f.message)}</td><td>${escapeHtml(f.ruleId)}</td><td>${escapeHtml(f.suppression.justification ?? '')}</td></tr>`,
    )
    .join('\n');
  const stale = (result.staleBaseline ?? [])
    .map(
      (e) =>
        `<li><code>${escapeHtml(e.file)}</code> ${escapeHtml(e.ruleId)} <small>${escapeHtml(e.fingerprint)}</small></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Portcullis report</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}.critical td:first-child{color:#a0a}.high td:first-child{color:#c00}.medium td:first-child{color:#b60}.low td:first-child{color:#068}ul.counts{display:flex;gap:1rem;list-style:none;padding:0}</style>
</head><body>
<h1>Portcullis report</h1>
<p>${escapeHtml(summaryLine(result.findings, result.filesScanned, result.errors.length, result.suppressed.length))} Portcullis ${escapeHtml(PACKAGE_VERSION)}, failing on ${escapeHtml(result.failOn)} and above.</p>
<ul class="counts">${counts}</ul>
<table><thead><tr><th>Severity</th><th>Location</th><th>Finding</th><th>Rule</th></tr></thead><tbody>
${rows}
</tbody></table>
${suppressed === '' ? '' : `<h2>Suppressed</h2><table><thead><tr><th>By</th><th>Location</th><th>Finding</th><th>Rule</th><th>Reason</th></tr></thead><tbody>\n${suppressed}\n</tbody></table>`}
${stale === '' ? '' : `<h2>Stale baseline entries (remove them)</h2><ul>${stale}</ul>`}
${errors === '' ? '' : `<h2>Files that could not be checked</h2><ul>${errors}</ul>`}
</body></html>
`;
};
