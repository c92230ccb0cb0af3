import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'eslint-plugin', 'docs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('portcullis: cannot find the package root (eslint-plugin/docs is missing).');
    dir = parent;
  }
  return dir;
}

/** The installed package's root: where `templates/` and `eslint-plugin/docs/` live. */
export const PACKAGE_ROOT = findPackageRoot();
