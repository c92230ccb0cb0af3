import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';

import plugin, { PLUGIN_NAMESPACE, presetRules } from '../../eslint-plugin/index.js';
import type { FileError, Finding } from '../catalog/finding.js';
import { FileFingerprinter } from '../catalog/fingerprint.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { toPosix } from './files.js';

export interface LintOptions {
  root: string;
  files: readonly string[];
  preset: 'recommended' | 'strict';
  /** Per-rule options supplied by the analyzer (e.g. tenant-scoped models from the schema). */
  ruleOptions?: Readonly<Record<string, unknown>>;
  /** ESLint's own content cache; a warm run re-lints only changed files. */
  cacheLocation?: string;
  metadata: ReadonlyMap<string, SecurityMetadata>;
}

export interface LintResult {
  findings: Finding[];
  errors: FileError[];
  /** Findings an `eslint-disable` comment silenced, with the comment's `-- reason` ('' when it has none). */
  disabled: (Finding & { justification: string })[];
  /** The same results per file (relative path), for the cache. */
  perFile: Map<string, { findings: Finding[]; disabled: (Finding & { justification: string })[]; errors: FileError[] }>;
}

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

/** The flat config `check` runs with: our preset over TS and JS, whatever config the project has. */
export function checkConfig(options: Pick<LintOptions, 'preset' | 'ruleOptions'>): Linter.Config[] {
  const rules: Linter.RulesRecord = { ...presetRules(options.preset) };
  for (const [id, value] of Object.entries(options.ruleOptions ?? {})) {
    const key = `${PLUGIN_NAMESPACE}/${id}`;
    if (key in rules) rules[key] = ['error', value];
  }
  return [
    {
      files: TS_FILES,
      languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module' },
    },
    {
      files: JS_FILES,
      languageOptions: {
        parser: tsParser as Linter.Parser,
        parserOptions: { ecmaFeatures: { jsx: true } },
      },
    },
    {
      files: [...TS_FILES, ...JS_FILES],
      plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as ESLint.Plugin },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules,
    },
  ];
}

type EngineOptions = Pick<LintOptions, 'root' | 'preset' | 'ruleOptions' | 'cacheLocation'>;

/** The ESLint options `check` lints with; also what each lint worker thread builds for itself. */
export function eslintOptions(options: EngineOptions, concurrency: number | 'off' = 'off'): ESLint.Options {
  return {
    cwd: options.root,
    overrideConfigFile: true,
    overrideConfig: checkConfig(options),
    ignore: false,
    errorOnUnmatchedPattern: false,
    concurrency,
    ...(options.cacheLocation === undefined
      ? {}
      : { cache: true, cacheLocation: options.cacheLocation, cacheStrategy: 'content' as const }),
  };
}

/** Below this many files, starting worker threads (each loads ESLint, the parser and TypeScript) costs more than it saves. */
const MIN_FILES_PER_WORKER = 200;

/**
 * How many ESLint worker threads to lint with: one per core up to four when there are enough files
 * to pay for their start-up (`PORTCULLIS_LINT_WORKERS` overrides; 0 or 1 means none). Only the built
 * package can run workers: they import this module as plain JavaScript.
 */
export function lintWorkerCount(files: number, env: NodeJS.ProcessEnv = process.env): number {
  if (!import.meta.url.endsWith('.js')) return 0;
  const override = env.PORTCULLIS_LINT_WORKERS;
  const wanted =
    override !== undefined && /^\d+$/.test(override)
      ? Number(override)
      : Math.min(4, availableParallelism(), Math.floor(files / MIN_FILES_PER_WORKER));
  return wanted >= 2 ? Math.min(wanted, files) : 0;
}

/** ESLint with our config; with workers, the options come from a module each worker thread imports. */
async function createEngine(options: EngineOptions, workers: number): Promise<ESLint> {
  if (workers === 0) return new ESLint(eslintOptions(options));
  const settings = {
    root: options.root,
    preset: options.preset,
    ...(options.ruleOptions === undefined ? {} : { ruleOptions: options.ruleOptions }),
    ...(options.cacheLocation === undefined ? {} : { cacheLocation: options.cacheLocation }),
  };
  const source = `import { eslintOptions } from ${JSON.stringify(import.meta.url)};\nexport default eslintOptions(${JSON.stringify(settings)}, ${String(workers)});\n`;
  // ESLint warns when workers spend much of their time starting; `check` chose the count, not the
  // user, so the warning would only be noise in the report's stderr. ESLint captures the emitter
  // when it is constructed: filter it for that instance only.
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (rest[0] === 'ESLintPoorConcurrencyWarning') return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await ESLint.fromOptionsModule(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  } finally {
    process.emitWarning = emit;
  }
}

/** Runs the plugin's preset through ESLint's Node API, independent of any config the project has. */
export async function lintFiles(options: LintOptions): Promise<LintResult> {
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const disabled: LintResult['disabled'] = [];
  const perFile: LintResult['perFile'] = new Map();
  if (options.files.length === 0) return { findings, errors, disabled, perFile };

  const eslint = await createEngine(options, lintWorkerCount(options.files.length));
  const results = await eslint.lintFiles([...options.files]);
  const prefix = `${PLUGIN_NAMESPACE}/`;

  for (const result of results) {
    const file = toPosix(relative(options.root, result.filePath));
    const own: { findings: Finding[]; disabled: LintResult['disabled']; errors: FileError[] } = {
      findings: [],
      disabled: [],
      errors: [],
    };
    perFile.set(file, own);
    let fingerprinter: FileFingerprinter | undefined;
    const toFinding = (message: Linter.LintMessage): Finding | undefined => {
      if (message.ruleId === null || !message.ruleId.startsWith(prefix)) return undefined;
      const id = message.ruleId.slice(prefix.length);
      const meta = options.metadata.get(id);
      if (meta === undefined) return undefined;
      fingerprinter ??= new FileFingerprinter(result.filePath, result.source ?? readFileSync(result.filePath, 'utf8'));
      const position = {
        line: message.line,
        column: message.column,
        endLine: message.endLine ?? message.line,
        endColumn: message.endColumn ?? message.column,
      };
      return {
        ruleId: id,
        category: meta.category,
        severity:
          (message.messageId === undefined ? undefined : meta.messageSeverity?.[message.messageId]) ?? meta.severity,
        file,
        ...position,
        message: message.message,
        fingerprint: fingerprinter.fingerprint({ ruleId: id, file, ...position }),
      };
    };
    for (const message of result.messages) {
      if (message.fatal === true) {
        own.errors.push({
          file,
          line: message.line,
          column: message.column,
          message: `Could not parse: ${message.message}`,
        });
        continue;
      }
      const finding = toFinding(message);
      if (finding !== undefined) own.findings.push(finding);
    }
    for (const message of result.suppressedMessages) {
      const finding = toFinding(message);
      if (finding === undefined) continue;
      const justification = message.suppressions
        .map((suppression) => suppression.justification.trim())
        .find((text) => text !== '');
      own.disabled.push({ ...finding, justification: justification ?? '' });
    }
    findings.push(...own.findings);
    errors.push(...own.errors);
    disabled.push(...own.disabled);
  }
  return { findings, errors, disabled, perFile };
}
