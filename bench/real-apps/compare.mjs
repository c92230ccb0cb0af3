// The pure part of `npm run bench:real`: findings against the triage ledger and the recall set,
// precision / recall / noise arithmetic, and the rendering of results.md and the README section.
// No file system, no child processes: run.mjs gathers the inputs, test/bench/ checks this module.

export const CATEGORIES = [
  'secrets',
  'client-exposure',
  'cookies',
  'cors',
  'jwt',
  'oauth',
  'webhooks',
  'tenancy',
  'authz',
  'randomness',
  'timing',
  'logging',
  'llm',
  'supabase',
  'payments',
  'crypto',
];

export const VERDICTS = ['true', 'false', 'debatable'];

/** Problems in a ledger's shape: an unknown verdict, a missing reason, a fingerprint judged twice. */
export function ledgerProblems(ledger) {
  const problems = [];
  const seen = new Set();
  for (const [index, entry] of (ledger?.entries ?? []).entries()) {
    const where = `entry ${String(index)} (${entry.fingerprint ?? 'no fingerprint'})`;
    if (typeof entry.fingerprint !== 'string' || entry.fingerprint === '') problems.push(`${where}: no fingerprint`);
    if (!VERDICTS.includes(entry.verdict))
      problems.push(`${where}: verdict ${JSON.stringify(entry.verdict)} is not one of ${VERDICTS.join(', ')}`);
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') problems.push(`${where}: no reason`);
    if (seen.has(entry.fingerprint)) problems.push(`${where}: the fingerprint is judged twice`);
    seen.add(entry.fingerprint);
  }
  return problems;
}

/**
 * Each finding with the ledger's verdict for its fingerprint ('untriaged' when the ledger has none),
 * and the ledger entries whose fingerprint no finding carries any more (stale: drop them).
 */
export function matchLedger(findings, ledger) {
  const byFingerprint = new Map();
  for (const entry of ledger?.entries ?? [])
    if (!byFingerprint.has(entry.fingerprint)) byFingerprint.set(entry.fingerprint, entry);
  const reported = new Set(findings.map((finding) => finding.fingerprint));
  const judged = findings.map((finding) => {
    const entry = byFingerprint.get(finding.fingerprint);
    return { finding, verdict: entry !== undefined && VERDICTS.includes(entry.verdict) ? entry.verdict : 'untriaged' };
  });
  const stale = (ledger?.entries ?? []).filter((entry) => !reported.has(entry.fingerprint));
  return { judged, stale };
}

/**
 * Files Portcullis reads: TypeScript and JavaScript, SQL migrations, Prisma schemas, Supabase config.
 * A recall item located only in other code (a Python API beside a Next.js front end) is out of the
 * tool's reach: it stays in the recall set and in the plain recall, and is shown apart.
 */
const READ = /\.(?:[cm]?[jt]sx?|sql|prisma|toml)$/i;

/** Whether any location of the item lies in a file Portcullis reads. */
export function inReach(item) {
  return itemLocations(item).some((location) => READ.test(location.file));
}

/** The places a recall item covers: its own location and every `alsoAt`. */
export function itemLocations(item) {
  return [item, ...(item.alsoAt ?? [])].map((location) => ({
    file: location.file,
    line: location.line,
    endLine: location.endLine ?? location.line,
  }));
}

/** A finding finds an item when its category is the item's and its line lies in one of the item's locations. */
export function findsItem(finding, item) {
  if (finding.category !== item.category) return false;
  return itemLocations(item).some(
    (location) => location.file === finding.file && finding.line >= location.line && finding.line <= location.endLine,
  );
}

/** Each recall item with the fingerprints of the findings that find it. */
export function matchRecall(findings, recall) {
  return (recall?.items ?? []).map((item) => {
    const by = findings.filter((finding) => findsItem(finding, item)).map((finding) => finding.fingerprint);
    return { item, found: by.length > 0, by };
  });
}

