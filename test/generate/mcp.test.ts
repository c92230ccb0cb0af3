import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GENERATORS } from '../../generators/index.js';
import { createMcpServer } from '../../src/mcp/server.js';

let work: string;
let client: Client;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'portcullis-mcp-'));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(work).connect(serverSide);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await rm(work, { recursive: true, force: true });
});

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[]).map((part) => part.text).join('');
}

describe('portcullis mcp', () => {
  it('exposes generate, list, check and explain', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['check', 'explain', 'generate', 'list']);
    const generate = tools.find((tool) => tool.name === 'generate')!;
    expect(generate.inputSchema.required).toEqual(['dir', 'generators']);
  });

  it('lists generators with their schemas', async () => {
    const json = JSON.parse(textOf(await client.callTool({ name: 'list', arguments: {} }))) as {
      generators: { name: string }[];
    };
    expect(json.generators.map((g) => g.name)).toEqual(GENERATORS.map((g) => g.name));
  });

  it('generates a new app, then checks it clean', async () => {
    const generated = await client.callTool({
      name: 'generate',
      arguments: { dir: 'shop', new: true, generators: ['db'], framework: 'hono' },
    });
    expect(generated.isError).toBeFalsy();
    const result = JSON.parse(textOf(generated)) as { created: string[]; conflicts: unknown[] };
    expect(result.created).toContain('src/db/index.ts');
    expect(await readFile(join(work, 'shop', 'src', 'app.ts'), 'utf8')).toContain("from 'hono'");

    const checked = await client.callTool({ name: 'check', arguments: { dir: 'shop' } });
    const report = JSON.parse(textOf(checked)) as { findings: unknown[] };
    expect(report.findings).toEqual([]);
    const typed = await client.callTool({ name: 'check', arguments: { dir: 'shop', types: true } });
    expect((JSON.parse(textOf(typed)) as { findings: unknown[] }).findings).toEqual([]);
    const wrong = await client.callTool({ name: 'check', arguments: { dir: 'shop', types: 'yes' } });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain('argument "types" must be true or false');
  });

  it('returns a bad option as a tool error the model can correct, writing nothing', async () => {
    const result = await client.callTool({
      name: 'generate',
      arguments: { dir: 'bad', new: true, generators: ['db'], options: { db: { size: 3 } } },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('db: unknown option "--size"; it takes no options.');
  });

  it('explains a rule', async () => {
    const result = await client.callTool({ name: 'explain', arguments: { ruleId: 'no-hardcoded-secrets' } });
    expect(textOf(result)).toContain('# ');
  });
});
