import type { Category, Severity } from './categories.js';

/** The package's repository (package.json `repository`, `homepage` and `bugs` name the same). */
export const REPOSITORY_URL = 'https://github.com/portcullis-dev/portcullis';

export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/eslint-plugin/docs/rules/`;

/** Where the doc of a rule or check lives. Both share one id namespace. */
export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/** `true`: in the recommended and strict presets; `'strict'`: strict only; `false`: in neither. */
export type RecommendedLevel = true | 'strict' | false;

/**
 * The security metadata every ESLint rule and analyzer check declares. For rules this is
 * `meta.docs` (typescript-eslint's `RuleCreator<SecurityRuleDocs>`); checks declare it directly.
 */
export interface SecurityRuleDocs {
  /** One sentence: what the rule finds. */
  description: string;
  category: Category;
  severity: Severity;
  /** 0–10, as GitHub code scanning reads `properties["security-severity"]`. */
  securitySeverity: number;
  /** CWE ids, e.g. `['CWE-798']`. */
  cwe: readonly string[];
  recommended: RecommendedLevel;
  /** The rule cannot work without type information (it then lives in the `*-type-checked` presets). */
  requiresTypeChecking?: boolean;
  /**
   * Severity of findings reported with these message ids when it differs from `severity`: one rule may
   * report certain cases (a provider-shaped key) and judgement calls (a name that sounds secret).
   */
  messageSeverity?: Readonly<Record<string, Severity>>;
}

/** Metadata of one rule or check, as the catalog and the reporters see it. */
export interface SecurityMetadata extends SecurityRuleDocs {
  /** Kebab-case, stable forever. */
  id: string;
  /** Where it comes from: an ESLint rule or an analyzer check. */
  kind: 'rule' | 'check' | 'meta';
  url: string;
}
