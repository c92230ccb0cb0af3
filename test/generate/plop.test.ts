import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import nodePlop from 'node-plop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GENERATORS } from '../../generators/index.js';
import portcullisPlopfile from '../../generators/plopfile.js';
import { newApp } from '../../src/generate/commands.js';
import { answerText, optionQuestion, terminalAsk } from '../../src/generate/prompt.js';

const spec = (name: string) => GENERATORS.find((generator) => generator.name === name)!;

describe('plop questions from option schemas', () => {
  it('maps enums to lists, booleans to confirms, enum arrays to checkboxes and strings to validated inputs', () => {
    const webhook = spec('webhook').schema.properties;
    expect(optionQuestion('provider', webhook.provider!)).toMatchObject({
      type: 'checkbox',
      choices: expect.arrayContaining([expect.objectContaining({ value: 'stripe', checked: true })]),
    });
    expect(optionQuestion('engine', spec('rbac').schema.properties.engine!)).toMatchObject({
      type: 'list',
      choices: ['typed', 'cedar'],
    });
    expect(optionQuestion('mfa', spec('auth').schema.properties.mfa!)).toMatchObject({
      type: 'confirm',
      default: true,
    });
    const prefix = optionQuestion('routePrefix', webhook.routePrefix!) as {
      type: string;
      validate: (answer: string) => true | string;
    };
    expect(prefix.type).toBe('input');
    expect(prefix.validate('/hooks')).toBe(true);
    expect(prefix.validate('no slash ../')).toMatch(/^must match/);
  });

  it('turns answers into the strings the CLI takes', () => {
    expect(answerText(['stripe', 'github'])).toBe('stripe,github');
    expect(answerText(false)).toBe('false');
    expect(answerText('')).toBeUndefined();
  });

  it('asks on the given streams through inquirer and returns the chosen value', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const ask = terminalAsk(input, output);
    const answer = ask('auth.mfa', spec('auth').schema.properties.mfa!);
    setTimeout(() => input.write('n\n'), 50);
    expect(await answer).toBe('false');
    expect(shown).toContain('auth.mfa');
  });
});

describe('the plopfile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-plop-'));
    await newApp({ cwd: dir, dir: '.', framework: 'express' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('registers every generator with plop', async () => {
    const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
    portcullisPlopfile(plop);
    expect(
      plop
        .getGeneratorList()
        .map((generator) => generator.name)
        .sort(),
    ).toEqual(GENERATORS.map((generator) => generator.name).sort());
  });

  it('runs the engine: writes the module once, then changes nothing, and reports a user edit as a failure', async () => {
    const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
    portcullisPlopfile(plop);
    const webhook = plop.getGenerator('webhook');
    const first = await webhook.runActions({ provider: ['stripe'], routePrefix: '/webhooks' });
    expect(first.failures).toEqual([]);
    expect(existsSync(join(dir, 'src/webhooks/verify.ts'))).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, '.portcullis/manifest.json'), 'utf8')) as {
      files: Record<string, { generator: string }>;
    };
    expect(manifest.files['src/webhooks/verify.ts']?.generator).toBe('webhook');

    const again = await webhook.runActions({ provider: ['stripe'], routePrefix: '/webhooks' });
    expect(again.failures).toEqual([]);
    expect(again.changes.map((change) => change.path).join('\n')).toMatch(/0 created, 0 updated/);

    // endpoints.ts changes with the provider list, so a new run wants to rewrite it.
    await writeFile(join(dir, 'src/webhooks/endpoints.ts'), '// mine\n', 'utf8');
    const edited = await webhook.runActions({ provider: ['stripe', 'github'], routePrefix: '/webhooks' });
    expect(edited.failures.map((failure) => failure.error).join('\n')).toContain('CONFLICT src/webhooks/endpoints.ts');
    expect(await readFile(join(dir, 'src/webhooks/endpoints.ts'), 'utf8')).toBe('// mine\n');
  });
});

describe('the plop command as the README gives it', () => {
  let dir: string;
  const plopBin = join(process.cwd(), 'node_modules', 'plop', 'bin', 'plop.js');
  const plopfile = join(process.cwd(), 'dist', 'generators', 'plopfile.js');
  const plopRun = (cwd: string, ...args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolvePromise) => {
      execFile(process.execPath, [plopBin, '--plopfile', plopfile, ...args], { cwd }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolvePromise({ code, output: stdout + stderr });
      });
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-plop-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(plopfile))(
    'writes into the folder it is run in (no --dest) and exits non-zero when the action fails',
    async () => {
      const app = join(dir, 'app');
      await newApp({ dir: app, cwd: dir, framework: 'express' });
      const ok = await plopRun(app, 'db');
      expect(ok.code, ok.output).toBe(0);
      expect(existsSync(join(app, 'src', 'db', 'index.ts'))).toBe(true);
      // No app here: the engine refuses, and so must the exit code.
      const failed = await plopRun(dir, 'db');
      expect(failed.code, failed.output).not.toBe(0);
      expect(existsSync(join(dir, 'src'))).toBe(false);
    },
    180_000,
  );
});
