import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  APP_PRETTIER_CONFIG,
  applyLineEdits,
  configKey,
  formatGenerated,
  formattedKey,
  formatWithPrettier,
  maskIdentity,
  parserFor,
  prettierVersion,
  readFormattedRecord,
  unmaskIdentity,
  usableRecord,
  type FormattedRecord,
} from '../../src/generate/format.js';
import { renderFormattedMatrix } from '../../src/generate/formatted-matrix.js';
import { tempDir } from './fixtures.js';

interface Seen {
  path: string;
  content: string;
  identity: readonly string[];
  /** Where the record has it: as rendered, with prettier's edits, or with the identity masked. */
  found: 'formatted' | 'edits' | 'masked' | undefined;
  /** The record also has it with the app's identity masked (serves other app names). */
  maskedKnown: boolean;
}

const REFRESH = 'templates/formatted.json.br is out of date: run `npm run templates:record`';

let record: FormattedRecord;
const seen: Seen[] = [];
const used = new Set<string>();

beforeAll(async () => {
  const read = readFormattedRecord();
  if (read === undefined) throw new Error(`${REFRESH} (it is missing or unreadable)`);
  record = read;
  const formatted = new Set(record.formatted);
  const tmp = await tempDir('formatted-matrix');
  try {
    // Renders the matrix without prettier: each text is looked up as the engine would, then kept as it is
    // (what prettier would make of it is checked below on a sample).
    await renderFormattedMatrix(async (path, content, _config, identity = []) => {
      const parser = parserFor(path);
      if (parser === undefined) return content;
      const key = formattedKey(parser, content);
      const masked = maskIdentity(content, identity);
      const maskedKey = masked === undefined ? undefined : formattedKey(parser, masked);
      let found: Seen['found'];
      if (formatted.has(key)) found = 'formatted';
      else if (Object.hasOwn(record.edits, key)) found = 'edits';
      else if (maskedKey !== undefined && Object.hasOwn(record.masked, maskedKey)) found = 'masked';
      for (const known of [key, maskedKey]) if (known !== undefined) used.add(known);
      const maskedKnown = maskedKey !== undefined && Object.hasOwn(record.masked, maskedKey);
      seen.push({ path, content, identity, found, maskedKnown });
      if (found === 'edits') return applyLineEdits(content, record.edits[key]!.edits);
      if (found === 'masked')
        return unmaskIdentity(applyLineEdits(masked!, record.masked[maskedKey!]!.edits), identity);
      return content;
    }, tmp.dir);
  } finally {
    await tmp.remove();
  }
}, 120_000);

describe('the record of what prettier makes of generated files', () => {
  it('was made with the prettier this package uses and the generated app config', () => {
    expect(record.prettier, REFRESH).toBe(prettierVersion());
    expect(configKey(record.config), REFRESH).toBe(configKey(APP_PRETTIER_CONFIG));
    expect(usableRecord(record)).toBe(record);
    expect(usableRecord({ ...record, prettier: '0.0.0' })).toBeUndefined();
    expect(usableRecord({ ...record, config: { ...record.config, semi: false } })).toBeUndefined();
  });

  it('knows every text the generators render across the matrix, and nothing else', () => {
    expect(seen.length).toBeGreaterThan(400);
    const missing = [...new Set(seen.filter(({ found }) => found === undefined).map(({ path }) => path))];
    expect(missing, REFRESH).toEqual([]);
    const stale = [...record.formatted, ...Object.keys(record.edits), ...Object.keys(record.masked)].filter(
      (key) => !used.has(key),
    );
    expect(stale.length, `${REFRESH} (it holds texts no longer rendered)`).toBe(0);
  });

  it("gives prettier's own bytes for recorded texts, also under another app name", async () => {
    const smallest = (test: (entry: Seen) => boolean): Seen[] =>
      seen
        .filter(test)
        .sort((a, b) => a.content.length - b.content.length)
        .slice(0, 2);
    for (const { path, content, identity } of [
      ...smallest(({ found }) => found === 'formatted'),
      ...smallest(({ found }) => found === 'edits'),
    ])
      expect(await formatGenerated(path, content, APP_PRETTIER_CONFIG, identity)).toBe(
        await formatWithPrettier(path, content),
      );
    // A text the record knows with the app's name masked, rendered for a name the matrix never used.
    const [named] = smallest(({ maskedKnown, path }) => maskedKnown && path === 'package.json');
    expect(named).toBeDefined();
    const { path, content, identity } = named!;
    const other = ['another-app-name', ...identity.slice(1)];
    const renamed = unmaskIdentity(maskIdentity(content, identity)!, other);
    expect(renamed).not.toBe(content);
    expect(await formatGenerated(path, renamed, APP_PRETTIER_CONFIG, other)).toBe(
      await formatWithPrettier(path, renamed),
    );
  });

  it("runs prettier with the app's own config, and on any text the record does not know", async () => {
    const known = seen.find(({ path, found }) => found === 'formatted' && path.endsWith('.ts'))!;
    const ownConfig = { ...APP_PRETTIER_CONFIG, semi: false, useTabs: true };
    const own = await formatGenerated(known.path, known.content, ownConfig, known.identity);
    expect(own).toBe(await formatWithPrettier(known.path, known.content, ownConfig));
    expect(own).not.toBe(known.content);
    const unknown = `export const x   =  1\n`;
    expect(await formatGenerated('src/x.ts', unknown)).toBe('export const x = 1;\n');
  });
});

describe('line edits and identity masks', () => {
  it('replays edits that insert, remove and replace lines', () => {
    expect(
      applyLineEdits('a\nb\nc\n', [
        [0, 1, ['A', 'A2']],
        [2, 0, ['x']],
        [3, 1, []],
      ]),
    ).toBe('A\nA2\nb\nx\nc');
  });

  it('masks identity values longest first and restores them, and leaves unsafe values alone', () => {
    const identity = ['shop', 'file:/srv/shop'];
    const masked = maskIdentity('# shop\n"portcullis": "file:/srv/shop"\n', identity)!;
    expect(masked).toBe('# \u00010\u0001\n"portcullis": "\u00011\u0001"\n');
    expect(unmaskIdentity(masked, identity)).toBe('# shop\n"portcullis": "file:/srv/shop"\n');
    // Markdown reads `*` and `_` as emphasis: such a name is never masked, so prettier formats the text.
    expect(maskIdentity('# a*b*c\n', ['a*b*c'])).toBeUndefined();
    expect(maskIdentity('# a_b_c\n', ['a_b_c'])).toBeUndefined();
    expect(maskIdentity('no name here\n', ['shop'])).toBeUndefined();
    // Only whole strings and headings: the same word in paths and code stays.
    expect(maskIdentity('# api\nfetch("/api/me"); import "./api";\n"name": "api"\n', ['api'])).toBe(
      '# \u00010\u0001\nfetch("/api/me"); import "./api";\n"name": "\u00010\u0001"\n',
    );
  });
});

afterAll(() => {
  seen.length = 0;
});