/** true / (true + false + debatable); null when nothing was judged. */
export function precision(counts) {
  const judged = counts.true + counts.false + counts.debatable;
  return judged === 0 ? null : counts.true / judged;
}

/** Findings per 10,000 lines; null without lines. */
export function perTenThousandLines(findings, lines) {
  return lines > 0 ? (findings * 10_000) / lines : null;
}

function emptyCounts() {
  return { findings: 0, true: 0, false: 0, debatable: 0, untriaged: 0, falseCritical: 0 };
}

function add(counts, { finding, verdict }) {
  counts.findings++;
  counts[verdict]++;
  if (verdict === 'false' && finding.severity === 'critical') counts.falseCritical++;
}

/**
 * One app's run judged: `run` holds what run.mjs measured (id, kind, lines, files, wallMs,
 * maxRssKb, report or crash) and the ledger and recall set read from disk.
 */
export function evaluateApp(run) {
  const findings = run.report?.findings ?? [];
  const { judged, stale } = matchLedger(findings, run.ledger);
  const recall = matchRecall(findings, run.recall);
  const counts = emptyCounts();
  for (const entry of judged) add(counts, entry);
  return {
    id: run.id,
    kind: run.kind ?? '',
    lines: run.lines ?? 0,
    files: run.files ?? 0,
    wallMs: run.wallMs ?? null,
    maxRssKb: run.maxRssKb ?? null,
    crash: run.crash ?? null,
    errors: run.report?.errors ?? [],
    excluded: run.excluded ?? [],
    ...counts,
    precision: precision(counts),
    per10k: perTenThousandLines(counts.findings, run.lines ?? 0),
    judged,
    stale,
    ledgerProblems: ledgerProblems(run.ledger),
    recall,
  };
}

function finish(counts, lines) {
  return { ...counts, precision: precision(counts), per10k: perTenThousandLines(counts.findings, lines) };
}

/**
 * The corpus summary: per rule and per category (findings, verdicts, precision, findings per 10k
 * lines of the whole corpus; recall per category against the recall set), per app, and the reasons
 * the run fails (untriaged findings, crashes, files not read, ledger mistakes).
 */
