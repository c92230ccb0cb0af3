import type { AppContext, GeneratorAction, GeneratorSpec } from '../types.js';
import { AUTH_SCHEMA, normalizeAuthOptions, type AuthOptions } from './options.js';

export type { AuthOptions } from './options.js';

const CORE = [
  'types.ts',
  'config.ts',
  'crypto.ts',
  'cookies.ts',
  'http.ts',
  'return-path.ts',
  'users.ts',
  'sessions.ts',
  'signing-keys.ts',
  'access-tokens.ts',
  'refresh-tokens.ts',
  'nonces.ts',
  'oidc.ts',
  'request-guard.ts',
  'posture.ts',
  'step-up.ts',
  'auth.ts',
  'index.ts',
  'testing/setup.ts',
  'testing/test-idp.ts',
  'testing/oidc-provider.d.ts',
  'oidc.test.ts',
  'tokens.test.ts',
  'sessions.test.ts',
];
const MFA = [
  'attempt-limiter.ts',
  'totp.ts',
  'recovery-codes.ts',
  'webauthn.ts',
  'testing/software-authenticator.ts',
  'mfa.test.ts',
];

const file = (name: string): GeneratorAction => ({
  type: 'add',
  path: `src/auth/${name}`,
  template: `auth/src/auth/${name}.hbs`,
});

/**
 * Authentication the app owns: OIDC sign-in (code + PKCE + state + nonce), server-side sessions in
 * `__Host-` cookies, short-lived asymmetric JWT access tokens with key rotation, rotating refresh
 * tokens with reuse detection, TOTP / recovery codes / WebAuthn step-up, CSRF and CORS hardening.
 */
export const authGenerator: GeneratorSpec<AuthOptions> = {
  name: 'auth',
  description:
    'Authentication: OIDC sign-in with PKCE, hardened server-side sessions, short-lived JWT access tokens with key rotation, rotating refresh tokens with reuse detection, MFA (TOTP, recovery codes, WebAuthn) with step-up, CSRF and CORS protection.',
  version: '1.1.0',
  schema: AUTH_SCHEMA,
  requires: ['db'],
  normalizeOptions: normalizeAuthOptions,
  actions(options: AuthOptions, app: AppContext): GeneratorAction[] {
    const actions: GeneratorAction[] = [
      { type: 'add', path: 'migrations/0200_auth_core.sql', template: 'auth/migrations/0200_auth_core.sql.hbs' },
      {
        type: 'add',
        path: 'migrations/0202_auth_key_revocation.sql',
        template: 'auth/migrations/0202_auth_key_revocation.sql.hbs',
      },
      ...CORE.map(file),
    ];
    if (options.mfa) {
      actions.push({
        type: 'add',
        path: 'migrations/0201_auth_mfa.sql',
        template: 'auth/migrations/0201_auth_mfa.sql.hbs',
      });
      actions.push(...MFA.map(file));
    }
    actions.push(file(`${app.framework}.ts`), file(`${app.framework}.test.ts`));
    const dependencies: Record<string, string> = { jose: '6.2.17', 'openid-client': '6.8.9' };
    const devDependencies: Record<string, string> = { 'oidc-provider': '9.13.3' };
    if (options.mfa) {
      dependencies['@oslojs/otp'] = '1.1.0';
      dependencies['@simplewebauthn/server'] = '14.0.3';
    }
    if (app.framework === 'express') {
      dependencies.express = '5.3.0';
      devDependencies['@types/express'] = '5.0.6';
    } else {
      dependencies.hono = '4.13.19';
      dependencies['@hono/node-server'] = '2.1.9';
    }
    actions.push({ type: 'dependencies', dependencies, devDependencies });
    actions.push({
      type: 'env',
      entries: [
        {
          key: 'APP_ORIGIN',
          example: 'http://localhost:3000',
          comment: "The app's public origin: access-token issuer, OIDC redirect base, expected Origin for CSRF checks.",
        },
        { key: 'OIDC_ISSUER', example: 'https://accounts.example.com', comment: 'OpenID Connect issuer URL.' },
        { key: 'OIDC_CLIENT_ID', example: '', comment: 'Client id registered at the issuer.' },
        {
          key: 'OIDC_CLIENT_SECRET',
          example: '',
          comment: 'Client secret; leave empty for a public client (PKCE only).',
        },
        {
          key: 'AUTH_ENCRYPTION_KEY',
          example: '',
          comment: 'base64url of 32 random bytes (AES-256-GCM for TOTP secrets and signing keys at rest).',
        },
      ],
    });
    return actions;
  },
  nextSteps: (options, app) => [
    `Register ${options.routePrefix}/callback as a redirect URI at your OpenID provider and fill OIDC_* in .env.`,
    "Generate AUTH_ENCRYPTION_KEY: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
    app.composed === true
      ? 'Mounted by src/mount.ts (auth routes, then authentication); guard your own routes with requireAuth() and requireStepUp(auth) as src/api.ts does.'
      : app.framework === 'express'
        ? "Mount it: app.use(authRoutes(auth), authenticate(auth)); guard routes with requireAuth() and requireStepUp(auth) from './auth/express.js'."
        : "Mount it: app.use(authRoutes(auth), authenticate(auth)); guard routes with requireAuth() and requireStepUp(auth) from './auth/hono.js'.",
    'Call auth.rotateSigningKey() on a schedule (e.g. monthly); on a key incident call auth.revokeSigningKey(kid): every instance refuses it from the next request on.',
  ],
};
