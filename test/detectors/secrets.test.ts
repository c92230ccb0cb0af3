import { describe, expect, it } from 'vitest';

import {
  findSecrets,
  isPublicSupabaseKey,
  isSinkSecretValue,
  looksLikeCredentialValue,
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
    expect(findSecrets('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC').map((m) => m.kind)).toEqual([
      'private-key',
    ]);
  });
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
