import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter, type Rule } from 'eslint';
import { Linter as LinterV9 } from 'eslint-v9';
import { describe, expect, it } from 'vitest';

import { createRule } from '../../../eslint-plugin/utils/create-rule.js';

const CODE = `
import { a } from 'm';
export function f(x: number) {
  const o = { k: a(x), n: new Date() };
  if (x > 1) return g(o.k, \`t\${x}\`);
  return class { p = h(); };
}
export default () => f(2)(3);
`;

const TYPES = [
  'Program',
  'CallExpression',
  'NewExpression',
  'Identifier',
  'Literal',
  'MemberExpression',
  'Property',
  'TemplateElement',
  'PropertyDefinition',
];

/** Listeners recording, as `type:enter|exit@line:column`, every node of TYPES they are called for. */
function recorder(events: string[]): Record<string, (node: TSESTree.Node) => void> {
  const listeners: Record<string, (node: TSESTree.Node) => void> = {};
  for (const type of TYPES) {
    const at = (node: TSESTree.Node): string => `@${node.loc.start.line}:${node.loc.start.column}`;
    listeners[type] = (node) => events.push(`${type}:enter${at(node)}`);
    listeners[`${type}:exit`] = (node) => events.push(`${type}:exit${at(node)}`);
  }
  return listeners;
}

function sharedRule(
  name: string,
  create: (context: Readonly<TSESLint.RuleContext<'hit', []>>) => TSESLint.RuleListener,
) {
  return createRule<[], 'hit'>({
    name,
    meta: {
      type: 'problem',
      docs: {
        description: name,
        category: 'secrets',
        severity: 'low',
        securitySeverity: 1,
        cwe: ['CWE-0'],
        recommended: false,
      },
      messages: { hit: 'hit {{what}}' },
      schema: [],
    },
    defaultOptions: [],
    create,
  });
}

function lint(rules: Record<string, unknown>, code = CODE, LinterClass: typeof Linter = Linter): Linter.LintMessage[] {
  const linter = new LinterClass({ configType: 'flat' });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        plugins: { t: { rules: rules as Record<string, Rule.RuleModule> } },
        languageOptions: { parser: tsParser as Linter.Parser },
        rules: Object.fromEntries(Object.keys(rules).map((id) => [`t/${id}`, 'error'])),
      },
    ],
    { filename: 'file.ts' },
  );
}

