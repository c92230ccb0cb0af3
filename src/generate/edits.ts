import { createRequire } from 'node:module';

import type { Project } from 'ts-morph';

// ts-morph (and the TypeScript compiler it loads) only when an existing app entry file is edited.
const loadTsMorph = (): typeof import('ts-morph') =>
  createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');

/** Exact `x.y.z` (optionally with a pre-release): only these are compared when raising a version. */
const EXACT_VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

function compareExact(a: string, b: string): number | undefined {
  const ma = EXACT_VERSION.exec(a);
  const mb = EXACT_VERSION.exec(b);
  if (ma === null || mb === null) return undefined;
  for (let i = 1; i <= 3; i++) {
    const diff = Number(ma[i]) - Number(mb[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface DependencyEdit {
  content: string;
  /** Packages the app already pins differently (left as they are, reported to the user). */
  kept: string[];
}

/**
 * Adds dependencies to package.json text, or raises an exact pin that is lower. A range or a higher
 * pin the user chose is kept. Keeps the file's indentation; sorts the dependency maps like npm does.
 */
export function addDependencies(
  text: string,
  sections: Partial<Record<'dependencies' | 'devDependencies', Readonly<Record<string, string>>>>,
): DependencyEdit {
  const json = JSON.parse(text) as Record<string, unknown>;
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  const kept: string[] = [];
  for (const section of ['dependencies', 'devDependencies'] as const) {
    const wanted = sections[section];
    if (wanted === undefined || Object.keys(wanted).length === 0) continue;
    const current = { ...((json[section] as Record<string, string> | undefined) ?? {}) };
    const other = (json[section === 'dependencies' ? 'devDependencies' : 'dependencies'] ?? {}) as Record<
      string,
      string
    >;
    for (const [name, version] of Object.entries(wanted)) {
      // A runtime dependency already present as a devDependency (or vice versa) stays where the user put it.
      const existing = current[name] ?? (section === 'devDependencies' ? other[name] : undefined);
      if (existing === undefined) current[name] = version;
      else if (existing !== version) {
        const order = compareExact(existing, version);
        if (order !== undefined && order < 0 && current[name] !== undefined) current[name] = version;
        else kept.push(`${name}@${existing}`);
      }
    }
    json[section] = sortedRecord(current);
  }
  return { content: `${JSON.stringify(json, null, indent)}\n`, kept };
}

/** Adds npm scripts that package.json does not have yet; one the user already has under that name is kept. */
export function addScripts(text: string, scripts: Readonly<Record<string, string>>): DependencyEdit {
  const json = JSON.parse(text) as Record<string, unknown>;
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  const current = { ...((json.scripts as Record<string, string> | undefined) ?? {}) };
  const kept: string[] = [];
  for (const [name, command] of Object.entries(scripts)) {
    if (current[name] === undefined) current[name] = command;
    else if (current[name] !== command) kept.push(name);
  }
  json.scripts = current;
  return { content: `${JSON.stringify(json, null, indent)}\n`, kept };
}

/** Appends env keys that `.env.example` does not declare yet (each with its comment). */
export function addEnvEntries(
  text: string,
  entries: readonly { key: string; example: string; comment: string }[],
): string {
  const declared = new Set(
    text
      .split('\n')
      .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
      .filter((key): key is string => key !== undefined),
  );
  let out = text;
  for (const entry of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.key))
      throw new Error(`invalid environment variable name "${entry.key}"`);
    if (declared.has(entry.key)) continue;
    if (/[\r\n]/.test(entry.example) || /[\r\n]/.test(entry.comment))
      throw new Error(`the example or comment of ${entry.key} spans lines`);
    if (out.length > 0 && !out.endsWith('\n')) out += '\n';
    if (out.length > 0 && !out.endsWith('\n\n')) out += '\n';
    out += `# ${entry.comment}\n${entry.key}=${entry.example}\n`;
    declared.add(entry.key);
  }
  return out;
}

export const REGISTER_FUNCTION = 'registerModules';

export type RegisterEdit = { ok: true; content: string } | { ok: false; reason: string };

let sharedProject: Project | undefined;

/**
 * Registers a module in the app entry: `import { name } from 'from'` (merged into an existing import of
 * the same module) and `name(app);` at the end of `registerModules`, each only when absent.
 */
export function registerModule(text: string, from: string, name: string): RegisterEdit {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new Error(`invalid function name "${name}" to register`);
  if (!/^\.{1,2}\/[A-Za-z0-9_./-]+$/.test(from)) throw new Error(`invalid module path "${from}" to register`);
  const { IndentationText, Project, QuoteKind, SyntaxKind } = loadTsMorph();
  sharedProject ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces },
  });
  const file = sharedProject.createSourceFile('/app.ts', text, { overwrite: true });
  try {
    const fn = file.getFunction(REGISTER_FUNCTION);
    const body = fn?.getBody();
    const param = fn?.getParameters()[0]?.getName();
    if (fn === undefined || body === undefined || param === undefined)
      return { ok: false, reason: `it has no function ${REGISTER_FUNCTION}(app) to register modules in` };

    const imports = file.getImportDeclarations();
    const sameModule = imports.find((decl) => decl.getModuleSpecifierValue() === from && !decl.isTypeOnly());
    const alreadyImported = imports.some((decl) =>
      decl.getNamedImports().some((spec) => (spec.getAliasNode()?.getText() ?? spec.getName()) === name),
    );
    if (!alreadyImported) {
      if (sameModule !== undefined) sameModule.addNamedImport(name);
      else file.insertImportDeclaration(imports.length, { moduleSpecifier: from, namedImports: [name] });
    }

    const called = fn
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .some((call) => call.getExpression().getText() === name);
    if (!called) fn.addStatements(`${name}(${param});`);
    return { ok: true, content: file.getFullText() };
  } finally {
    sharedProject.removeSourceFile(file);
  }
}
