import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';

import { PACKAGE_ROOT } from '../paths.js';

/** Prettier options a generated app starts with (its `.prettierrc.json` says the same). */
export const APP_PRETTIER_CONFIG = { singleQuote: true, printWidth: 100, trailingComma: 'all' } as const;

/** Formats one generated file; the engine takes another one in tests and in `scripts/record-formatted.mjs`. */
export type Formatter = (
  path: string,
  content: string,
  config: Readonly<Record<string, unknown>>,
  /** The app's identity values (`GeneratorSpec.identity`): the record also knows texts with them masked. */
  identity?: readonly string[],
) => Promise<string>;

/** `[first line (0-based), lines removed, lines inserted]`: one change of a text, line by line. */
export type LineEdit = [start: number, deleteCount: number, insert: string[]];

/**
 * What prettier makes of the texts the generators render across a matrix of apps
 * (`src/generate/formatted-matrix.ts`), recorded by `npm run templates:record` with this prettier version and
 * the generated app's config: formatting ~100 files is most of what `portcullis new` would spend. Keys are
 * SHA-256 of `<parser>\0<text>`. `formatted`: texts prettier leaves as they are. `edits`: texts prettier
 * changes, with the line edits that turn them into its output and the SHA-256 of that output (checked
 * before use). `masked`: the same for texts with the app's identity values masked (`maskIdentity`), kept
 * only where prettier's output was checked not to depend on those values (a short and a long one).
 * Any other text goes through prettier.
 */
export interface FormattedRecord {
  prettier: string;
  config: Record<string, unknown>;
  formatted: string[];
  edits: Record<string, RecordedEdits>;
  masked: Record<string, RecordedEdits>;
}

export interface RecordedEdits {
  sha256: string;
  edits: LineEdit[];
}

/** Brotli-compressed JSON (the edits repeat across the matrix: 600 kB of JSON, 80 kB compressed). */
export const FORMATTED_RECORD_PATH = join(PACKAGE_ROOT, 'templates', 'formatted.json.br');

const require = createRequire(import.meta.url);
let prettierModule: Promise<typeof import('prettier')> | undefined;
let known: FormattedRecord | null | undefined;

/** prettier loads only when a text is not in the record (its import alone costs a few hundred ms). */
const loadPrettier = (): Promise<typeof import('prettier')> => (prettierModule ??= import('prettier'));

/** The version of the prettier this package formats with (from its package.json: no need to load it). */
export function prettierVersion(): string {
  return (require('prettier/package.json') as { version: string }).version;
}

