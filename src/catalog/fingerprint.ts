import { createHash } from 'node:crypto';
import ts from 'typescript';

export interface FingerprintInput {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const STRING_LITERAL = /(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The snippet a fingerprint is made of: the reported source text with white space folded and
 * every string literal replaced by a hash of its contents, so no secret value ever reaches a
 * baseline file, and reformatting does not change the fingerprint.
 */
export function normalizeSnippet(snippet: string): string {
  return snippet
    .replace(STRING_LITERAL, (literal) => `"#${sha256(literal).slice(0, 16)}"`)
    .replace(/\s+/g, ' ')
    .trim();
}

function declarationName(node: ts.Node): string | undefined {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isClassExpression(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isPropertyAssignment(node) ||
      ts.isModuleDeclaration(node)) &&
    node.name !== undefined
  ) {
    return node.name.getText();
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  return undefined;
}

/** Computes fingerprints for the findings of one file. */
export class FileFingerprinter {
  readonly #source: ts.SourceFile;
  readonly #lineStarts: readonly number[];
  readonly #seen = new Map<string, number>();

  constructor(fileName: string, text: string) {
    this.#source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
    this.#lineStarts = this.#source.getLineStarts();
  }

  #offset(line: number, column: number): number {
    const start = this.#lineStarts[Math.max(0, line - 1)] ?? this.#source.text.length;
    return Math.min(start + Math.max(0, column - 1), this.#source.text.length);
  }

  /** `Outer > inner` names of the named declarations that enclose `position`. */
  scopeAt(position: number): string {
    const names: string[] = [];
    const visit = (node: ts.Node): void => {
      if (position < node.getStart(this.#source) || position >= node.getEnd()) return;
      const name = declarationName(node);
      if (name !== undefined) names.push(name);
      node.forEachChild(visit);
    };
    this.#source.forEachChild(visit);
    return names.join(' > ');
  }

  fingerprint(input: FingerprintInput): string {
    const start = this.#offset(input.line, input.column);
    let end = this.#offset(input.endLine, input.endColumn);
    if (end <= start) {
      // A point location: use the rest of its line.
      const nextLine = this.#lineStarts[input.line] ?? this.#source.text.length;
      end = nextLine;
    }
    const snippet = normalizeSnippet(this.#source.text.slice(start, end));
    const base = [input.ruleId, input.file, this.scopeAt(start), snippet].join('\u0000');
    // Identical findings in one scope are told apart by their order, which survives moves too.
    const occurrence = this.#seen.get(base) ?? 0;
    this.#seen.set(base, occurrence + 1);
    return sha256(`${base}\u0000${String(occurrence)}`).slice(0, 32);
  }
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(fileName)) return ts.ScriptKind.JS;
  if (/\.[mc]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  return ts.ScriptKind.Unknown;
}

/** A fingerprint for findings outside source code (SQL, .env, config files): rule + file + snippet. */
export function textFingerprint(ruleId: string, file: string, snippet: string, occurrence = 0): string {
  return sha256([ruleId, file, normalizeSnippet(snippet), String(occurrence)].join('\u0000')).slice(0, 32);
}
