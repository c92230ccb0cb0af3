import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temp folder filled with the given files; `remove()` when done. */
export async function fixtureDir(
  files: Readonly<Record<string, string>>,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-test-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content, 'utf8');
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A real-looking key split so that this test file itself holds no secret-shaped literal. */
export const LIVE_KEY = ['sk', 'live', '51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h'].join('_');
