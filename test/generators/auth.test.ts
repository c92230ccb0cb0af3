import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authGenerator } from '../../generators/auth/index.js';
import { normalizeAuthOptions } from '../../generators/auth/options.js';
import { dbGenerator } from '../../generators/db/index.js';
import { OptionsError, type AppContext } from '../../generators/types.js';
import {
  DEFAULT_APP,
  expectProvenanceBanners,
  lintGenerated,
  runGeneratedTests,
  type ScaffoldedApp,
  scaffoldForTest,
  typecheck,
} from '../helpers/generated-app.js';

const KEEP = process.env.PORTCULLIS_KEEP_APPS === '1';

describe('auth generator options', () => {
  const app: AppContext = { ...DEFAULT_APP, modules: ['db'] };

  it('fills documented defaults', () => {
    expect(normalizeAuthOptions({}, app)).toEqual({
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 2_592_000,
      signingAlgorithm: 'ES256',
      keyOverlapSeconds: 600,
      sessionIdleTimeoutSeconds: 1800,
      sessionAbsoluteTimeoutSeconds: 43_200,
      returnPaths: ['/'],
      mfa: true,
      stepUpMaxAgeSeconds: 300,
      corsOrigins: [],
      tokenAudience: 'api',
      appName: 'App',
      routePrefix: '/auth',
    });
    expect(authGenerator.requires).toEqual(['db']);
    for (const [name, schema] of Object.entries(authGenerator.schema.properties))
      expect(schema.description, name).toBeTruthy();
  });

  it.each([
    [{ corsOrigins: ['*'] }, 'corsOrigins', /not allowed with credentials/],
    [{ corsOrigins: ['https://a.example/'] }, 'corsOrigins', /exact https origin/],
    [{ corsOrigins: ['http://a.example'] }, 'corsOrigins', /exact https origin/],
    [{ returnPaths: ['https://evil.example'] }, 'returnPaths', /relative path prefixes/],
    [{ returnPaths: ['//evil.example'] }, 'returnPaths', /relative path prefixes/],
    [{ returnPaths: ['/app/..'] }, 'returnPaths', /relative path prefixes/],
    [{ accessTokenTtlSeconds: 86_400 }, 'accessTokenTtlSeconds', /from 60 to 3600/],
    [{ keyOverlapSeconds: 30 }, 'keyOverlapSeconds', /from 600/],
    [{ signingAlgorithm: 'HS256' }, 'signingAlgorithm', /ES256, EdDSA/],
    [{ signingAlgorithm: 'none' }, 'signingAlgorithm', /ES256, EdDSA/],
    [
      { sessionIdleTimeoutSeconds: 3600, sessionAbsoluteTimeoutSeconds: 1800 },
      'sessionAbsoluteTimeoutSeconds',
      /at least/,
    ],
    [{ appName: 'x"; process.exit(1); "' }, 'appName', /matching/],
    [{ routePrefix: '/auth/../x' }, 'routePrefix', /matching/],
    [{ mfa: 'yes' }, 'mfa', /true or false/],
    [{ implicitGrant: true }, 'implicitGrant', /Unknown option/],
  ])('rejects %j naming the option', (input, option, message) => {
    let error: unknown;
    try {
      normalizeAuthOptions(input, app);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).option).toBe(option);
    expect((error as OptionsError).message).toMatch(message);
  });

  it('is pure: the same options give the same actions, with pinned dependencies and env keys', () => {
    const options = normalizeAuthOptions({ corsOrigins: ['https://admin.example.com'] }, app);
    expect(authGenerator.actions(options, app)).toEqual(authGenerator.actions(options, app));
    const actions = authGenerator.actions(options, app);
    expect(actions).toContainEqual(
      expect.objectContaining({
        type: 'dependencies',
        dependencies: expect.objectContaining({
          jose: '6.2.17',
          'openid-client': '6.8.9',
          '@oslojs/otp': '1.1.0',
          '@simplewebauthn/server': '14.0.3',
        }),
      }),
    );
    const env = actions.find((action) => action.type === 'env');
    expect(env?.type === 'env' && env.entries.map((entry) => entry.key)).toEqual([
      'APP_ORIGIN',
      'OIDC_ISSUER',
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'AUTH_ENCRYPTION_KEY',
    ]);
    const paths = actions.flatMap((action) => (action.type === 'add' ? [action.path] : []));
    expect(paths).toContain('migrations/0200_auth_core.sql');
    expect(paths).toContain('src/auth/express.ts');
    expect(paths).not.toContain('src/auth/hono.ts');
    const noMfa = authGenerator.actions(normalizeAuthOptions({ mfa: false }, app), { ...app, framework: 'hono' });
    const noMfaPaths = noMfa.flatMap((action) => (action.type === 'add' ? [action.path] : []));
    expect(noMfaPaths).toContain('src/auth/hono.ts');
    expect(noMfaPaths.some((path) => /totp|webauthn|recovery|0201_auth_mfa/.test(path))).toBe(false);
  });
});

describe.each([
  ['express', {}],
  ['hono', { mfa: false, signingAlgorithm: 'EdDSA', accessTokenTtlSeconds: 300, keyOverlapSeconds: 900 }],
] as const)('auth generator output (%s, %j)', (framework, options) => {
  let app: ScaffoldedApp;
  beforeAll(async () => {
    app = await scaffoldForTest(
      `auth-${framework}`,
      [
        [dbGenerator, {}],
        [authGenerator, options],
      ],
      { framework, db: 'pglite', modules: [] },
    );
  });
  afterAll(async () => {
    if (!KEEP) await app.remove();
  });

  it('writes every file with a provenance banner', () => {
    const auth = app.files.filter((file) => file.generator === 'auth');
    expect(auth.length).toBeGreaterThan(20);
    expectProvenanceBanners(auth, authGenerator);
  });

  it('typechecks under strict TypeScript', async () => {
    const result = await typecheck(app.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 180_000);

  // With the default options the module's own tests are the contract test's (an Express and a Hono app with
  // every module run them): here they run for the non-default options only (no MFA, EdDSA, other lifetimes).
  it.runIf(Object.keys(options).length > 0)(
    'passes its own generated tests (real OIDC provider, PGlite)',
    async () => {
      const result = await runGeneratedTests(app.dir);
      // eslint-disable-next-line no-control-regex -- strips the ANSI colours vitest prints
      const output = result.output.replace(/\u001b\[[0-9;]*m/g, '');
      expect(output).not.toMatch(/\b[1-9]\d* failed/);
      const passed = Number(/Tests\s+(\d+) passed/.exec(output)?.[1] ?? 0);
      expect(passed).toBeGreaterThanOrEqual(30);
      expect(result.ok).toBe(true);
    },
    600_000,
  );

  it('lints clean under Portcullis', async () => {
    const result = await lintGenerated(app.dir);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
  }, 120_000);
});