describe('shared traversal', () => {
  for (const [major, LinterClass] of [
    ['ESLint 10', Linter],
    ['ESLint 9', LinterV9 as unknown as typeof Linter],
  ] as const) {
    it(`calls shared listeners in the order ESLint calls its own (${major})`, () => {
      const viaEslint: string[] = [];
      const sharedA: string[] = [];
      const sharedB: string[] = [];
      const order: string[] = [];
      const plain: Rule.RuleModule = {
        create: () => recorder(viaEslint) as unknown as Rule.RuleListener,
      };
      const a = sharedRule('a', () => ({
        ...recorder(sharedA),
        CallExpression: (node) => {
          sharedA.push(`CallExpression:enter@${node.loc.start.line}:${node.loc.start.column}`);
          order.push('a');
        },
      }));
      const b = sharedRule('b', () => ({
        ...recorder(sharedB),
        CallExpression: (node) => {
          sharedB.push(`CallExpression:enter@${node.loc.start.line}:${node.loc.start.column}`);
          order.push('b');
        },
      }));
      expect(lint({ plain, a, b }, CODE, LinterClass)).toEqual([]);
      expect(viaEslint.length).toBeGreaterThan(40);
      expect(sharedA).toEqual(viaEslint);
      expect(sharedB).toEqual(viaEslint);
      // Rules in configuration order at each node, as ESLint calls them.
      expect(order.join('')).toBe('ab'.repeat(order.length / 2));
    });
  }

  it('calls Program:exit after every other listener when no rule listens to another exit', () => {
    const events: string[] = [];
    const enterOnly = (name: string) =>
      sharedRule(name, () => ({
        CallExpression: () => events.push(`${name}:call`),
        'Program:exit': () => events.push(`${name}:end`),
      }));
    const thrower = sharedRule('thrower', () => ({
      'Program:exit': () => {
        throw new Error('late');
      },
    }));
    expect(lint({ a: enterOnly('a'), b: enterOnly('b') })).toEqual([]);
    expect(events.slice(0, -2).every((event) => event.endsWith(':call'))).toBe(true);
    expect(events.length).toBeGreaterThan(4);
    expect(events.slice(-2)).toEqual(['a:end', 'b:end']);
    // A throw in `Program:exit` names that rule and the Program.
    expect(() => lint({ a: enterOnly('a'), thrower })).toThrow(/t\/thrower/);
  });

  it("gives rules ESLint's context members, and a report that works detached", () => {
    const seen: Record<string, unknown> = {};
    const reader = sharedRule('reader', (context) => {
      const { report } = context;
      Object.assign(seen, {
        id: context.id,
        filename: context.filename,
        physicalFilename: context.physicalFilename,
        cwd: context.cwd,
        settings: context.settings,
        sourceType: context.languageOptions.sourceType,
        text: context.sourceCode.text,
      });
      return { NewExpression: (node) => report({ node, messageId: 'hit', data: { what: 'detached' } }) };
    });
    const messages = lint({ reader });
    expect(messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`)).toEqual([
      't/reader 4:27 hit detached',
    ]);
    expect(seen).toMatchObject({ id: 't/reader', filename: 'file.ts', physicalFilename: 'file.ts', text: CODE });
    expect(typeof seen.cwd).toBe('string');
    expect(seen.settings).toEqual({});
    expect(seen.sourceType).toBe('module');
  });

  it('reports each rule under its own id and at its own node', () => {
    const calls = sharedRule('calls', (context) => ({
      CallExpression: (node) => context.report({ node, messageId: 'hit', data: { what: 'call' } }),
    }));
    const news = sharedRule('news', (context) => ({
      'NewExpression:exit': (node) => context.report({ node, messageId: 'hit', data: { what: 'new' } }),
    }));
    const messages = lint({ calls, news });
    expect(messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`)).toEqual([
      't/calls 4:18 hit call',
      't/news 4:27 hit new',
      't/calls 5:21 hit call',
      't/calls 6:22 hit call',
      't/calls 8:22 hit call',
      't/calls 8:22 hit call',
    ]);
  });

  it('names the rule and the node that threw, not the rule that started the walk', () => {
    const first = sharedRule('first', () => ({ Identifier: () => undefined }));
    const thrower = sharedRule('thrower', () => ({
      NewExpression: () => {
        throw new Error('boom');
      },
    }));
    expect(() => lint({ first, thrower })).toThrow(/boom[\s\S]*file\.ts:4[\s\S]*Rule: "t\/thrower"/);
  });

  it('leaves a rule with a selector ESLint must match with ESLint, all of its listeners', () => {
    const seen: string[] = [];
    const selective = sharedRule('selective', (context) => ({
      'CallExpression[arguments.length=0]': (node: TSESTree.CallExpression) => {
        seen.push('selector');
        context.report({ node, messageId: 'hit', data: { what: 'no arguments' } });
      },
      CallExpression: () => seen.push('plain'),
    }));
    const messages = lint({ selective });
    expect(messages.map((m) => `${m.line}:${m.column}`)).toEqual(['6:22']);
    // ESLint's order at h(): the less specific selector first (a shared walk would have run all plain ones first).
    expect(seen).toEqual(['plain', 'plain', 'plain', 'selector', 'plain', 'plain']);
  });

  it('walks again when the same parsed file is linted again', () => {
    const calls = sharedRule('calls', (context) => ({
      CallExpression: (node) => context.report({ node, messageId: 'hit', data: { what: 'call' } }),
    }));
    const linter = new Linter({ configType: 'flat' });
    const config: Linter.Config[] = [
      {
        files: ['**/*.ts'],
        plugins: { t: { rules: { calls: calls as unknown as Rule.RuleModule } } },
        languageOptions: { parser: tsParser as Linter.Parser },
        rules: { 't/calls': 'error' },
      },
    ];
    const first = linter.verify(CODE, config, { filename: 'file.ts' });
    const sourceCode = linter.getSourceCode();
    const second = linter.verify(sourceCode, config, { filename: 'file.ts' });
    expect(first).toHaveLength(5);
    expect(second).toEqual(first);
  });

  it('starts afresh on the next file after a rule failed while the rules of a file were being created', () => {
    const walkedFor: string[] = [];
    const calls = sharedRule('calls', (context) => ({
      CallExpression: () => walkedFor.push(context.filename),
    }));
    const news = sharedRule('news', (context) => ({
      NewExpression: (node) => context.report({ node, messageId: 'hit', data: { what: 'new' } }),
    }));
    const failing = sharedRule('failing', () => {
      throw new Error('cannot start');
    });
    const config = (rules: string[]): Linter.Config[] => [
      {
        files: ['**/*.ts'],
        plugins: { t: { rules: { calls, news, failing } as unknown as Record<string, Rule.RuleModule> } },
        languageOptions: { parser: tsParser as Linter.Parser },
        rules: Object.fromEntries(rules.map((rule) => [`t/${rule}`, 'error'])),
      },
    ];
    const linter = new Linter({ configType: 'flat' });
    // `calls` joins the file's run, then `failing` throws: the run never walks.
    expect(() => linter.verify(CODE, config(['calls', 'failing']), { filename: 'broken.ts' })).toThrow(/cannot start/);
    // The next file has other rules: none of the first file's listeners may run on it.
    const messages = linter.verify(CODE, config(['news']), { filename: 'file.ts' });
    expect(messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`)).toEqual(['t/news 4:27']);
    expect(walkedFor).toEqual([]);
  });
});

describe('createRule options', () => {
  it('merges the options over the defaults once per configuration, frozen', () => {
    const seen: unknown[] = [];
    const rule = createRule<[{ names: string[]; checkAll: boolean }], 'hit'>({
      name: 'options',
      meta: {
        type: 'problem',
        docs: {
          description: 'options',
          category: 'secrets',
          severity: 'low',
          securitySeverity: 1,
          cwe: ['CWE-0'],
          recommended: false,
        },
        messages: { hit: 'hit' },
        schema: [
          {
            type: 'object',
            properties: {
              names: { type: 'array', items: { type: 'string' } },
              checkAll: { type: 'boolean' },
            },
            additionalProperties: false,
          },
        ],
      },
      defaultOptions: [{ names: ['a'], checkAll: false }],
      create(_context, [options]) {
        seen.push(options);
        return {};
      },
    });
    const linter = new Linter({ configType: 'flat' });
    const config = (options?: object): Linter.Config[] => [
      {
        files: ['**/*.ts'],
        plugins: { t: { rules: { options: rule as unknown as Rule.RuleModule } } },
        languageOptions: { parser: tsParser as Linter.Parser },
        rules: { 't/options': options === undefined ? 'error' : ['error', options] },
      },
    ];
    linter.verify('a;', config(), { filename: 'one.ts' });
    linter.verify('b;', config(), { filename: 'two.ts' });
    linter.verify('c;', config({ checkAll: true }), { filename: 'three.ts' });
    expect(seen[0]).toEqual({ names: ['a'], checkAll: false });
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toEqual({ names: ['a'], checkAll: true });
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen((seen[0] as { names: string[] }).names)).toBe(true);
    // Switching between configurations, and options that differ only deep inside, each get their own merge.
    linter.verify('d;', config({ checkAll: true }), { filename: 'four.ts' });
    linter.verify('e;', config({ names: ['b'], checkAll: true }), { filename: 'five.ts' });
    linter.verify('f;', config({ names: ['b', 'c'], checkAll: true }), { filename: 'six.ts' });
    linter.verify('g;', config(), { filename: 'seven.ts' });
    expect(seen[3]).toBe(seen[2]);
    expect(seen[4]).toEqual({ names: ['b'], checkAll: true });
    expect(seen[5]).toEqual({ names: ['b', 'c'], checkAll: true });
    expect(seen[6]).toBe(seen[0]);
  });
});