export function summarize(apps) {
  const lines = apps.reduce((sum, app) => sum + app.lines, 0);
  const total = emptyCounts();
  const rules = new Map();
  const categories = new Map(
    CATEGORIES.map((category) => [category, { ...emptyCounts(), items: 0, found: 0, missed: [], outOfReach: [] }]),
  );
  const categoryOf = (name) => {
    if (!categories.has(name))
      categories.set(name, { ...emptyCounts(), items: 0, found: 0, missed: [], outOfReach: [] });
    return categories.get(name);
  };
  for (const app of apps) {
    for (const entry of app.judged) {
      add(total, entry);
      const { ruleId, category } = entry.finding;
      if (!rules.has(ruleId)) rules.set(ruleId, { category, ...emptyCounts() });
      add(rules.get(ruleId), entry);
      add(categoryOf(category), entry);
    }
    for (const { item, found } of app.recall) {
      const category = categoryOf(item.category);
      category.items++;
      if (found) category.found++;
      else category.missed.push(item.id);
      if (!inReach(item)) category.outOfReach.push(item.id);
    }
  }
  const failures = [];
  for (const app of apps) {
    if (app.crash !== null) failures.push({ app: app.id, kind: 'crash', detail: app.crash });
    for (const error of app.errors)
      failures.push({
        app: app.id,
        kind: 'file-not-read',
        detail: `${error.file}${error.line === undefined ? '' : `:${String(error.line)}`}: ${error.message}`,
      });
    const untriaged = app.judged.filter((entry) => entry.verdict === 'untriaged');
    if (untriaged.length > 0)
      failures.push({
        app: app.id,
        kind: 'untriaged',
        detail: `${String(untriaged.length)} finding(s) not in triage/${app.id}.json`,
      });
    for (const problem of app.ledgerProblems) failures.push({ app: app.id, kind: 'ledger', detail: problem });
  }
  const recallItems = [...categories.values()].reduce((sum, category) => sum + category.items, 0);
  const recallFound = [...categories.values()].reduce((sum, category) => sum + category.found, 0);
  const outOfReach = [...categories.values()].reduce((sum, category) => sum + category.outOfReach.length, 0);
  return {
    totals: {
      apps: apps.length,
      lines,
      files: apps.reduce((sum, app) => sum + app.files, 0),
      ...finish(total, lines),
      recallItems,
      recallFound,
      recall: recallItems === 0 ? null : recallFound / recallItems,
      outOfReach,
      recallInReach: recallItems - outOfReach === 0 ? null : recallFound / (recallItems - outOfReach),
    },
    rules: Object.fromEntries(
      [...rules].sort(([a], [b]) => a.localeCompare(b)).map(([id, counts]) => [id, { ...finish(counts, lines) }]),
    ),
    categories: Object.fromEntries(
      [...categories].map(([name, counts]) => [
        name,
        {
          ...finish(counts, lines),
          items: counts.items,
          found: counts.found,
          recall: counts.items === 0 ? null : counts.found / counts.items,
          missed: counts.missed,
          outOfReach: counts.outOfReach,
          recallInReach:
            counts.items - counts.outOfReach.length === 0
              ? null
              : counts.found / (counts.items - counts.outOfReach.length),
        },
      ]),
    ),
    apps: apps.map((app) => ({
      id: app.id,
      kind: app.kind,
      lines: app.lines,
      files: app.files,
      findings: app.findings,
      true: app.true,
      false: app.false,
      debatable: app.debatable,
      untriaged: app.untriaged,
      falseCritical: app.falseCritical,
      precision: app.precision,
      per10k: app.per10k,
      wallMs: app.wallMs,
      maxRssKb: app.maxRssKb,
      crash: app.crash,
      errors: app.errors.length,
      excluded: app.excluded,
      recallItems: app.recall.length,
      recallFound: app.recall.filter((entry) => entry.found).length,
      stale: app.stale.map((entry) => ({
        fingerprint: entry.fingerprint,
        rule: entry.rule,
        file: entry.file,
        line: entry.line,
      })),
    })),
    failures,
    passed: failures.length === 0,
  };
}

/** A ratio as a fixed two-decimal string, '–' when undefined. */
export function ratio(value) {
  return value === null || value === undefined ? '–' : value.toFixed(2);
}

function number(value, digits = 1) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** A Markdown table: the first column and those named in `text` left-aligned, numbers right-aligned. */
function table(head, rows, text = []) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const align = head.map((name, index) => (index === 0 || text.includes(name) ? '---' : '---:'));
  return [line(head), line(align), ...rows.map(line)].join('\n');
}

function statsRow(name, stats) {
  return [
    name,
    String(stats.findings),
    String(stats.true),
    String(stats.false),
    String(stats.debatable),
    String(stats.untriaged),
    ratio(stats.precision),
    number(stats.per10k, 2),
  ];
}

const STATS_HEAD = ['findings', 'true', 'false', 'debatable', 'untriaged', 'precision', 'per 10k lines'];

