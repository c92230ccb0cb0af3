export * from './categories.js';
export * from './metadata.js';
export * from './finding.js';
export { FileFingerprinter, normalizeSnippet, textFingerprint } from './fingerprint.js';
