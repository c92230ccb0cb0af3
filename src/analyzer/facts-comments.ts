// Comment facts: portcullis-public, portcullis-ignore and eslint-disable comments, found by the scanner.
import { ts } from 'ts-morph';

import { type Ctx } from './facts-context.js';
import type { CommentFact } from './types.js';

export function readComments(ctx: Ctx): CommentFact[] {
  const { sf } = ctx;
  const text = sf.text;
  const comments: CommentFact[] = [];
  if (!/portcullis-|eslint-disable/.test(text)) return comments;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sf.languageVariant, text);
  let lastCodeLine = -1;
  // Brace depth at each open `${`: the `}` that closes it continues the template (never code).
  const templates: number[] = [];
  let braces = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const start = scanner.getTokenStart();
    const { line } = sf.getLineAndCharacterOfPosition(start);
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) {
      if (token !== ts.SyntaxKind.WhitespaceTrivia && token !== ts.SyntaxKind.NewLineTrivia) lastCodeLine = line;
      // Template and regex tokens need the parser's context; rescanning keeps comment detection honest.
      if (token === ts.SyntaxKind.TemplateHead) templates.push(braces);
      else if (token === ts.SyntaxKind.OpenBraceToken) braces++;
      else if (token === ts.SyntaxKind.CloseBraceToken) {
        if (templates.at(-1) === braces) {
          if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateTail) templates.pop();
        } else braces--;
      }
      if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) scanner.reScanSlashToken();
      continue;
    }
    const raw = scanner.getTokenText();
    const body = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, -2);
    const end = sf.getLineAndCharacterOfPosition(scanner.getTokenEnd());
    const where = {
      line: line + 1,
      column: sf.getLineAndCharacterOfPosition(start).character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
    const standalone = lastCodeLine !== line;
    const endLineTarget = end.line + 2;
    const publicMatch = /^\s*portcullis-public\b:?\s*(.*)$/s.exec(body);
    if (publicMatch !== null) {
      comments.push({
        kind: 'public',
        line: line + 1,
        rules: [],
        reason: (publicMatch[1] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
      continue;
    }
    const ignore = /^\s*portcullis-ignore(?:-next-line)?\s+([\w/-]+)?\s*(?:--\s*(.*))?$/s.exec(body);
    if (ignore !== null) {
      comments.push({
        kind: 'ignore',
        line: line + 1,
        rules: ignore[1] === undefined ? [] : [ignore[1].replace(/^portcullis\//, '')],
        reason: (ignore[2] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
      continue;
    }
    const disable = /^\s*eslint-disable(?:-next-line|-line)?\b([^-]*(?:-(?!-)[^-]*)*)(?:--\s*(.*))?$/s.exec(body);
    if (disable !== null && /\beslint-disable/.test(body)) {
      const rules = (disable[1] ?? '')
        .split(',')
        .map((rule) => rule.trim())
        .filter((rule) => rule !== '');
      comments.push({
        kind: 'eslint-disable',
        line: line + 1,
        rules,
        reason: (disable[2] ?? '').trim(),
        standalone,
        endLineTarget,
        span: where,
      });
    }
  }
  return comments;
}
