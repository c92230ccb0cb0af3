import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import {
  isCredentialsHeaderOn,
  isPermissive,
  isWildcardOrigin,
  originRegexProblem,
  type OriginPolicy,
} from '../../src/detectors/cors.js';
import { enclosingFunction, propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { constValue, findProperty, hasSpread, staticBoolean, textWithHoles } from '../utils/option-values.js';
import { resolveExpression } from '../utils/references.js';

type MessageIds =
  'credentialedWildcard' | 'credentialedReflect' | 'unanchoredRegex' | 'unescapedDotRegex' | 'unanchoredSuffix';
type Options = [];

const HEADER_SETTERS = new Set(['setHeader', 'header', 'set', 'append', 'appendHeader']);
const ALLOW_ORIGIN = 'access-control-allow-origin';
const ALLOW_CREDENTIALS = 'access-control-allow-credentials';
/** Anything in a callback that looks at the origin before accepting it. */
const CONDITIONAL_NODES = new Set<string>([
  AST_NODE_TYPES.IfStatement,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.SwitchStatement,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.AwaitExpression,
]);
/** A function that mentions the origin in a test or lookup before reflecting it. */
const ORIGIN_GUARD =
  /(?:\b(?:if|while)\s*\(|\?(?![.?])|&&|\b(?:includes|has|test|indexOf|some|find|startsWith|endsWith|match)\s*\()[^;{]*origin|origin[^;{]*(?:===|!==|==|!=)/i;

interface HeaderEntry {
  node: TSESTree.Node;
  policy: OriginPolicy;
}

interface HeaderGroup {
  origins: HeaderEntry[];
  credentials: boolean;
}

export default createRule<Options, MessageIds>({
  name: 'no-permissive-cors',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow CORS policies that let any website make credentialed requests and read the responses.',
      category: 'cors',
      severity: 'high',
      securitySeverity: 8.1,
      cwe: ['CWE-942'],
      recommended: true,
    },
    messages: {
      credentialedWildcard:
        'CORS allows credentials for every origin (`*`). Browsers reject that pairing, and the usual workaround (reflecting the origin) lets any site act as your users. List the allowed origins explicitly.',
      credentialedReflect:
        "CORS echoes any request's `Origin` back while allowing credentials, so every website can send authenticated requests as your users and read the responses. Allow a fixed list of origins.",
      unanchoredRegex:
        'This origin regex is not anchored at both ends, so `https://trusted.example.attacker.net` or `https://nottrusted.example` also match. Anchor it: `/^https:\\/\\/app\\.example\\.com$/`.',
      unanchoredSuffix:
        "`endsWith('{{suffix}}')` also accepts `https://evil{{suffix}}`, and this origin is then echoed with credentials. Compare the parsed host exactly, or test for `'.{{suffix}}'` with the dot.",
      unescapedDotRegex:
        'This origin regex has an unescaped `.`, which matches any character, so look-alike domains (`appxexample.com`) pass. Escape dots in host names: `\\.`.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    // Cheapest test first: a file that never says "cors" or names a CORS header has nothing to check.
    if (!/cors|access-control-allow-/i.test(sourceCode.text)) return {};
    const groups = new Map<TSESTree.Node, HeaderGroup>();

    function checkRegex(node: TSESTree.Node): void {
      if (node.type !== AST_NODE_TYPES.Literal || !('regex' in node)) return;
      const problem = originRegexProblem(node.regex.pattern);
      if (problem === 'unanchored') context.report({ node, messageId: 'unanchoredRegex' });
      else if (problem === 'unescapedDot') context.report({ node, messageId: 'unescapedDotRegex' });
    }

    function isParam(node: TSESTree.Node, param: TSESTree.Parameter | undefined): boolean {
      return (
        node.type === AST_NODE_TYPES.Identifier && param?.type === AST_NODE_TYPES.Identifier && node.name === param.name
      );
    }

    /** `(origin, cb) => cb(null, true)`, `(o) => o`: a callback that accepts whatever it is given. */
    function acceptsEveryOrigin(fn: TSESTree.FunctionLike): boolean {
      const [originParam, callbackParam] = fn.params;
      const accepted = (node: TSESTree.Node | null | undefined): boolean =>
        node !== null &&
        node !== undefined &&
        (isParam(node, originParam) ||
          staticBoolean(node) === true ||
          (node.type === AST_NODE_TYPES.Literal && node.value === '*'));
      if (fn.body === null || fn.body === undefined) return false;
      if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
        if (accepted(fn.body)) return true;
        return isAcceptingCall(fn.body, callbackParam, accepted);
      }
      let conditional = false;
      let accepts = false;
      const visit = (node: TSESTree.Node): void => {
        if (conditional) return;
        if (CONDITIONAL_NODES.has(node.type)) {
          conditional = true;
          return;
        }
        if (node.type === AST_NODE_TYPES.ReturnStatement && accepted(node.argument)) accepts = true;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          if (isAcceptingCall(node, callbackParam, accepted)) accepts = true;
          else if (!isParam(node.callee, callbackParam)) conditional = true;
        }
        for (const key of sourceCode.visitorKeys[node.type] ?? []) {
          const child = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(child)) for (const c of child) if (isNode(c)) visit(c);
          if (isNode(child)) visit(child);
        }
      };
      visit(fn.body);
      return accepts && !conditional;
    }

    function isAcceptingCall(
      node: TSESTree.Node,
      callbackParam: TSESTree.Parameter | undefined,
      accepted: (node: TSESTree.Node | undefined) => boolean,
    ): boolean {
      return (
        node.type === AST_NODE_TYPES.CallExpression &&
        isParam(node.callee, callbackParam) &&
        node.arguments[0]?.type === AST_NODE_TYPES.Literal &&
        node.arguments[0].value === null &&
        accepted(node.arguments[1])
      );
    }

    function originPolicy(node: TSESTree.Node | undefined, reflectsOnTrue: boolean): OriginPolicy {
      if (node === undefined) return 'wildcard';
      const value = constValue(context, node);
      if (value.type === AST_NODE_TYPES.Literal) {
        if (value.value === true) return reflectsOnTrue ? 'reflect' : 'restricted';
        if (typeof value.value === 'string' && isWildcardOrigin(value.value)) return 'wildcard';
        if ('regex' in value) checkRegex(value);
        return 'restricted';
      }
      if (value.type === AST_NODE_TYPES.ArrayExpression) {
        let policy: OriginPolicy = 'restricted';
        for (const element of value.elements) {
          if (element === null || element.type === AST_NODE_TYPES.SpreadElement) continue;
          const item = constValue(context, element);
          if (item.type === AST_NODE_TYPES.Literal && 'regex' in item) checkRegex(item);
          else if (item.type === AST_NODE_TYPES.Literal && item.value === '*') policy = 'wildcard';
        }
        return policy;
      }
      if (value.type === AST_NODE_TYPES.ArrowFunctionExpression || value.type === AST_NODE_TYPES.FunctionExpression) {
        return acceptsEveryOrigin(value) ? 'reflect' : 'restricted';
      }
      return 'restricted';
    }

    /** `cors({ origin, credentials })` and friends. `reflectsOnTrue`: `origin: true` echoes the request's origin. */
    function checkCorsOptions(call: TSESTree.Node, raw: TSESTree.Node | undefined, reflectsOnTrue: boolean): void {
      const options = raw === undefined ? undefined : constValue(context, raw);
      if (options !== undefined && options.type !== AST_NODE_TYPES.ObjectExpression) return;
      const originProperty = options === undefined ? undefined : findProperty(options, 'origin');
      if (originProperty === undefined && options !== undefined && hasSpread(options)) return;
      const policy = originPolicy(originProperty?.value, reflectsOnTrue);
      const credentialsProperty = options === undefined ? undefined : findProperty(options, 'credentials');
      const credentials =
        credentialsProperty !== undefined && staticBoolean(constValue(context, credentialsProperty.value)) === true;
      if (!isPermissive(policy, credentials)) return;
      context.report({
        node: originProperty ?? credentialsProperty ?? call,
        messageId: policy === 'wildcard' ? 'credentialedWildcard' : 'credentialedReflect',
      });
    }

    /** The request's own Origin header: `req.headers.origin`, `req.get('origin')`, `request.headers.get('Origin')`. */
    function readsRequestOrigin(node: TSESTree.Node, depth = 0): boolean {
      if (depth > 4) return false;
      const value = constValue(context, node);
      if (value.type === AST_NODE_TYPES.LogicalExpression) {
        return readsRequestOrigin(value.left, depth + 1) || readsRequestOrigin(value.right, depth + 1);
      }
      if (value.type === AST_NODE_TYPES.ChainExpression) return readsRequestOrigin(value.expression, depth + 1);
      if (value.type === AST_NODE_TYPES.MemberExpression) {
        const name = value.computed ? textWithHoles(value.property) : propertyName(value.property);
        const object = value.object;
        return (
          name?.toLowerCase() === 'origin' &&
          object.type === AST_NODE_TYPES.MemberExpression &&
          propertyName(object.property) === 'headers'
        );
      }
      if (value.type === AST_NODE_TYPES.CallExpression && value.callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = propertyName(value.callee.property);
        const argument = value.arguments[0];
        const header = argument === undefined ? undefined : textWithHoles(argument);
        return (method === 'get' || method === 'header') && header?.toLowerCase() === 'origin';
      }
      if (value.type === AST_NODE_TYPES.Identifier) {
        // `const { origin } = req.headers`
        const variable = sourceCode.getScope(value).references.find((ref) => ref.identifier === value)?.resolved;
        const definition = variable?.defs[0];
        return (
          definition?.type === 'Variable' &&
          definition.node.id.type === AST_NODE_TYPES.ObjectPattern &&
          definition.node.init !== null &&
          /\.headers$/.test(sourceCode.getText(definition.node.init)) &&
          value.name.toLowerCase() === 'origin'
        );
      }
      return false;
    }

    function group(node: TSESTree.Node): HeaderGroup {
      // Next.js `headers()` config: `{ source, headers: [{ key, value }, …] }`, one list per source.
      const list =
        node.type === AST_NODE_TYPES.ObjectExpression && node.parent.type === AST_NODE_TYPES.ArrayExpression
          ? node.parent
          : undefined;
      const fn: TSESTree.Node = list ?? enclosingFunction(node) ?? context.sourceCode.ast;
      let found = groups.get(fn);
      if (found === undefined) {
        found = { origins: [], credentials: false };
        groups.set(fn, found);
      }
      return found;
    }

    function recordHeader(name: string, value: TSESTree.Node, at: TSESTree.Node): void {
      const lower = name.toLowerCase();
      if (lower === ALLOW_CREDENTIALS) {
        const resolved = constValue(context, value);
        const literal = resolved.type === AST_NODE_TYPES.Literal ? resolved.value : undefined;
        if ((typeof literal === 'string' || typeof literal === 'boolean') && isCredentialsHeaderOn(literal)) {
          group(at).credentials = true;
        }
      } else if (lower === ALLOW_ORIGIN) {
        const text = textWithHoles(constValue(context, value));
        if (text !== undefined && isWildcardOrigin(text)) group(at).origins.push({ node: at, policy: 'wildcard' });
        else if (readsRequestOrigin(value)) group(at).origins.push({ node: at, policy: 'reflect' });
      }
    }

    /** `/re/.test(origin)`, `origin.match(/re/)`, `origin.endsWith('example.com')` inside a hand-written CORS guard. */
    function checkOriginTests(fn: TSESTree.Node): void {
      const visit = (node: TSESTree.Node): void => {
        if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
          const method = propertyName(node.callee.property);
          const object = node.callee.object;
          const argument = node.arguments[0];
          const mentionsOrigin = (n: TSESTree.Node | undefined): boolean =>
            n !== undefined && /origin/i.test(sourceCode.getText(n));
          if (method === 'test' && mentionsOrigin(argument)) checkRegex(object);
          if ((method === 'match' || method === 'search') && mentionsOrigin(object) && argument !== undefined)
            checkRegex(argument);
          if (method === 'endsWith' && mentionsOrigin(object) && argument !== undefined) {
            const suffix = textWithHoles(constValue(context, argument));
            // `origin.endsWith('example.com')` also accepts `https://evilexample.com`.
            if (suffix !== undefined && !suffix.includes('\u0000') && /^[\w-]/.test(suffix) && !suffix.includes('/'))
              context.report({ node, messageId: 'unanchoredSuffix', data: { suffix } });
          }
        }
        for (const key of sourceCode.visitorKeys[node.type] ?? []) {
          const child = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(child)) for (const c of child) if (isNode(c)) visit(c);
          if (isNode(child)) visit(child);
        }
      };
      visit(fn);
    }

    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) {
          const method = propertyName(callee.property);
          if (method !== undefined && HEADER_SETTERS.has(method) && node.arguments.length === 2) {
            const [header, value] = node.arguments;
            const name = header === undefined ? undefined : textWithHoles(header);
            if (name !== undefined && value !== undefined && name.toLowerCase().startsWith('access-control-allow-')) {
              recordHeader(name, value, node);
              return;
            }
          }
          if (method === 'register' && node.arguments.length >= 1) {
            const plugin = node.arguments[0];
            const reference = plugin === undefined ? undefined : resolveExpression(context, plugin);
            if (reference?.module === '@fastify/cors' && reference.path.length === 0) {
              checkCorsOptions(node, node.arguments[1], true);
            }
            return;
          }
        }
        const reference = resolveExpression(context, callee);
        if (reference === undefined) return;
        if (reference.module === 'cors' && reference.path.length === 0) {
          checkCorsOptions(node, node.arguments[0], true);
        } else if (reference.module === 'hono/cors' && reference.path.length === 1 && reference.path[0] === 'cors') {
          checkCorsOptions(node, node.arguments[0], false);
        } else if (reference.module === '@nestjs/core' && reference.path[0] === 'NestFactory') {
          // `(await NestFactory.create(M)).enableCors(options)` and `NestFactory.create(M, { cors: options })`
          const path = reference.path.join('.');
          if (path === 'NestFactory.create.().enableCors') checkCorsOptions(node, node.arguments[0], true);
          else if (path === 'NestFactory.create') {
            const options = node.arguments[1] === undefined ? undefined : constValue(context, node.arguments[1]);
            const cors = options?.type === AST_NODE_TYPES.ObjectExpression ? findProperty(options, 'cors') : undefined;
            if (cors !== undefined && constValue(context, cors.value).type === AST_NODE_TYPES.ObjectExpression) {
              checkCorsOptions(cors, cors.value, true);
            }
          }
        }
      },
      Property(node) {
        if (node.computed || node.parent.type !== AST_NODE_TYPES.ObjectExpression) return;
        const key = propertyName(node.key);
        if (key === 'key') {
          // Next.js `headers()` entries and similar lists: `{ key: 'Access-Control-Allow-Origin', value: '*' }`.
          const name = textWithHoles(node.value);
          const value = findProperty(node.parent, 'value');
          if (name !== undefined && value !== undefined && name.toLowerCase().startsWith('access-control-allow-'))
            recordHeader(name, value.value, node.parent);
          return;
        }
        if (key !== undefined && key.toLowerCase().startsWith('access-control-allow-'))
          recordHeader(key, node.value, node);
      },
      'Program:exit'() {
        for (const [fn, found] of groups) {
          if (!found.credentials) continue;
          for (const entry of found.origins) {
            if (
              entry.policy === 'reflect' &&
              ORIGIN_GUARD.test(sourceCode.getText(fn).replace(/Access-Control-Allow-Origin/gi, ''))
            ) {
              // The guard decides: a regex or suffix test on the origin must be anchored and escaped.
              checkOriginTests(fn);
              continue;
            }
            context.report({
              node: entry.node,
              messageId: entry.policy === 'wildcard' ? 'credentialedWildcard' : 'credentialedReflect',
            });
          }
        }
      },
    };
  },
});

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
