import { basename } from 'node:path';

import {
  findSecrets,
  isFixtureFile,
  isGenericSecretName,
  isPlaceholder,
  isSecretName,
  looksLikeCredentialValue,
  looksRandom,
  redact,
} from '../../detectors/secrets.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta } from './shared.js';

const meta = checkMeta({
  id: 'no-committed-secrets',
  description: 'No credentials in git-tracked .env files or JSON, YAML and TOML config files.',
  category: 'secrets',
  severity: 'critical',
  securitySeverity: 9.1,
  cwe: ['CWE-798', 'CWE-540'],
  recommended: true,
});

/** `.env.example`, `.env.sample`, `config.example.json`: documentation of settings, not settings. */
function isExampleFile(file: string): boolean {
  return /(?:^|[.-])(?:example|sample|template|dist|defaults?)(?:[.-]|$)/i.test(basename(file));
}

/** `KEY=value`, `key: value`, `"key": "value"` — several per line in inline JSON objects. */
const ASSIGNMENT =
  /(?:^|[\s{,])(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,#}]+)/g;

function unquote(value: string): string {
  const trimmed = value.replace(/\s+#.*$/, '').trim();
  const quoted = /^(["'`])(.*)\1$/.exec(trimmed);
  // An assignment inside a quoted shell string (`echo "KEY=value"`) leaves a stray closing quote.
  return quoted === null ? trimmed.replace(/^["']|["']$/g, '') : (quoted[2] ?? '');
}

/**
 * What a compose/shell value holds once interpolation is resolved: `${VAR:-default}` → its default,
 * `${VAR}`, `$(openssl rand …)`, `${{ secrets.X }}` and template strings → undefined (not a literal).
 */
function literalValue(value: string): string | undefined {
  const fallback = /^\$\{[A-Za-z_]\w*:?-(.*?)\}?$/.exec(value);
  if (fallback !== null) return fallback[1] ?? '';
  if (/^\$[({A-Za-z_]|^`|\$\{\{|^env\(/.test(value)) return undefined;
  return value;
}

/** A trailing `# CHANGEME` / `# replace in production` says the value is a placeholder to override. */
const CHANGE_ME_COMMENT = /#.*\b(?:change[-_ ]?me|change[-_ ]?(?:this|it)|replace|generate|placeholder)\b/i;

/** The same detector as `no-hardcoded-secrets`, applied to committed env and config files. */
export const noCommittedSecrets: AnalyzerCheck = {
  meta,
  run(model, sink) {
    for (const { file, text } of model.secretCandidates) {
      const example = isExampleFile(file);
      const fixture = isFixtureFile(file);
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        if (/^\s*(?:#|\/\/)/.test(line)) return;
        // Test fixtures carry generated test keys (PEM key sets); provider-issued keys are reported anywhere.
        const shaped = findSecrets(line).filter((match) => !(fixture && match.kind === 'private-key'));
        for (const match of shaped) {
          sink.add(meta, {
            file,
            span: {
              line: index + 1,
              column: match.index + 1,
              endLine: index + 1,
              endColumn: match.index + match.value.length + 1,
            },
            message: `${match.label} (${redact(match.value)}) is committed in ${file}: everyone with access to the repository or its history can use it. Revoke it, remove it from the file and history, and load it from the environment or a secret manager.`,
            snippet: `${match.kind}:${match.value}`,
          });
        }
        if (shaped.length > 0 || example || fixture || CHANGE_ME_COMMENT.test(line)) return;
        for (const assignment of line.matchAll(ASSIGNMENT)) {
          const key = assignment[1] ?? '';
          const raw = assignment[2] ?? '';
          const value = literalValue(unquote(raw));
          const name = key.split('.').at(-1) ?? key;
          if (value === undefined || !isSecretName(name) || isPlaceholder(value) || !looksLikeCredentialValue(value))
            continue;
          if (isGenericSecretName(name) && !looksRandom(value)) continue;
          const column = assignment.index + assignment[0].indexOf(raw) + 1;
          sink.add(meta, {
            file,
            span: { line: index + 1, column, endLine: index + 1, endColumn: column + raw.length },
            message: `${key} holds a credential-like value (${redact(value)}) in the committed file ${file}, so the secret ships with every clone. Keep real values in an untracked .env (list it in .gitignore) or a secret manager, and commit only placeholders in .env.example.`,
            snippet: `${key}=${value}`,
          });
        }
      });
    }
  },
};
