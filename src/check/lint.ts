import { availableParallelism } from 'node:os';
import { relative } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';

import plugin, { PLUGIN_NAMESPACE, presetRules } from '../../eslint-plugin/index.js';
import type { FileError, Finding } from '../catalog/finding.js';
import { FileFingerprinter } from '../catalog/fingerprint.js';
import { repositoryPath } from '../discovery/root.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { PACKAGE_VERSION } from '../version.js';
import { hasUtf16Bom, readSourceText, toPosix } from '../discovery/files.js';

export interface LintOptions {
  root: string;
  /** `root` relative to the repository root ('' when they are one): fingerprints hash repository paths. */
  fingerprintPrefix?: string;
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

/** `/* eslint-env … *\/` block comments: ESLint 9+ rejects a file that has one with a fatal message. */
const ESLINT_ENV_COMMENT = /\/\*\s*eslint-env(?:\s[^]*?)?\*\//g;

/**
 * The text with every `/* eslint-env … *\/` comment replaced by spaces of the same length (line
 * breaks kept), so ESLint 9+ lints the file instead of refusing it and every position stays where it
 * was. The environments it names only declared globals for core rules; our rules do not read them.
 */
export function neutralizeEslintEnv(text: string): string {
  if (!text.includes('eslint-env')) return text;
  return text.replace(ESLINT_ENV_COMMENT, (comment) => comment.replace(/[^\r\n]/g, ' '));
}

/** Lints each file as itself with its `eslint-env` comments blanked (see `neutralizeEslintEnv`). */
const eslintEnvProcessor: Linter.Processor = {
  meta: { name: 'portcullis/neutralize-eslint-env', version: PACKAGE_VERSION },
  preprocess: (text) => [neutralizeEslintEnv(text)],
  postprocess: (messages) => messages.flat(),
  supportsAutofix: true,
};
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
      processor: eslintEnvProcessor,
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

/**
 * Warnings ESLint emits about choices `check` made, not the user: too many workers for the work
 * (check chose the count) and an `.eslintignore` in the project (check lints with its own config and
 * honours .gitignore; `.eslintignore` is a style-lint ignore file that ESLint itself no longer reads,
 * so a security check does not skip what it lists). They would only be noise in the report's stderr.
 */
const CHECK_OWN_WARNINGS = new Set(['ESLintPoorConcurrencyWarning', 'ESLintIgnoreWarning']);

/**
 * Builds an ESLint instance with those warnings filtered. ESLint captures the emitter when it is
 * constructed: the filter applies to that instance only, and to everything it emits later.
 */
async function withoutCheckWarnings(build: () => ESLint | Promise<ESLint>): Promise<ESLint> {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type !== undefined && CHECK_OWN_WARNINGS.has(type)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await build();
  } finally {
    process.emitWarning = emit;
  }
}

/** ESLint with our config; with workers, the options come from a module each worker thread imports. */
async function createEngine(options: EngineOptions, workers: number): Promise<ESLint> {
  if (workers === 0) return withoutCheckWarnings(() => new ESLint(eslintOptions(options)));
  const settings = {
    root: options.root,
    preset: options.preset,
    ...(options.ruleOptions === undefined ? {} : { ruleOptions: options.ruleOptions }),
    ...(options.cacheLocation === undefined ? {} : { cacheLocation: options.cacheLocation }),
  };
  const source = `import { eslintOptions } from ${JSON.stringify(import.meta.url)};\nexport default eslintOptions(${JSON.stringify(settings)}, ${String(workers)});\n`;
  return withoutCheckWarnings(() =>
    ESLint.fromOptionsModule(new URL(`data:text/javascript,${encodeURIComponent(source)}`)),
  );
}

/** Runs the plugin's preset through ESLint's Node API, independent of any config the project has. */
export async function lintFiles(options: LintOptions): Promise<LintResult> {
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const disabled: LintResult['disabled'] = [];
  const perFile: LintResult['perFile'] = new Map();
  if (options.files.length === 0) return { findings, errors, disabled, perFile };

  // ESLint reads files as UTF-8 and rejects UTF-16 ones as binary: those are decoded and linted as text.
  const utf16 = options.files.filter(hasUtf16Bom);
  const plain = options.files.filter((file) => !utf16.includes(file));
  const eslint = await createEngine(options, lintWorkerCount(plain.length));
  const results = plain.length > 0 ? await eslint.lintFiles(plain) : [];
  for (const file of utf16) results.push(...(await eslint.lintText(readSourceText(file), { filePath: file })));
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
      fingerprinter ??= new FileFingerprinter(result.filePath, result.source ?? readSourceText(result.filePath));
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
        fingerprint: fingerprinter.fingerprint({
          ruleId: id,
          file: repositoryPath(options.fingerprintPrefix, file),
          ...position,
        }),
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
