import { describe, expect, it } from 'vitest';

import {
  findSecretShapes,
  findSecrets,
  isFixtureFile,
  isIdentifierLike,
  isPublicSupabaseKey,
  isSinkSecretValue,
  looksLikeCredentialValue,
  looksRandom,
  SECRET_SHAPES,
} from '../../src/detectors/secrets.js';

const jwt = (payload: object): string =>
  `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJlLWJ5dGVz`;

describe('findSecrets', () => {
  it('finds provider shapes and tells Supabase service-role JWTs from anon ones', () => {
    expect(findSecrets(`key=${jwt({ role: 'service_role', iss: 'supabase' })}`).map((m) => m.kind)).toEqual([
      'supabase-service-role-key',
    ]);
    expect(findSecrets(jwt({ role: 'anon', iss: 'supabase' }))).toEqual([]);
    expect(findSecrets('sk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h').map((m) => m.kind)).toEqual(['stripe-secret-key']);
  });

  it('needs a key body after a PEM private-key header', () => {
    expect(findSecrets('-----BEGIN PRIVATE KEY-----')).toEqual([]);
    expect(
      findSecrets('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj').map(
        (m) => m.kind,
      ),
    ).toEqual(['private-key']);
    // Issue #14: test stubs with a word for a body are not keys.
    expect(findSecrets('-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----')).toEqual([]);
    expect(findSecrets('"-----BEGIN PRIVATE KEY-----\\ntest\\n-----END PRIVATE KEY-----"')).toEqual([]);
  });

  it('ignores provider prefixes followed by placeholder words (issue #14)', () => {
    expect(findSecrets('placeholder="xoxb-your-token-here"')).toEqual([]);
    expect(findSecrets('xoxb-invalid-token-value')).toEqual([]);
    expect(findSecrets('xoxb-2412345678-2498765432109-AbCdEfGhIjKlMnOpQrStUvWx').map((m) => m.kind)).toEqual([
      'slack-token',
    ]);
  });

  it('knows the published keys of the local Supabase stack (issue #14)', () => {
    expect(findSecrets(jwt({ iss: 'supabase-demo', role: 'service_role' }))).toEqual([]);
    expect(findSecrets("apikey == 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz'")).toEqual([]);
    expect(findSecrets("apikey == 'sb_secret_Q2hvb3NlQVJlYWxLZXlIZXJlMTIz'").map((m) => m.kind)).toEqual([
      'supabase-secret-key',
    ]);
  });

  it('judges database URLs to compose services and default passwords as local dev recipes (issue #14)', () => {
    expect(findSecrets('DATABASE_URL="postgresql://postgres:postgres@db:5432/postgres"')).toEqual([]);
    expect(findSecrets('postgresql://app:Xk29vLq7pT@postgres:5432/app')).toEqual([]);
    expect(findSecrets('postgres://admin:password@db.internal.example.net/app')).toEqual([]);
    expect(findSecrets('postgres://app:Xk29vLq7pT@db.prod-cluster.example.net:5432/app').map((m) => m.kind)).toEqual([
      'connection-string-password',
    ]);
  });
});

/** `n` characters of `alphabet` in a fixed scrambled order: key-shaped, built here so no key is in the source. */
function body(n: number, alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'): string {
  let out = '';
  for (let i = 0, x = 7; i < n; i++, x = (x * 31 + 11) % 9973) out += alphabet[x % alphabet.length];
  return out;
}

/** One sample of every shape, each as the pattern describes it. */
const SHAPE_SAMPLES: Record<string, string> = {
  'aws-access-key-id': `AKIA${body(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  'stripe-secret-key': `sk_live_${body(24)}`,
  'stripe-restricted-key': `rk_live_${body(24)}`,
  'stripe-webhook-secret': `whsec_${body(32)}`,
  'github-token': `ghp_${body(36)}`,
  'github-fine-grained-token': `github_pat_${body(70)}`,
  'slack-token': `xoxb-2412345678-2498765432109-${body(24)}`,
  'slack-webhook-url': `https://hooks.slack.com/services/T${body(8, 'ABCDEFGH1234')}/B${body(8, 'ABCDEFGH1234')}/${body(24)}`,
  'anthropic-api-key': `sk-ant-api03-${body(48)}`,
  'openai-api-key': `sk-proj-${body(48)}`,
  'google-api-key': `AIza${body(35)}`,
  'sendgrid-api-key': `SG.${body(22)}.${body(43)}`,
  'twilio-api-key': `SK${body(32, '0123456789abcdef')}`,
  'npm-token': `npm_${body(36)}`,
  'supabase-secret-key': `sb_secret_${body(28)}`,
  'private-key': `-----BEGIN PRIVATE KEY-----\n${body(64)}`,
  'supabase-service-role-key': jwt({ role: 'service_role', iss: 'supabase' }),
};

describe('SECRET_SHAPES', () => {
  it('finds a sample of every shape through the hint prefilter', () => {
    expect(Object.keys(SHAPE_SAMPLES).sort()).toEqual(SECRET_SHAPES.map((shape) => shape.kind).sort());
    for (const shape of SECRET_SHAPES) {
      const sample = SHAPE_SAMPLES[shape.kind] ?? '';
      expect(new RegExp(shape.hint).test(sample), shape.kind).toBe(true);
      expect(
        findSecretShapes(`const value = "${sample}";`).map((m) => m.kind),
        shape.kind,
      ).toContain(shape.kind);
    }
  });

  it('skips text without any shape prefix', () => {
    expect(findSecretShapes(`const value = "${body(40)}";`)).toEqual([]);
  });
});

