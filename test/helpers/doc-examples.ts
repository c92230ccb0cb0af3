/** Code fences under "### ❌ Incorrect" / "### ✅ Correct" in a rule or check doc. */
export interface DocExample {
  kind: 'incorrect' | 'correct';
  code: string;
  /** From ```ts filename=app/api/x/route.ts, else `example.<ext>` for the fence's language. */
  filename: string;
  /** 1-based line of the first code line in the doc. */
  line: number;
  /** Whether the fence named its file. */
  named: boolean;
}

const LANGUAGE_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  js: 'js',
  javascript: 'js',
  jsx: 'jsx',
};

export function docExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  let kind: DocExample['kind'] | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('#')) {
      kind = line.includes('❌')
        ? 'incorrect'
        : line.includes('✅')
          ? 'correct'
          : line.startsWith('## ')
            ? undefined
            : kind;
      continue;
    }
    const fence = /^```(\w+)(.*)$/.exec(line);
    if (fence === null || kind === undefined) continue;
    const named = /filename=(\S+)/.exec(fence[2] ?? '')?.[1];
    const extension = LANGUAGE_EXTENSION[fence[1] ?? ''];
    const body: string[] = [];
    const start = i + 1;
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
    if (named === undefined && extension === undefined) continue;
    examples.push({
      kind,
      code: `${body.join('\n')}\n`,
      filename: named ?? `example.${extension ?? 'txt'}`,
      line: start + 1,
      named: named !== undefined,
    });
  }
  return examples;
}
