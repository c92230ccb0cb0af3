import type { CheckResult } from '../check/run-check.js';

export const FORMATS = ['text', 'json', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** A route as the posture report lists it (the `routes --json` row). */
export interface PostureRoute {
  method: string;
  path: string;
  file: string;
  line: number;
  guard: string | null;
  public: string | null;
  readsOrChangesData: boolean;
  webhook: boolean;
  handlerResolved: boolean;
}

/** What the posture report shows beyond the check result: the scope and the app around it. */
export interface PostureContext {
  /** The app's name (package.json), if any. */
  name?: string;
  /** The paths given on the command line, relative to where it ran. */
  paths: readonly string[];
  /** `git rev-parse HEAD` of the scanned root, with "(modified)" when the tree is dirty. */
  commit?: string;
  /** ISO 8601 time of the run. */
  date: string;
  preset: string;
  /** Modules that Portcullis generated into the app (from .portcullis/manifest.json). */
  modules: readonly string[];
  routes?: readonly PostureRoute[];
  /** The text of a file relative to the root, for code excerpts. */
  source?: (file: string) => string | undefined;
}

export interface ReportContext {
  /** Colour and TTY niceties are for people at a terminal only. */
  color: boolean;
  /** Only the HTML posture report reads it. */
  posture?: PostureContext;
  /** SARIF: the repository root paths are relative to (default: the scanned root) and the run category. */
  sarif?: { repoRoot?: string; automationId?: string };
}

export type Reporter = (result: CheckResult, context: ReportContext) => string;