describe('isIdentifierLike', () => {
  it.each([
    'app_authToken',
    'recruitment-automation-rules',
    'guard-in',
    'search-1',
    'ScimFeatureSupport',
    'first_name',
    'whsec_ci',
  ])('accepts %s', (value) => {
    expect(isIdentifierLike(value)).toBe(true);
  });

  it.each(['asdaasdpjojasodjojeasd912812974', 'Zr9vXq2LmP0sT7yW', 'hunter2hunter2', 'SuperSecret123!', 'kq7xwzrtplm'])(
    'rejects %s',
    (value) => {
      expect(isIdentifierLike(value)).toBe(false);
    },
  );
});

describe('looksRandom', () => {
  it('wants a long mixed value that is not made of words', () => {
    expect(looksRandom('Zr9vXq2LmP0sT7yWk3')).toBe(true);
    expect(looksRandom('dGhpcyBpcyBhIGtleQ==')).toBe(true);
    expect(looksRandom('pending_payment')).toBe(false);
    expect(looksRandom('change-password')).toBe(false);
    expect(looksRandom('short9X')).toBe(false);
  });
});

describe('isFixtureFile', () => {
  it.each([
    'lib/db/seed.ts',
    'packages/shared/scripts/seeder/scenarios/support.ts',
    'web/src/__tests__/server/slack.servertest.ts',
    'web/src/features/filters/parity.clienttest.tsx',
    'apps/web/.storybook/mocks/account.ts',
    'apps/web/components/auth/__stories__/fixtures.ts',
    'apps/web/lib/workflows/mock.ts',
    'apps/web/tests/harness/env.ts',
    'apps/web/seeds/playwright.yaml',
    'apps/api/tests/fixtures/keysets/test_keyset.json',
    'tools/perf/k6/smoke.js',
  ])('treats %s as sample data', (file) => {
    expect(isFixtureFile(file)).toBe(true);
  });

  it.each(['src/lib/auth.ts', 'src/config/latest.ts', 'src/seedling/garden.ts', 'docker-compose.yml'])(
    'treats %s as product code',
    (file) => {
      expect(isFixtureFile(file)).toBe(false);
    },
  );
});

describe('looksLikeCredentialValue', () => {
  it.each(['q8Yt#2vLp9!sWmZ4', 'hunter2hunter2', 'Zr9vXq2LmP0sT7yW'])('accepts %s', (value) => {
    expect(looksLikeCredentialValue(value)).toBe(true);
  });

  it.each([
    ['a UUID', '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e'],
    ['a git SHA', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    ['a SHA-256 digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['an SRI hash', 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC'],
    ['an i18n word', 'Passwort'],
    ['an i18n word with accents', 'Contraseña'],
    ['a CSS function', 'rgba(0,0,0,.5)'],
    ['a CSS custom property', '--token-color'],
    ['a header name', 'Content-Type'],
    ['a camelCase id', 'secureHeadersNonce'],
    ['an env var name', 'OPENAI_API_KEY'],
    ['an import path', '@/lib/keys/private'],
    ['a publishable key', 'pk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h'],
    ['a Supabase anon key', jwt({ role: 'anon' })],
    ['a placeholder', '<your-api-key>'],
    ['UI text', 'Enter your password'],
    // Issue #14: UI text in scripts without case, storage keys and placeholders.
    ['a Japanese label', 'パスワード'],
    ['a Chinese label', '密码设置'],
    ['a Hungarian label', 'Fájlnév'],
    ['a storage key name', 'app_authToken'],
    ['a slug', 'recruitment-automation-rules'],
    ['a not-used placeholder', 'not-used'],
    ['a your-key-here placeholder', 'your-key-here'],
    ['a keyboard run', 'sk-lf-asdfghjkl'],
    ['a counting run', 'sk-lf-1234567890'],
  ])('rejects %s', (_label, value) => {
    expect(looksLikeCredentialValue(value)).toBe(false);
  });
});

describe('isSinkSecretValue', () => {
  it('treats guessable keys as real where a secret is consumed', () => {
    expect(isSinkSecretValue('secret')).toBe(true);
    expect(isSinkSecretValue('keyboard cat')).toBe(true);
    expect(isSinkSecretValue('JWT_SECRET')).toBe(true);
  });

  it('ignores placeholders and empty values', () => {
    for (const value of [
      '',
      '   ',
      'changeme',
      '<jwt-secret>',
      'your-secret-here',
      '${JWT_SECRET}',
      'xxxxxxxx',
      'example-key',
    ]) {
      expect(isSinkSecretValue(value)).toBe(false);
    }
  });
});

describe('isPublicSupabaseKey', () => {
  it('accepts anon and publishable keys only', () => {
    expect(isPublicSupabaseKey(jwt({ role: 'anon' }))).toBe(true);
    expect(isPublicSupabaseKey('sb_publishable_abc123')).toBe(true);
    expect(isPublicSupabaseKey(jwt({ role: 'service_role' }))).toBe(false);
    expect(isPublicSupabaseKey('sb_secret_abc123')).toBe(false);
  });
});
