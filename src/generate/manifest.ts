import { createHash } from 'node:crypto';

export const MANIFEST_PATH = '.portcullis/manifest.json';
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  generator: string;
  /** The generator version that wrote the file. */
  version: string;
  options: Record<string, unknown>;
  /** sha256 of the content as written: a different hash on disk means the user edited the file. */
  hash: string;
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  app: { framework: 'express' | 'hono'; db: 'pglite' | 'postgres' };
  generators: Record<string, { version: string; options: Record<string, unknown> }>;
  files: Record<string, ManifestFile>;
}

export function contentHash(content: string): string {
  return `sha256-${createHash('sha256').update(content, 'utf8').digest('hex')}`;
}

export function parseManifest(text: string): Manifest {
  const json = JSON.parse(text) as Partial<Manifest>;
  if (json.manifestVersion !== MANIFEST_VERSION || typeof json.files !== 'object' || json.files === null)
    throw new Error(`${MANIFEST_PATH} is not a Portcullis manifest version ${String(MANIFEST_VERSION)}`);
  return {
    manifestVersion: MANIFEST_VERSION,
    app: json.app ?? { framework: 'express', db: 'pglite' },
    generators: json.generators ?? {},
    files: json.files,
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Deterministic text (sorted keys, no timestamps) so a re-run leaves the file byte-identical. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(
    { ...manifest, generators: sortKeys(manifest.generators), files: sortKeys(manifest.files) },
    null,
    2,
  )}\n`;
}
