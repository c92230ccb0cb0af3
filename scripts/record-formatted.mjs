// Refreshes templates/formatted.json.br: what prettier makes of every text the generators render across the
// matrix of src/generate/formatted-matrix.ts (so `portcullis new` need not run prettier): the texts it leaves
// as they are, and for the others the line edits that give its output. Only texts not in the current record
// are formatted, so a refresh after a template change is quick. A template that renders formatted keeps the
// record small: `--list` names the rendered files prettier changes.
// Usage: npm run templates:record [-- --list]   (after a template change; the test in
// test/generate/formatted-record.test.ts fails while the record is out of date)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { diffArrays } from 'diff';

import {
  APP_PRETTIER_CONFIG,
  applyLineEdits,
  configKey,
  formattedKey,
  formatWithPrettier,
  maskIdentity,
  parserFor,
  prettierVersion,
  readFormattedRecord,
  sha256Text,
  unmaskIdentity,
  usableRecord,
  writeFormattedRecord,
} from '../dist/src/generate/format.js';
import { renderFormattedMatrix } from '../dist/src/generate/formatted-matrix.js';

const list = process.argv.includes('--list');
const previous = usableRecord(readFormattedRecord());
const reuseFormatted = new Set(previous?.formatted ?? []);
const reuseEdits = new Map(Object.entries(previous?.edits ?? {}));
const reuseMasked = new Map(Object.entries(previous?.masked ?? {}));
const formatted = new Set();
const edits = new Map();
const masked = new Map();
const unmaskable = new Set();
/** Other identities (a short and a long name and install path) prettier's output must not depend on. */
const ALTERNATES = [
  ['abc', '0.1.0'],
  [
    'a-much-longer-package-name-than-any-in-the-matrix-so-that-a-table-or-a-line-would-change-with-it',
    'file:/a/much/longer/install/path/than/any/in/the/matrix/so/that/a/line/would/change/with/it/portcullis',
  ],
];
const paths = new Map();

/** Line edits from `before` to `after` (what applyLineEdits replays). */
function lineEdits(before, after) {
  const out = [];
  let line = 0;
  for (const change of diffArrays(before.split('\n'), after.split('\n'))) {
    const last = out.at(-1);
    const open = last !== undefined && last[0] + last[1] === line;
    if (change.removed) {
      if (open) last[1] += change.count;
      else out.push([line, change.count, []]);
      line += change.count;
    } else if (change.added) {
      if (open) last[2].push(...change.value);
      else out.push([line, 0, [...change.value]]);
    } else line += change.count;
  }
  return out;
}

/**
 * Records `masked` (the text with the identity masked) when prettier treats the identity as opaque; true
 * when the masked entry serves this text.
 */
async function recordMasked(path, parser, content, out, identity) {
  const text = maskIdentity(content, identity);
  if (text === undefined) return false;
  const key = formattedKey(parser, text);
  if (reuseMasked.has(key)) {
    masked.set(key, reuseMasked.get(key));
    return true;
  }
  if (masked.has(key)) return true;
  if (unmaskable.has(key)) return false;
  const result = maskIdentity(out, identity) ?? out;
  for (const alternate of ALTERNATES) {
    const other = identity.map((value, index) => alternate[index] ?? value);
    if ((await formatWithPrettier(path, unmaskIdentity(text, other))) !== unmaskIdentity(result, other)) {
      unmaskable.add(key);
      return false;
    }
  }
  const entry = { sha256: sha256Text(result), edits: lineEdits(text, result) };
  if (applyLineEdits(text, entry.edits) !== result)
    throw new Error(`line edits do not reproduce ${path}; this is a bug`);
  masked.set(key, entry);
  return true;
}

async function recordingFormat(path, content, config, identity = []) {
  const parser = parserFor(path);
  if (parser === undefined) return content;
  if (configKey(config) !== configKey(APP_PRETTIER_CONFIG)) return formatWithPrettier(path, content, config);
  const out = await exactFormat(path, parser, content, config);
  // A text that holds the app's identity (its name, where Portcullis is installed from: this checkout's
  // path) is kept only masked, so the record does not depend on the folder it was made in.
  if (await recordMasked(path, parser, content, out, identity)) {
    const key = formattedKey(parser, content);
    formatted.delete(key);
    edits.delete(key);
  }
  return out;
}

async function exactFormat(path, parser, content, config) {
  const key = formattedKey(parser, content);
  if (reuseFormatted.has(key)) formatted.add(key);
  else if (reuseEdits.has(key)) edits.set(key, reuseEdits.get(key));
  else if (!formatted.has(key) && !edits.has(key)) {
    const out = await formatWithPrettier(path, content, config);
    if (out === content) formatted.add(key);
    else {
      const entry = { sha256: sha256Text(out), edits: lineEdits(content, out) };
      if (applyLineEdits(content, entry.edits) !== out)
        throw new Error(`line edits do not reproduce ${path}; this is a bug`);
      edits.set(key, entry);
    }
  }
  if (edits.has(key)) {
    paths.set(path, (paths.get(path) ?? 0) + 1);
    return applyLineEdits(content, edits.get(key).edits);
  }
  return content;
}

const work = mkdtempSync(join(tmpdir(), 'portcullis-formatted-'));
try {
  await renderFormattedMatrix(recordingFormat, work);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const sorted = (keys) => [...keys].sort();
const record = {
  prettier: prettierVersion(),
  config: { ...APP_PRETTIER_CONFIG },
  formatted: sorted(formatted),
  edits: Object.fromEntries(sorted(edits.keys()).map((key) => [key, edits.get(key)])),
  masked: Object.fromEntries(sorted(masked.keys()).map((key) => [key, masked.get(key)])),
};
writeFormattedRecord(record);
const before = reuseFormatted.size + reuseEdits.size + reuseMasked.size;
const now = formatted.size + edits.size + masked.size;
const kept = [...formatted, ...edits.keys(), ...masked.keys()].filter(
  (key) => reuseFormatted.has(key) || reuseEdits.has(key) || reuseMasked.has(key),
).length;
console.log(
  `templates/formatted.json.br: ${String(now)} texts (${String(formatted.size)} formatted as rendered, ${String(edits.size)} with prettier's edits, ${String(masked.size)} with the app's name masked); ${String(now - kept)} new, ${String(before - kept)} no longer rendered; prettier ${record.prettier}`,
);
if (list)
  for (const [path, count] of [...paths].sort(([a], [b]) => (a < b ? -1 : 1)))
    console.log(`  ${path}: prettier changes ${String(count)} rendering(s)`);
if (unmaskable.size > 0)
  console.log(
    `${String(unmaskable.size)} texts whose formatting depends on the app's name: prettier runs on them for other names`,
  );
