import type { CheckResult } from '../check/run-check.js';

export const FORMATS = ['text', 'json', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  /** Colour and TTY niceties are for people at a terminal only. */
  color: boolean;
}

export type Reporter = (result: CheckResult, context: ReportContext) => string;
