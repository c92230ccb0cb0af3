import { describe, expect, it } from 'vitest';

import { addDependencies, addEnvEntries, addScripts, registerModule } from '../../src/generate/edits.js';

describe('addDependencies', () => {
  const base =
    '{\n    "name": "x",\n    "dependencies": {\n        "zod": "^3.0.0",\n        "jose": "6.0.0"\n    }\n}\n';

  it('adds missing packages sorted, raises a lower exact pin, keeps the indentation', () => {
    const { content, kept } = addDependencies(base, { dependencies: { jose: '6.2.17', pg: '8.23.1' } });
    expect(content).toBe(
      '{\n    "name": "x",\n    "dependencies": {\n        "jose": "6.2.17",\n        "pg": "8.23.1",\n        "zod": "^3.0.0"\n    }\n}\n',
    );
    expect(kept).toEqual([]);
  });

  it("keeps the user's range or higher pin and says so", () => {
    const { content, kept } = addDependencies(base, { dependencies: { zod: '4.0.0', jose: '5.0.0' } });
    expect(JSON.parse(content)).toEqual(JSON.parse(base));
    expect(kept).toEqual(['zod@^3.0.0', 'jose@6.0.0']);
  });

  it('does not add a devDependency the app already has as a dependency', () => {
    const { content } = addDependencies(base, { devDependencies: { jose: '6.0.0' } });
    expect(JSON.parse(content)).not.toHaveProperty('devDependencies.jose');
  });

  it('is idempotent', () => {
    const once = addDependencies(base, { dependencies: { pg: '8.23.1' } }).content;
    expect(addDependencies(once, { dependencies: { pg: '8.23.1' } }).content).toBe(once);
  });
});

describe('addScripts', () => {
  it("adds missing scripts, keeps the user's of the same name, and is idempotent", () => {
    const base = '{\n  "name": "x",\n  "scripts": { "build": "tsc", "replay": "tsx replay.ts" }\n}\n';
    const first = addScripts(base, {
      replay: 'node dist/replay.js',
      'webhooks:replay': 'node dist/webhooks/replay.js',
    });
    expect(JSON.parse(first.content)).toEqual({
      name: 'x',
      scripts: { build: 'tsc', replay: 'tsx replay.ts', 'webhooks:replay': 'node dist/webhooks/replay.js' },
    });
    expect(first.kept).toEqual(['replay']);
    const again = addScripts(first.content, { 'webhooks:replay': 'node dist/webhooks/replay.js' });
    expect(again.content).toBe(first.content);
    expect(again.kept).toEqual([]);
    expect(() => addScripts('{ nope', {})).toThrow();
  });
});

describe('addEnvEntries', () => {
  it('appends only the keys not declared yet (also commented-out-free "export KEY=")', () => {
    const text = '# App\nexport PORT=3000\n';
    const out = addEnvEntries(text, [
      { key: 'PORT', example: '1', comment: 'dup' },
      { key: 'JWT_SECRET', example: '', comment: 'Signs tokens.' },
    ]);
    expect(out).toBe('# App\nexport PORT=3000\n\n# Signs tokens.\nJWT_SECRET=\n');
    expect(addEnvEntries(out, [{ key: 'JWT_SECRET', example: '', comment: 'Signs tokens.' }])).toBe(out);
  });

  it('rejects a key or value that would inject extra lines', () => {
    expect(() => addEnvEntries('', [{ key: 'A B', example: '', comment: '' }])).toThrow(/invalid environment variable/);
    expect(() => addEnvEntries('', [{ key: 'A', example: 'x\nB=1', comment: '' }])).toThrow(/spans lines/);
  });
});

describe('registerModule', () => {
  const entry = `import express, { type Express } from 'express';

export function registerModules(app: Express): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
}
`;

  it('adds the import and the call once', () => {
    const first = registerModule(entry, './auth/express.js', 'mountAuth');
    expect(first.ok).toBe(true);
    const text = (first as { content: string }).content;
    expect(text).toContain("import { mountAuth } from './auth/express.js';");
    expect(text).toMatch(/\}\);\n\s*mountAuth\(app\);\n\}/);
    const second = registerModule(text, './auth/express.js', 'mountAuth');
    expect((second as { content: string }).content).toBe(text);
  });

  it('merges into an existing import of the same module and uses the parameter name', () => {
    const custom = `import { helper } from './auth/express.js';\nexport function registerModules(server: unknown): void {\n  helper();\n}\n`;
    const result = registerModule(custom, './auth/express.js', 'mountAuth') as { content: string };
    expect(result.content).toContain("import { helper, mountAuth } from './auth/express.js';");
    expect(result.content).toContain('mountAuth(server);');
  });

  it('reports (instead of guessing) when the entry has no registerModules function', () => {
    expect(registerModule('export const app = 1;\n', './a.js', 'mountA')).toEqual({
      ok: false,
      reason: 'it has no function registerModules(app) to register modules in',
    });
  });

  it('rejects a name or module path that is not a plain identifier / relative path', () => {
    expect(() => registerModule(entry, './a.js', 'x();evil')).toThrow(/invalid function name/);
    expect(() => registerModule(entry, "./a.js';evil", 'mountA')).toThrow(/invalid module path/);
  });
});
