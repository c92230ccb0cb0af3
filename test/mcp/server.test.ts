/**
 * `portcullis mcp` driven by the MCP SDK's own client over stdio, as an agent would: the built binary
 * in a temp workspace, a full session (list, dry-run, apply, check, explain) and every refusal the
 * server owes an agent (paths outside the root, symlinks out, bad enum values, unknown arguments).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GENERATORS } from '../../generators/index.js';
import { REPO_ROOT } from '../helpers/generated-app.js';

const BIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');

let base: string;
let work: string;
let outside: string;
let client: Client;

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function textOf(result: ToolResult): string {
  return (result.content as { type: string; text: string }[]).map((part) => part.text).join('');
}

function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return client.callTool({ name, arguments: args }, undefined, { timeout: 240_000 });
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'portcullis-mcp-'));
  work = join(base, 'workspace');
  outside = join(base, 'outside');
  await mkdir(work);
  await mkdir(outside);
  await writeFile(join(outside, 'leak.ts'), "export const key = 'sk_live_" + 'a1B2c3D4e5F6g7H8i9J0kLmN' + "';\n");
  await symlink(outside, join(work, 'escape'));
  client = new Client({ name: 'portcullis-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: work, stderr: 'pipe' }),
  );
}, 120_000);

afterAll(async () => {
  await client.close();
  await rm(base, { recursive: true, force: true });
});

describe('portcullis mcp over stdio', () => {
  it('introduces itself and declares every tool with schemas and annotations', async () => {
    expect(client.getInstructions()).toMatch(/^Portcullis scaffolds secure-by-default modules/);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'portcullis_check',
      'portcullis_explain_rule',
      'portcullis_generate',
      'portcullis_list_generators',
    ]);
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    for (const name of ['portcullis_check', 'portcullis_explain_rule', 'portcullis_list_generators'])
      expect(byName[name]!.annotations?.readOnlyHint, name).toBe(true);
    expect(byName.portcullis_generate!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
  });

  it('lists generators as structured content', async () => {
    const listed = await call('portcullis_list_generators', {});
    const structured = listed.structuredContent as { generators: { name: string }[] };
    expect(structured.generators.map((g) => g.name)).toEqual(GENERATORS.map((g) => g.name));
    expect(textOf(listed)).toMatch(/generators: /);
  });

  it('dry-runs by default: a summary with sizes and hashes, nothing written, the diff only on request', async () => {
    const dry = await call('portcullis_generate', {
      dir: 'shop',
      new: true,
      generators: ['db', 'webhook'],
      options: { webhook: { provider: 'stripe' } },
      framework: 'hono',
    });
    expect(dry.isError, textOf(dry)).toBeFalsy();
    const summary = dry.structuredContent as {
      applied: boolean;
      files: { path: string; action: string; bytes?: number; sha256?: string }[];
      diff?: string;
      diffBytes: number;
    };
    expect(summary.applied).toBe(false);
    expect(summary.diff).toBeUndefined();
    expect(summary.diffBytes).toBeGreaterThan(20_000);
    const app = summary.files.find((file) => file.path === 'src/app.ts')!;
    expect(app).toMatchObject({ action: 'create' });
    expect(app.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(app.bytes).toBeGreaterThan(0);
    expect(textOf(dry)).toContain('Dry run (nothing written)');
    expect(existsSync(join(work, 'shop'))).toBe(false);
    expect(JSON.stringify(dry).length).toBeLessThan(40_000);

    const withDiff = await call('portcullis_generate', {
      dir: 'shop',
      new: true,
      generators: ['db'],
      includeDiff: true,
      maxDiffBytes: 2_000,
    });
    const cut = withDiff.structuredContent as { diff: string; diffTruncated: boolean };
    expect(cut.diffTruncated).toBe(true);
    expect(Buffer.byteLength(cut.diff)).toBeLessThanOrEqual(2_000);
    expect(textOf(withDiff)).toContain('was cut at 2000 bytes');
  });

  it('applies, then checks the app clean and explains a rule', async () => {
    const applied = await call('portcullis_generate', {
      dir: 'shop',
      new: true,
      generators: ['db', 'webhook'],
      options: { webhook: { provider: ['stripe'] } },
      framework: 'hono',
      apply: true,
    });
    expect(applied.isError, textOf(applied)).toBeFalsy();
    expect((applied.structuredContent as { applied: boolean }).applied).toBe(true);
    const written = join(work, 'shop', 'src', 'app.ts');
    expect(await readFile(written, 'utf8')).toContain("from 'hono'");
    const sha = (applied.structuredContent as { files: { path: string; sha256?: string }[] }).files.find(
      (file) => file.path === 'src/app.ts',
    )!.sha256;
    const { createHash } = await import('node:crypto');
    expect(
      createHash('sha256')
        .update(await readFile(written))
        .digest('hex'),
    ).toBe(sha);

    const again = await call('portcullis_generate', {
      dir: 'shop',
      new: true,
      generators: ['db', 'webhook'],
      options: { webhook: { provider: ['stripe'] } },
      framework: 'hono',
      apply: true,
    });
    const rerun = again.structuredContent as { files: { action: string }[] };
    expect(rerun.files.every((file) => file.action === 'unchanged')).toBe(true);

    const checked = await call('portcullis_check', { dir: 'shop' });
    expect(checked.isError, textOf(checked)).toBeFalsy();
    const report = checked.structuredContent as { findings: unknown[]; failed: boolean };
    expect(report.findings).toEqual([]);
    expect(report.failed).toBe(false);
    expect(textOf(checked)).toMatch(/^0 finding\(s\) in shop/);

    const explained = await call('portcullis_explain_rule', { ruleId: 'no-hardcoded-secrets' });
    expect(explained.structuredContent).toMatchObject({ ruleId: 'no-hardcoded-secrets', category: 'secrets' });
    expect((explained.structuredContent as { markdown: string }).markdown).toContain('## Examples');
  }, 240_000);

  it('refuses paths outside the workspace root: "..", absolute paths and symlinks pointing out', async () => {
    for (const dir of ['../outside', outside, 'escape', 'escape/deeper', '/etc']) {
      const checked = await call('portcullis_check', { dir });
      expect(checked.isError, dir).toBe(true);
      expect(textOf(checked)).toContain('is outside the workspace root');
      const generated = await call('portcullis_generate', { dir, new: true, generators: ['db'], apply: true });
      expect(generated.isError, dir).toBe(true);
      expect(textOf(generated)).toContain('is outside the workspace root');
    }
    expect(await readdir(outside)).toEqual(['leak.ts']);
  });

  it('refuses bad arguments as tool errors the agent can correct', async () => {
    const extreme = await call('portcullis_check', { dir: 'shop', failOn: 'extreme' });
    expect(extreme.isError).toBe(true);
    expect(textOf(extreme)).toBe('portcullis_check: argument "failOn" must be one of critical, high, medium, low');

    const unknownArg = await call('portcullis_check', { dir: 'shop', path: 'x' });
    expect(textOf(unknownArg)).toBe('portcullis_check: unknown argument "path"');

    const unknownRule = await call('portcullis_explain_rule', { ruleId: 'no-such-rule' });
    expect(unknownRule.isError).toBe(true);
    expect(textOf(unknownRule)).toMatch(/argument "ruleId" must be one of .*no-hardcoded-secrets/);

    const badProvider = await call('portcullis_generate', {
      dir: 'other',
      new: true,
      generators: ['webhook'],
      options: { webhook: { provider: ['paypal'] } },
    });
    expect(badProvider.isError).toBe(true);
    expect(textOf(badProvider)).toMatch(/must be one of stripe, standard, github, generic/);

    const badOption = await call('portcullis_generate', {
      dir: 'other',
      new: true,
      generators: ['db'],
      options: { db: { size: 3 } },
    });
    expect(badOption.isError).toBe(true);
    expect(textOf(badOption)).toBe('portcullis_generate: unknown argument "options.db.size"');
    expect(existsSync(join(work, 'other'))).toBe(false);
  });
});
