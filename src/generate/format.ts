import * as prettier from 'prettier';

/** Prettier options a generated app starts with (its `.prettierrc.json` says the same). */
export const APP_PRETTIER_CONFIG = { singleQuote: true, printWidth: 100, trailingComma: 'all' } as const;

/**
 * Formats a generated file the way the app's prettier would: TypeScript, JavaScript, JSON, Markdown.
 * Other files (`.env.example`, `.gitignore`, SQL) are left as rendered.
 */
export async function formatGenerated(
  path: string,
  content: string,
  config: Readonly<Record<string, unknown>> = APP_PRETTIER_CONFIG,
): Promise<string> {
  const parser = parserFor(path);
  if (parser === undefined) return content;
  return prettier.format(content, { ...config, parser, filepath: path });
}

function parserFor(path: string): string | undefined {
  if (/\.(?:c|m)?tsx?$/.test(path)) return 'typescript';
  if (/\.(?:c|m)?jsx?$/.test(path)) return 'babel';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.md')) return 'markdown';
  return undefined;
}
