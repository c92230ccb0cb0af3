import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../src/paths.js';
import { PACKAGE_VERSION } from '../src/version.js';

let pins: Record<string, string> | undefined;

/**
 * The exact version this repository pins for a package (its package.json), so generated apps install
 * what Portcullis itself is tested with. Throws when the package is not pinned exactly.
 */
export function pinnedVersion(name: string): string {
  if (name === 'portcullis') return PACKAGE_VERSION;
  if (pins === undefined) {
    const json = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    pins = { ...json.devDependencies, ...json.dependencies };
  }
  const version = pins[name];
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`portcullis pins no exact version of ${name} in its package.json`);
  return version;
}

/** `{ name: pinnedVersion(name) }` for each name. */
export function pinned(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, pinnedVersion(name)]));
}
