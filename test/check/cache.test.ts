import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { CheckCache } from '../../src/check/cache.js';
import { PACKAGE_VERSION } from '../../src/version.js';

describe('check cache', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serves facts back only to a reader of the same facts format', () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cache-'));
    const cache = CheckCache.open(dir);
    cache.facts.set('a.ts', { hash: 'h', facts: { file: 'a.ts' } as never });
    cache.save(new Set(['a.ts']));
    expect(CheckCache.open(dir).facts.get('a.ts')?.hash).toBe('h');
    // A cache written by a build with the same version but another facts shape is not read.
    const [name] = readdirSync(dir);
    const path = join(dir, name ?? '');
    const data = JSON.parse(readFileSync(path, 'utf8')) as { tool: string };
    expect(data.tool).toMatch(new RegExp(`^${PACKAGE_VERSION.replace(/\./g, '\\.')}\\+facts\\.\\d+$`));
    writeFileSync(path, JSON.stringify({ ...data, tool: PACKAGE_VERSION }));
    expect(CheckCache.open(dir).facts.size).toBe(0);
  });
});
