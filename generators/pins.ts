import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

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

/**
 * What a generated app's package.json names as its `portcullis` dependency: the Portcullis that
 * generated it. Installed from the registry, that is its version. Installed from a tarball or a
 * folder (`file:` in the installing project's package.json), that same tarball or folder, as an
 * absolute path. Run from a checkout of this repository (not under node_modules), the checkout.
 */
export function portcullisSpecifier(root: string = PACKAGE_ROOT, version: string = PACKAGE_VERSION): string {
  const parts = root.split(sep);
  const index = parts.lastIndexOf('node_modules');
  if (index === -1) return `file:${root}`;
  const project = parts.slice(0, index).join(sep) || sep;
  let spec: string | undefined;
  try {
    const json = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    spec = json.dependencies?.portcullis ?? json.devDependencies?.portcullis ?? json.optionalDependencies?.portcullis;
  } catch {
    // npx and global installs have no project package.json that names portcullis: the registry version.
  }
  if (spec?.startsWith('file:') === true) {
    const target = spec.slice('file:'.length);
    return `file:${isAbsolute(target) ? target : resolve(project, target)}`;
  }
  return version;
}
