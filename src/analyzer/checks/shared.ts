import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Finding } from '../../catalog/finding.js';
import { FileFingerprinter, textFingerprint } from '../../catalog/fingerprint.js';
import { repositoryPath } from '../../discovery/root.js';
import { docsUrl, type SecurityMetadata } from '../../catalog/metadata.js';
import type { Severity } from '../../catalog/categories.js';
import type { ProjectModel } from '../model.js';
import type { RouteEntry } from '../routes.js';
import type { Span } from '../types.js';

/**
 * Reads source files for one run of a check, each file once: `read(file)` gives its text, or
 * undefined when it cannot be read (the file then contributes nothing).
 */
export function sourceReader(root: string): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        text = undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
}

export interface AnalyzerCheck {
  meta: SecurityMetadata;
  run(model: ProjectModel, report: FindingSink): void;
}

export interface ReportInput {
  file: string;
  span: Span;
  message: string;
  fix?: string;
  severity?: Severity;
  /** For findings outside TS/JS source: the text the fingerprint is made of. */
  snippet?: string;
}

/** Turns check results into `Finding`s with the same fingerprints rules get. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly #root: string;
  readonly #fingerprinters = new Map<string, FileFingerprinter>();
  readonly #occurrences = new Map<string, number>();

  readonly #fingerprintPrefix: string | undefined;

  /** `fingerprintPrefix`: `root` relative to the repository root, so fingerprints hash repository paths. */
  constructor(root: string, fingerprintPrefix?: string) {
    this.#root = root;
    this.#fingerprintPrefix = fingerprintPrefix;
  }

  add(meta: SecurityMetadata, input: ReportInput): void {
    let fingerprint: string;
    if (input.snippet !== undefined || !/\.[cm]?[jt]sx?$/.test(input.file)) {
      const snippet = input.snippet ?? '';
      const key = `${meta.id}\u0000${input.file}\u0000${snippet}`;
      const occurrence = this.#occurrences.get(key) ?? 0;
      this.#occurrences.set(key, occurrence + 1);
      fingerprint = textFingerprint(meta.id, repositoryPath(this.#fingerprintPrefix, input.file), snippet, occurrence);
    } else {
      let fingerprinter = this.#fingerprinters.get(input.file);
      if (fingerprinter === undefined) {
        const path = join(this.#root, input.file);
        fingerprinter = new FileFingerprinter(path, readFileSync(path, 'utf8'));
        this.#fingerprinters.set(input.file, fingerprinter);
      }
      fingerprint = fingerprinter.fingerprint({
        ruleId: meta.id,
        file: repositoryPath(this.#fingerprintPrefix, input.file),
        ...input.span,
      });
    }
    this.findings.push({
      ruleId: meta.id,
      category: meta.category,
      severity: input.severity ?? meta.severity,
      file: input.file,
      ...input.span,
      message: input.message,
      ...(input.fix === undefined ? {} : { fix: input.fix }),
      fingerprint,
    });
  }
}

export function checkMeta(meta: Omit<SecurityMetadata, 'kind' | 'url'>): SecurityMetadata {
  return { ...meta, kind: 'check', url: docsUrl(meta.id) };
}

export function lineSpan(line: number, text = ''): Span {
  return { line, column: 1, endLine: line, endColumn: Math.max(1, text.length + 1) };
}

/** How a finding names a handler: `Server Action createInvoice`, or `POST /api/invoices`. */
export function routeName(route: RouteEntry): string {
  return route.framework === 'next-action'
    ? `Server Action ${route.path.replace(/^action:/, '')}`
    : `${route.method} ${route.path}`;
}
