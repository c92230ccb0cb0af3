import tsParser from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';

import { mayReference, resolveExpression } from '../../../eslint-plugin/utils/references.js';

/** Resolves the callee of every call in `code` and returns `module:path` strings. */
function resolveCallees(code: string): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  const rule: Rule.RuleModule = {
    create(context) {
      return {
        CallExpression(node) {
          const callee = (node as unknown as TSESTree.CallExpression).callee;
          if (callee.type === 'Identifier' && callee.name === 'require') return;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ESLint's and typescript-eslint's context types differ
          const reference = resolveExpression(context as any, callee);
          seen.push(reference === undefined ? undefined : `${reference.module}:${reference.path.join('.')}`);
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { t: { rules: { r: rule } } },
        rules: { 't/r': 'error' },
      },
    ],
    'x.ts',
  );
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  return seen;
}

describe('resolveExpression', () => {
  it('follows default, namespace and named imports alike', () => {
    expect(resolveCallees("import jwt from 'jsonwebtoken'; jwt.verify(t, k);")).toEqual(['jsonwebtoken:verify']);
    expect(resolveCallees("import * as jwt from 'jsonwebtoken'; jwt.verify(t, k);")).toEqual(['jsonwebtoken:verify']);
    expect(resolveCallees("import { verify as check } from 'jsonwebtoken'; check(t, k);")).toEqual([
      'jsonwebtoken:verify',
    ]);
  });

  it('follows require, destructuring and const aliases', () => {
    expect(resolveCallees("const { verify } = require('jsonwebtoken'); verify(t, k);")).toEqual([
      'jsonwebtoken:verify',
    ]);
    expect(resolveCallees("const jwt = require('jsonwebtoken'); const v = jwt.verify; v(t, k);")).toEqual([
      'jsonwebtoken:verify',
    ]);
  });

  it('follows instances created with new', () => {
    expect(
      resolveCallees("import Stripe from 'stripe'; const s = new Stripe(k); s.webhooks.constructEvent(b, h, w);"),
    ).toEqual(['stripe:().webhooks.constructEvent']);
  });

  it('does not resolve local functions that share a library name, or reassignable lets', () => {
    expect(resolveCallees('function verify(a: string) { return a; } verify(t);')).toEqual([undefined]);
    expect(resolveCallees("import jwt from 'jsonwebtoken'; let j = jwt; j.verify(t, k);")).toEqual([undefined]);
    expect(
      resolveCallees("import jwt from 'jsonwebtoken'; function f(jwt: { verify(): void }) { jwt.verify(); }"),
    ).toEqual([undefined]);
  });
});

describe('mayReference', () => {
  // Rules skip a file when it fails: it must hold for every module a callee of the file resolves to.
  const samples = [
    "import jwt from 'jsonwebtoken'; jwt.verify(t, k);",
    "import * as jose from 'jose'; const { jwtVerify: check } = jose; check(t, k);",
    "const { createCipheriv } = require('node:crypto'); createCipheriv('aes-128-cbc', k, iv);",
    'const c = require("crypto"); const make = c.createHash; make(\'md5\');',
    "async function f() { const m = await import('bcryptjs'); m.hash(p, 4); }",
    "import OpenAI from 'openai'; const client = new OpenAI(); client.chat.completions.create({});",
  ];

  it('holds for every module a callee of the file resolves to', () => {
    for (const code of samples) {
      const modules = resolveCallees(code).flatMap((reference) =>
        reference === undefined ? [] : [reference.slice(0, reference.indexOf(':'))],
      );
      expect(modules.length, code).toBeGreaterThan(0);
      for (const module of modules) expect(mayReference(code, [module]), `${module} in ${code}`).toBe(true);
    }
  });

  it('is false when no listed module is written in the file', () => {
    expect(mayReference("import { decode } from './codec'; decode(x);", ['jsonwebtoken', 'jose', 'jwt-decode'])).toBe(
      false,
    );
    expect(mayReference('const hash = md5(password);', ['crypto', 'bcrypt'])).toBe(false);
  });
});
