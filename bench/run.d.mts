/** Types of the part of bench/run.mjs the smoke test uses. */
export interface CategoryScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  falsePositives: string[];
  falseNegatives: string[];
}

export interface PortcullisUnderTest {
  plugin: { configs: { recommended: unknown; strict: unknown } };
  allMetadata: () => Map<string, { category: string }>;
  runCheck: (options: { cwd: string; cache: false }) => Promise<{
    findings: { ruleId: string; file: string; line: number; category: string; message: string }[];
  }>;
  checks: readonly { meta: { id: string } }[];
  categories: readonly string[];
}

export function scorePortcullisCases(portcullis?: PortcullisUnderTest): Promise<{
  files: number;
  expected: number;
  crashes: { file: string; rule: string; error: string }[];
  perCategory: Record<string, CategoryScore>;
}>;
