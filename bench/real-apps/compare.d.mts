/** Types of bench/real-apps/compare.mjs (the pure part of `npm run bench:real`). */
export type Verdict = 'true' | 'false' | 'debatable';

export interface ReportFinding {
  ruleId: string;
  category: string;
  severity: string;
  file: string;
  line: number;
  fingerprint: string;
  message?: string;
}

export interface LedgerEntry {
  fingerprint: string;
  rule?: string;
  file?: string;
  line?: number;
  verdict: Verdict | string;
  reason?: string;
}

export interface Ledger {
  app?: string;
  entries: LedgerEntry[];
}

export interface Location {
  file: string;
  line: number;
  endLine?: number;
}

export interface RecallItem extends Location {
  id: string;
  category: string;
  title?: string;
  alsoAt?: Location[];
  evidence?: string;
}

export interface RecallSet {
  app?: string;
  items: RecallItem[];
}

export interface Counts {
  findings: number;
  true: number;
  false: number;
  debatable: number;
  untriaged: number;
  falseCritical: number;
  precision: number | null;
  per10k: number | null;
}

export interface AppRun {
  id: string;
  kind?: string;
  lines?: number;
  files?: number;
  wallMs?: number | null;
  maxRssKb?: number | null;
  crash?: string | null;
  report?: { findings: ReportFinding[]; errors?: { file: string; line?: number; message: string }[] };
  excluded?: string[];
  ledger?: Ledger;
  recall?: RecallSet;
}

export interface AppResult extends Counts {
  id: string;
  judged: { finding: ReportFinding; verdict: Verdict | 'untriaged' }[];
  stale: LedgerEntry[];
  recall: { item: RecallItem; found: boolean; by: string[] }[];
  ledgerProblems: string[];
  [key: string]: unknown;
}

export interface Summary {
  totals: Counts & {
    apps: number;
    lines: number;
    files: number;
    recallItems: number;
    recallFound: number;
    recall: number | null;
  };
  rules: Record<string, Counts & { category: string }>;
  categories: Record<string, Counts & { items: number; found: number; recall: number | null; missed: string[] }>;
  apps: (Counts & {
    id: string;
    kind: string;
    lines: number;
    wallMs: number | null;
    maxRssKb: number | null;
    crash: string | null;
    recallItems: number;
    recallFound: number;
    stale: { fingerprint: string; rule?: string; file?: string; line?: number }[];
  })[];
  failures: { app: string; kind: string; detail: string }[];
  passed: boolean;
}

export const CATEGORIES: readonly string[];
export const VERDICTS: readonly Verdict[];
export const README_START: string;
export const README_END: string;
export function ledgerProblems(ledger: Ledger | undefined): string[];
export function matchLedger(
  findings: readonly ReportFinding[],
  ledger: Ledger | undefined,
): { judged: AppResult['judged']; stale: LedgerEntry[] };
export function itemLocations(item: RecallItem): Required<Location>[];
export function findsItem(finding: ReportFinding, item: RecallItem): boolean;
export function matchRecall(findings: readonly ReportFinding[], recall: RecallSet | undefined): AppResult['recall'];
export function precision(counts: { true: number; false: number; debatable: number }): number | null;
export function perTenThousandLines(findings: number, lines: number): number | null;
export function evaluateApp(run: AppRun): AppResult;
export function summarize(apps: readonly AppResult[]): Summary;
export function ratio(value: number | null | undefined): string;
export function renderResults(summary: Summary, options?: { generatedBy?: string }): string;
export function renderReadmeSection(summary: Summary): string;
export function replaceReadmeSection(readme: string, body: string): string;