/** results.md: the whole summary for people. */
export function renderResults(summary, { generatedBy = 'npm run bench:real' } = {}) {
  const { totals } = summary;
  const out = [];
  out.push('# Real-app benchmark results', '');
  out.push(
    `Generated by \`${generatedBy}\` (bench/real-apps/run.mjs). Precision = true / (true + false + debatable); ` +
      'untriaged findings are not counted in it, and they fail the run.',
    '',
  );
  out.push(
    `**${String(totals.apps)} apps, ${String(totals.lines)} lines, ${String(totals.findings)} findings** — ` +
      `true ${String(totals.true)}, false ${String(totals.false)}, debatable ${String(totals.debatable)}, ` +
      `untriaged ${String(totals.untriaged)}; precision ${ratio(totals.precision)}; ` +
      `${number(totals.per10k, 2)} findings per 10k lines; false critical ${String(totals.falseCritical)}; ` +
      `recall ${ratio(totals.recall)} (${String(totals.recallFound)}/${String(totals.recallItems)} items; ` +
      `${ratio(totals.recallInReach)} of the ${String(totals.recallItems - totals.outOfReach)} in code Portcullis reads).`,
    '',
  );
  out.push(summary.passed ? '**Status: passed.**' : '**Status: FAILED** (see Failures).', '');

  out.push('## Per rule', '');
  out.push(
    table(
      ['rule', 'category', ...STATS_HEAD, 'false critical'],
      Object.entries(summary.rules).map(([id, stats]) => {
        const row = statsRow(id, stats);
        return [row[0], stats.category, ...row.slice(1), String(stats.falseCritical)];
      }),
      ['category'],
    ),
    '',
  );

  out.push('## Per category', '');
  out.push(
    table(
      ['category', ...STATS_HEAD, 'recall items', 'found', 'recall', 'out of reach', 'recall in reach'],
      Object.entries(summary.categories).map(([name, stats]) => [
        ...statsRow(name, stats),
        String(stats.items),
        String(stats.found),
        ratio(stats.recall),
        String(stats.outOfReach.length),
        ratio(stats.recallInReach),
      ]),
    ),
    '',
  );
  const missed = Object.entries(summary.categories).filter(([, stats]) => stats.missed.length > 0);
  out.push('### Recall items missed', '');
  if (missed.length === 0) out.push('None.', '');
  else for (const [name, stats] of missed) out.push(`- ${name}: ${stats.missed.join(', ')}`);
  if (missed.length > 0) out.push('');
  const unreachable = Object.entries(summary.categories).filter(([, stats]) => stats.outOfReach.length > 0);
  if (unreachable.length > 0) {
    out.push(
      '"Out of reach": items only in code Portcullis does not read (not TypeScript, JavaScript, SQL, Prisma or Supabase config). ' +
        'They count as missed in "recall" and are left out of "recall in reach".',
      '',
    );
    for (const [name, stats] of unreachable) out.push(`- ${name}: ${stats.outOfReach.join(', ')}`);
    out.push('');
  }

  out.push('## Per app', '');
  out.push(
    table(
      ['app', 'lines', 'files', 'findings', 'untriaged', 'precision', 'per 10k lines', 'recall', 'wall s', 'peak MiB'],
      summary.apps.map((app) => [
        app.id,
        String(app.lines),
        String(app.files),
        app.crash === null ? String(app.findings) : 'crash',
        String(app.untriaged),
        ratio(app.precision),
        number(app.per10k, 2),
        app.recallItems === 0 ? '–' : `${String(app.recallFound)}/${String(app.recallItems)}`,
        app.wallMs === null ? '–' : number(app.wallMs / 1000, 1),
        app.maxRssKb === null ? '–' : number(app.maxRssKb / 1024, 0),
      ]),
    ),
    '',
  );
  const excluded = summary.apps.filter((app) => app.excluded.length > 0);
  if (excluded.length > 0) {
    out.push('Left out of the materialized sources (blob not in the mirror snapshot):', '');
    for (const app of excluded) out.push(`- ${app.id}: ${app.excluded.join(', ')}`);
    out.push('');
  }

  out.push('## Stale ledger entries', '');
  const stale = summary.apps.flatMap((app) => app.stale.map((entry) => ({ app: app.id, ...entry })));
  if (stale.length === 0) out.push('None.', '');
  else {
    out.push('Their fingerprint is no longer reported: drop them from the ledger.', '');
    for (const entry of stale)
      out.push(
        `- ${entry.app}: ${entry.rule ?? '?'} ${entry.file ?? '?'}:${String(entry.line ?? '?')} (${entry.fingerprint})`,
      );
    out.push('');
  }

  out.push('## Failures', '');
  if (summary.failures.length === 0) out.push('None.', '');
  else {
    for (const failure of summary.failures) out.push(`- ${failure.app}: ${failure.kind}: ${failure.detail}`);
    out.push('');
  }
  return `${out.join('\n')}\n`.replace(/\n{3,}/g, '\n\n');
}

