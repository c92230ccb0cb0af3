/** A source range, 1-based lines and columns. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

import type { Category, Severity } from './categories.js';

/** One problem found by a rule or a check. Positions are 1-based (line and column). */
export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** Relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** What is wrong, why it matters, how to fix it. */
  message: string;
  /** A concrete next step, often a generator command (`portcullis add webhook --provider stripe`). */
  fix?: string;
  /** Stable across line moves: rule + file + enclosing scope + normalised snippet (secret values hashed). */
  fingerprint: string;
}

/** A file that could not be checked (it did not parse, or could not be read). */
export interface FileError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** A finding that was found but silenced on purpose (a baseline entry or an inline suppression). */
export interface SuppressedFinding extends Finding {
  suppression: { kind: 'baseline' | 'inline'; justification?: string };
}
