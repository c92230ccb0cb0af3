import { readFileSync } from 'node:fs';

function readVersion(): string {
  // src/version.ts and dist/src/version.js both sit two levels below the package root.
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const json = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === 'portcullis' && typeof json.version === 'string') return json.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export const PACKAGE_VERSION = readVersion();
export const PACKAGE_NAME = 'portcullis';