/** Canonical JSON (keys sorted) of a prettier config, to compare configs. */
export function configKey(config: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function formattedKey(parser: string, content: string): string {
  return sha256(`${parser}\0${content}`);
}

export function sha256Text(text: string): string {
  return sha256(text);
}

/**
 * Identity values that can be masked: no character prettier reads as markup in Markdown or escapes in
 * JSON or code (`*`, `_`, `~`, quotes, backslashes, spaces…), at least three long.
 */
const MASKABLE = /^[A-Za-z0-9][A-Za-z0-9.:/@+-]{2,}$/;
const MARK = '\u0001';
const MARKED = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/**
 * Where an identity value is masked: as a whole double-quoted string (`"name": "shop"`) or as a whole
 * Markdown heading (`# shop`); so a name that also occurs in code or paths (`api`, `/api/me`) keeps those.
 */
function occurrences(value: string): RegExp {
  const escaped = value.replace(/[.+/]/g, '\\$&');
  return new RegExp(`(?<=")${escaped}(?=")|(?<=^#{1,6} )${escaped}$`, 'gm');
}

/** The text with each maskable identity value replaced by `\u0001<index>\u0001` (undefined: nothing masked). */
export function maskIdentity(content: string, identity: readonly string[]): string | undefined {
  if (content.includes(MARK)) return undefined;
  const values = identity
    .map((value, index) => ({ value, index }))
    .filter(({ value }) => MASKABLE.test(value))
    .sort((a, b) => b.value.length - a.value.length || a.index - b.index);
  let out = content;
  for (const { value, index } of values) out = out.replace(occurrences(value), `${MARK}${String(index)}${MARK}`);
  return out === content ? undefined : out;
}

export function unmaskIdentity(masked: string, identity: readonly string[]): string {
  return masked.replace(MARKED, (_, index: string) => identity[Number(index)] ?? '');
}

/** Applies line edits (sorted by `start`, not overlapping) to a text. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split('\n');
  for (const [start, deleteCount, insert] of [...edits].reverse()) lines.splice(start, deleteCount, ...insert);
  return lines.join('\n');
}

export function readFormattedRecord(path: string = FORMATTED_RECORD_PATH): FormattedRecord | undefined {
  try {
    const record = JSON.parse(brotliDecompressSync(readFileSync(path)).toString('utf8')) as FormattedRecord;
    return Array.isArray(record.formatted) &&
      typeof record.edits === 'object' &&
      typeof record.masked === 'object' &&
      typeof record.prettier === 'string'
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeFormattedRecord(record: FormattedRecord, path: string = FORMATTED_RECORD_PATH): void {
  const json = Buffer.from(`${JSON.stringify(record)}\n`);
  writeFileSync(
    path,
    brotliCompressSync(json, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_LGWIN]: 24 },
    }),
  );
}

/** The record, when it was made with this prettier and the generated app's config. */
export function usableRecord(record: FormattedRecord | undefined): FormattedRecord | undefined {
  return record !== undefined &&
    record.prettier === prettierVersion() &&
    configKey(record.config) === configKey(APP_PRETTIER_CONFIG)
    ? record
    : undefined;
}

let formattedSet: ReadonlySet<string> = new Set();

function knownRecord(): FormattedRecord | null {
  if (known === undefined) {
    known = usableRecord(readFormattedRecord()) ?? null;
    formattedSet = new Set(known?.formatted ?? []);
  }
  return known;
}

function replay(entries: Record<string, RecordedEdits>, key: string, content: string): string | undefined {
  const entry = Object.hasOwn(entries, key) ? entries[key] : undefined;
  if (entry === undefined) return undefined;
  const out = applyLineEdits(content, entry.edits);
  return sha256(out) === entry.sha256 ? out : undefined;
}

/** What prettier makes of `content` (with the app's config), when the record knows it. */
export function recordedFormat(parser: string, content: string, identity: readonly string[] = []): string | undefined {
  const record = knownRecord();
  if (record === null) return undefined;
  const key = formattedKey(parser, content);
  if (formattedSet.has(key)) return content;
  const exact = replay(record.edits, key, content);
  if (exact !== undefined) return exact;
  const masked = maskIdentity(content, identity);
  if (masked === undefined) return undefined;
  const out = replay(record.masked, formattedKey(parser, masked), masked);
  return out === undefined ? undefined : unmaskIdentity(out, identity);
}

/**
 * Formats a generated file the way the app's prettier would: TypeScript, JavaScript, JSON, Markdown.
 * Other files (`.env.example`, `.gitignore`, SQL) are left as rendered. With the generated app's own
 * config, a text in the record gets prettier's recorded output without loading prettier: the same bytes.
 */
export async function formatGenerated(
  path: string,
  content: string,
  config: Readonly<Record<string, unknown>> = APP_PRETTIER_CONFIG,
  identity: readonly string[] = [],
): Promise<string> {
  const parser = parserFor(path);
  if (parser === undefined) return content;
  const recorded =
    configKey(config) === configKey(APP_PRETTIER_CONFIG) ? recordedFormat(parser, content, identity) : undefined;
  return recorded ?? formatWithPrettier(path, content, config);
}

/** Always runs prettier (what `formatGenerated` does for a text it does not know). */
export async function formatWithPrettier(
  path: string,
  content: string,
  config: Readonly<Record<string, unknown>> = APP_PRETTIER_CONFIG,
): Promise<string> {
  const parser = parserFor(path);
  if (parser === undefined) return content;
  const prettier = await loadPrettier();
  return prettier.format(content, { ...config, parser, filepath: path });
}

export function parserFor(path: string): string | undefined {
  if (/\.(?:c|m)?tsx?$/.test(path)) return 'typescript';
  if (/\.(?:c|m)?jsx?$/.test(path)) return 'babel';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.md')) return 'markdown';
  return undefined;
}
