/**
 * The posture report opened in headless Chromium (Debian's, driven by playwright-core): it renders with
 * no console errors under its strict CSP, shows the checklist areas, and its numbers equal the JSON
 * report's (issue 18).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POSTURE_AREAS } from '../../src/report/html.js';
import { runCli } from '../helpers/cli.js';
import { fixtureDir, LIVE_KEY } from '../helpers/fixture-dir.js';

const CHROMIUM = process.env.PORTCULLIS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs it)`);
if (!available) console.warn(`[html-browser] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const ROUTES = `import express from 'express';
import { requireUser } from './auth';
const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.get('/me', requireUser, async (req, res) => res.json(await db.user.findUnique({ where: { id: req.params.id } })));
app.delete('/items/:id', async (req, res) => {
  await db.item.delete({ where: { id: req.params.id } });
  res.send('ok');
});
declare const db: {
  user: { findUnique(args: unknown): Promise<unknown> };
  item: { delete(args: unknown): Promise<void> };
};
`;

const AUTH = `import type { NextFunction, Request, Response } from 'express';
export function requireUser(req: Request, res: Response, next: NextFunction) {
  if (!req.headers.authorization) return res.status(401).end();
  next();
}
`;

let browser: Browser | undefined;
let app: Awaited<ReturnType<typeof fixtureDir>>;

beforeAll(async () => {
  app = await fixtureDir({
    'package.json': JSON.stringify({ name: 'posture-demo', private: true }),
    'src/routes.ts': ROUTES,
    'src/auth.ts': AUTH,
    'src/keys.ts': `export const stripe = '${LIVE_KEY}';\nexport const other = '${LIVE_KEY.replace('51H', '52H')}';\n`,
    'src/accepted.ts': `// portcullis-ignore no-hardcoded-secrets -- rotated test key, revoked at the provider\nexport const old = '${LIVE_KEY.replace('51H', '53H')}';\n`,
    'src/log.ts': 'export function audit(req: { headers: unknown }) {\n  console.log(req.headers);\n}\n',
  });
  // Accept one finding into a baseline, so the report shows both kinds of suppression.
  const first = await runCli(['check', '--format', 'json'], app.dir);
  const findings = (JSON.parse(first.stdout) as { findings: { ruleId: string; file: string; fingerprint: string }[] })
    .findings;
  const accepted = findings.find((f) => f.ruleId === 'no-sensitive-logging')!;
  await writeFile(
    join(app.dir, 'baseline.json'),
    JSON.stringify({ version: 1, tool: 'test', entries: [{ ...accepted, reason: 'logged to a local file only' }] }),
  );
  if (available)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app.remove();
});

describe.skipIf(!available)('the posture report in Chromium', () => {
  it('renders with no console errors and its numbers equal the JSON report', async () => {
    const report = await runCli(
      ['report', '--preset', 'strict', '--baseline', 'baseline.json', '--output', 'posture.html'],
      app.dir,
    );
    expect(report.code, report.stderr).toBe(1);
    const json = JSON.parse(
      (await runCli(['check', '--preset', 'strict', '--baseline', 'baseline.json', '--format', 'json'], app.dir))
        .stdout,
    ) as {
      summary: Record<string, number>;
      findings: { severity: string; category: string }[];
      suppressed: { suppression: { kind: string } }[];
    };
    const routes = JSON.parse((await runCli(['routes', '--json'], app.dir)).stdout) as { routes: unknown[] };
    const html = await readFile(join(app.dir, 'posture.html'), 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!github\.com)/);

    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`file://${join(app.dir, 'posture.html')}`);
    expect(problems).toEqual([]);

    const number = async (selector: string, attribute: string): Promise<number> =>
      Number(await page.locator(selector).first().getAttribute(attribute));
    expect(await number('[data-total]', 'data-total')).toBe(json.summary.findings);
    expect(await number('[data-suppressed]', 'data-suppressed')).toBe(json.summary.suppressed);
    for (const severity of ['critical', 'high', 'medium', 'low'])
      expect(Number(await page.locator(`.card[data-severity="${severity}"] b`).textContent()), severity).toBe(
        json.summary[severity],
      );
    const baselined = json.suppressed.filter((s) => s.suppression.kind === 'baseline').length;
    const inline = json.suppressed.length - baselined;
    expect([baselined, inline]).toEqual([1, 1]);
    expect(await page.locator('#suppressed p').first().textContent()).toBe(
      `${String(baselined)} by baseline, ${String(inline)} inline.`,
    );

    // Every checklist area is there, and its count is the JSON findings in its categories.
    for (const area of POSTURE_AREAS) {
      const row = page.locator(`tr[data-area="${area.id}"]`);
      expect(await row.count(), area.id).toBe(1);
      const expected = json.findings.filter((f) => (area.categories as readonly string[]).includes(f.category)).length;
      expect(await number(`tr[data-area="${area.id}"] [data-findings]`, 'data-findings'), area.id).toBe(expected);
    }
    expect(await page.locator('tr[data-area="authorization"] .status').textContent()).toBe('findings');

    // The route inventory is the `routes` command's, with the unguarded route called out.
    expect(await number('[data-routes]', 'data-routes')).toBe(routes.routes.length);
    expect(await page.locator('#routes td.high').count()).toBe(1);
    // Messages show code as code, never as literal backticks; excerpts mark the reported line.
    expect(await page.locator('#findings').textContent()).not.toContain('`');
    expect(await page.locator('#findings pre').first().textContent()).toMatch(/> +\d+ \|/);
    expect(await page.title()).toBe('Security posture report — posture-demo');
    await page.close();
  }, 240_000);
});