export const README_START = '<!-- accuracy:start -->';
export const README_END = '<!-- accuracy:end -->';

/** The README's "Accuracy on real apps" body (between the markers), from results.json. */
export function renderReadmeSection(summary) {
  const { totals } = summary;
  const out = [];
  out.push(
    `Measured on ${String(totals.apps)} open-source apps nobody here wrote (${String(totals.lines)} lines), pinned by commit in ` +
      '[`bench/real-apps/apps.json`](bench/real-apps/apps.json). Every finding is read and judged true, false or debatable in ' +
      '`bench/real-apps/triage/`; the recall set in `bench/real-apps/recall/` lists the problems found by reading each app. ' +
      'Precision counts debatable findings as wrong. Full results: [`bench/real-apps/results.md`](bench/real-apps/results.md).',
    '',
  );
  out.push(
    `Overall: ${String(totals.findings)} findings, precision ${ratio(totals.precision)}` +
      `${totals.untriaged > 0 ? ` (${String(totals.untriaged)} not yet triaged)` : ''}, ` +
      `${number(totals.per10k, 2)} findings per 10k lines, recall ${ratio(totals.recall)} ` +
      `(${String(totals.recallFound)} of ${String(totals.recallItems)} known problems found; ` +
      `${ratio(totals.recallInReach)} of the ${String(totals.recallItems - totals.outOfReach)} in code Portcullis reads — ` +
      'the rest are in a Python API it does not analyse).',
    '',
  );
  out.push(
    table(
      ['app', 'kind', 'lines', 'findings', 'precision'],
      summary.apps.map((app) => [
        app.id.replace('+', '/'),
        app.kind,
        String(app.lines),
        app.crash === null ? String(app.findings) : 'crash',
        ratio(app.precision),
      ]),
      ['kind'],
    ),
    '',
  );
  out.push(
    table(
      ['category', 'findings', 'precision', 'per 10k lines', 'recall', 'recall in reach'],
      Object.entries(summary.categories)
        .filter(([, stats]) => stats.findings > 0 || stats.items > 0)
        .map(([name, stats]) => [
          name,
          String(stats.findings),
          ratio(stats.precision),
          number(stats.per10k, 2),
          stats.items === 0 ? '–' : `${ratio(stats.recall)} (${String(stats.found)}/${String(stats.items)})`,
          stats.items === 0
            ? '–'
            : `${ratio(stats.recallInReach)} (${String(stats.found)}/${String(stats.items - stats.outOfReach.length)})`,
        ]),
    ),
    '',
  );
  out.push(READ_ME_REPRODUCE);
  return out.join('\n');
}

export const READ_ME_REPRODUCE = [
  'To reproduce: fetch a bare git mirror of each app in `bench/real-apps/apps.json` into one folder (`<folder>/<owner>+<name>/repo`',
  'or `<folder>/<owner>+<name>.git`, e.g. `git clone --mirror https://github.com/<owner>/<name> <folder>/<owner>+<name>.git`),',
  'then `PORTCULLIS_MIRRORS=<folder> npm run bench:real` (add `--app <owner>+<name>` for one app). The apps are',
  'materialized outside the repository (`PORTCULLIS_REAL_APPS`, default `$TMPDIR/portcullis-real-apps`); the run fails',
  'when a finding is untriaged, a check crashes or a file could not be read.',
].join('\n');

/** The README with the text between the accuracy markers replaced (the markers stay). */
export function replaceReadmeSection(readme, body) {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start)
    throw new Error(`the README has no ${README_START} … ${README_END} section`);
  return `${readme.slice(0, start + README_START.length)}\n${body.trim()}\n${readme.slice(end)}`;
}
