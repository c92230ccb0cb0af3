import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { namesComparedSecret } from '../../src/detectors/names.js';
import { requestInputKind } from '../../src/detectors/request-input.js';
import { isEnvRead, propertyName, staticString } from '../utils/ast.js';
import { chainOf, findVariable, isFunction, unwrap } from '../utils/flow.js';
import { resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'timingUnsafe' | 'useTimingSafeEqual';

const EQUALITY = new Set(['===', '!==', '==', '!=']);
const CRYPTO_MODULES = new Set(['crypto', 'node:crypto']);
/** Header names whose values are credentials or signatures. */
const SECRET_HEADER =
  /(?:signature|x-api-key|api-key|authorization|x-hub-signature|x-webhook-secret|x-csrf-token|x-xsrf-token)/i;
const SIZE_PROPERTIES = new Set(['length', 'size', 'byteLength']);
/** String and buffer methods that keep where a value came from: `header.replace('Bearer ', '')`. */
const PRESERVING_METHODS = new Set([
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'substr',
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'split',
  'at',
  'toString',
  'join',
  'map',
  'padStart',
  'normalize',
  'value',
]);
/** Wrappers whose first argument is the value: `Buffer.from(sig)`, `Array.from(new Uint8Array(mac))`, `toHex(mac)`. */
const WRAPPER = /^(?:from|String|Uint8Array|Buffer|encode\w*|\w*(?:hex|Hex|base64|Base64|btoa|ToString|toString))$/;
/** A keyed MAC or signature: node:crypto, Web Crypto, or a helper named for one. */
const MAC_TEXT =
  /\bcreateHmac\b|subtle\.sign\b|\bhmac\w*\(|\bsign\w*Hmac\w*\(|\bcompute\w*Signature\w*\(|\b(?:generate|create|calculate|compute)\w*(?:Signature|Hmac|Mac)\b/i;
/**
 * An unkeyed digest (`createHash`, `subtle.digest`). It is a MAC only when a secret goes into it
 * (`createHash('sha256').update(token + secret)`); a digest of public data (an OIDC `at_hash` check)
 * reveals nothing a caller could not compute.
 */
const DIGEST_TEXT = /\bcreateHash\b|\.digest\(/;
/** Text that names a secret input of a hand-written digest helper. */
const SECRET_TEXT = /\b(?:process|Deno|Bun)\.env\b|import\.meta\.env\b|secret|private_?key|signing_?key/i;
/** Configuration that is public by design: Supabase anon and publishable keys, browser-bundle variables. */
const PUBLIC_NAME = /anon|publishable|public|NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_/i;

/** Where a compared value comes from, as far as this file shows. */
interface Origin {
  /** Read from the request: header, body, query, cookie, route params. */
  request?: boolean;
  /** A parameter of the enclosing function (a verifier is handed what it checks). */
  parameter?: boolean;
  /** A server-side secret: an environment variable that is not public by design. */
  secret?: boolean;
  /** A MAC, signature or digest computed here. */
  mac?: boolean;
  /** A stored or named credential: `invite.token`, `row.secret_token`, `apiKey`. */
  stored?: boolean;
}

/** The name a compared operand goes by: `signature`, `req.headers['stripe-signature']`, `user.passwordHash`. */
function operandName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (node.computed) {
      return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
        ? node.property.value
        : undefined;
    }
    return propertyName(node.property);
  }
  if (
    node.type === AST_NODE_TYPES.ChainExpression ||
    node.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.type === AST_NODE_TYPES.TSAsExpression
  ) {
    return operandName(node.expression);
  }
  if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    // `headers.get('x-signature')`
    const method = propertyName(node.callee.property);
    const [first] = node.arguments;
    if (
      (method === 'get' || method === 'header') &&
      first?.type === AST_NODE_TYPES.Literal &&
      typeof first.value === 'string'
    )
      return first.value;
  }
  return undefined;
}

/** Constants and shapes that make a comparison harmless: literals, undefined, typeof, lengths. */
function isHarmlessOperand(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Literal:
      return true;
    case AST_NODE_TYPES.TemplateLiteral:
      return node.expressions.length === 0;
    case AST_NODE_TYPES.Identifier:
      return node.name === 'undefined';
    case AST_NODE_TYPES.UnaryExpression:
      return node.operator === 'typeof' || node.operator === 'void' || node.operator === '!';
    case AST_NODE_TYPES.MemberExpression:
      return !node.computed && SIZE_PROPERTIES.has(propertyName(node.property) ?? '');
    default:
      return false;
  }
}

export default createRule<[], MessageIds>({
  name: 'require-timing-safe-compare',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description:
        'Require constant-time comparison when a value from the request is compared with a secret, a MAC or a stored token.',
      category: 'timing',
      severity: 'medium',
      securitySeverity: 5.9,
      cwe: ['CWE-208'],
      recommended: true,
    },
    messages: {
      timingUnsafe:
        '`{{name}}` is compared with `{{operator}}` against a value from the {{source}}, and `{{operator}}` stops at the first differing character, so response times reveal how much of a guess was right. Compare equal-length buffers with crypto.timingSafeEqual() instead.',
      useTimingSafeEqual: 'Compare with crypto.timingSafeEqual() after a length check.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;

    function isDigestCall(node: TSESTree.Node): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression)
        return false;
      if (propertyName(node.callee.property) !== 'digest') return false;
      const reference = resolveExpression(context, node.callee);
      return (
        reference !== undefined &&
        CRYPTO_MODULES.has(reference.module) &&
        (reference.path[0] === 'createHmac' || reference.path[0] === 'createHash')
      );
    }

    function merge(...origins: Origin[]): Origin {
      return Object.assign({}, ...origins) as Origin;
    }

    /** A request read by the shape of its member chain: `req.headers.get('x')`, `c.req.query('k')`, `req.cookies.t`. */
    function isRequestChain(chain: readonly string[] | undefined): boolean {
      if (chain === undefined) return false;
      if (requestInputKind(chain) !== undefined) return true;
      // next/headers: `cookies().get('t')?.value`, `headers().get('x-api-key')`; Express `req.cookies` / `req.signedCookies`.
      if ((chain[0] === 'cookies' || chain[0] === 'headers') && chain[1] === '()' && chain[2] === 'get') return true;
      return (
        chain.length >= 2 &&
        /^(?:req|request|ctx|c|event)$/.test(chain[0] ?? '') &&
        /^(?:cookies|signedCookies|cookie)$/.test(chain[1] ?? '')
      );
    }

    function envName(node: TSESTree.Node): string {
      if (node.type === AST_NODE_TYPES.CallExpression) {
        const first = node.arguments[0];
        return first === undefined ? '' : (staticString(first) ?? '');
      }
      return sourceCode.getText(node);
    }

    /** Where `node`'s value comes from, following consts, lets and string transforms a few steps back. */
    function origin(input: TSESTree.Node, depth: number, seen: Set<TSESTree.Node>): Origin {
      const node = unwrap(input);
      if (depth > 5 || seen.has(node)) return {};
      seen.add(node);
      switch (node.type) {
        case AST_NODE_TYPES.AwaitExpression:
          return origin(node.argument, depth, seen);
        case AST_NODE_TYPES.LogicalExpression:
          return merge(origin(node.left, depth, seen), origin(node.right, depth, seen));
        case AST_NODE_TYPES.ConditionalExpression:
          return merge(origin(node.consequent, depth, seen), origin(node.alternate, depth, seen));
        case AST_NODE_TYPES.TemplateLiteral:
          return merge(...node.expressions.map((e) => origin(e, depth, seen)));
        case AST_NODE_TYPES.BinaryExpression:
          return node.operator === '+' ? merge(origin(node.left, depth, seen), origin(node.right, depth, seen)) : {};
        case AST_NODE_TYPES.NewExpression:
          return node.arguments[0] === undefined ? {} : origin(node.arguments[0], depth, seen);
        case AST_NODE_TYPES.CallExpression:
          return callOrigin(node, depth, seen);
        case AST_NODE_TYPES.MemberExpression:
          return memberOrigin(node, depth, seen);
        case AST_NODE_TYPES.Identifier:
          return identifierOrigin(node, depth, seen);
        default:
          return {};
      }
    }

    /**
     * `createHash(a).update(x).digest()` / `subtle.digest(a, x)`: a MAC when a secret goes in, else a
     * checksum of public data. Inputs not visible in the chain (a hash object updated elsewhere) keep
     * the old judgement: a MAC.
     */
    function digestOrigin(node: TSESTree.CallExpression, depth: number, seen: Set<TSESTree.Node>): Origin {
      const inputs: TSESTree.Node[] = [];
      const calleeText = sourceCode.getText(node.callee);
      if (/subtle\.digest$/.test(calleeText)) {
        if (node.arguments[1] !== undefined) inputs.push(node.arguments[1]);
      } else {
        let current: TSESTree.Node = node.callee;
        while (current.type === AST_NODE_TYPES.MemberExpression) {
          const object: TSESTree.Node = unwrap(current.object);
          if (object.type !== AST_NODE_TYPES.CallExpression) break;
          if (
            object.callee.type === AST_NODE_TYPES.MemberExpression &&
            propertyName(object.callee.property) === 'update'
          )
            inputs.push(...object.arguments);
          current = object.callee;
        }
      }
      if (inputs.length === 0) return { mac: true };
      return inputs.some((input) => {
        const o = origin(input, depth + 1, seen);
        return o.secret === true || (o.stored === true && o.request !== true);
      })
        ? { mac: true }
        : {};
    }

    function callOrigin(node: TSESTree.CallExpression, depth: number, seen: Set<TSESTree.Node>): Origin {
      const calleeText = sourceCode.getText(node.callee);
      if (MAC_TEXT.test(calleeText)) return { mac: true };
      if (isDigestCall(node)) {
        return resolveExpression(context, node.callee)?.path[0] === 'createHmac'
          ? { mac: true }
          : digestOrigin(node, depth, seen);
      }
      if (DIGEST_TEXT.test(calleeText)) return digestOrigin(node, depth, seen);
      if (isEnvRead(node)) return PUBLIC_NAME.test(envName(node)) ? {} : { secret: true };
      if (isRequestChain(chainOf(node))) return { request: true };
      const callee = node.callee;
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = propertyName(callee.property) ?? '';
        if (PRESERVING_METHODS.has(method)) return origin(callee.object, depth, seen);
        if (WRAPPER.test(method) && node.arguments[0] !== undefined) return origin(node.arguments[0], depth, seen);
        return {};
      }
      if (callee.type === AST_NODE_TYPES.Identifier) {
        if (WRAPPER.test(callee.name) && node.arguments[0] !== undefined) return origin(node.arguments[0], depth, seen);
        // A same-file helper that computes a MAC: `const expected = await hmacHex(secret, body)`.
        const definition = findVariable(context, callee)?.defs[0]?.node;
        const fn =
          definition === undefined
            ? undefined
            : isFunction(definition)
              ? definition
              : definition.type === AST_NODE_TYPES.VariableDeclarator &&
                  definition.init !== null &&
                  isFunction(definition.init)
                ? definition.init
                : undefined;
        if (fn !== undefined) {
          const body = sourceCode.getText(fn.body);
          if (MAC_TEXT.test(body) || (DIGEST_TEXT.test(body) && SECRET_TEXT.test(body))) return { mac: true };
          // An unkeyed digest helper is a MAC only when the caller hands it a secret.
          if (
            DIGEST_TEXT.test(body) &&
            node.arguments.some((a) => {
              const o = origin(a, depth + 1, seen);
              return o.secret === true || (o.stored === true && o.request !== true);
            })
          )
            return { mac: true };
        }
      }
      return {};
    }

    function memberOrigin(node: TSESTree.MemberExpression, depth: number, seen: Set<TSESTree.Node>): Origin {
      if (isEnvRead(node)) return PUBLIC_NAME.test(sourceCode.getText(node)) ? {} : { secret: true };
      const chain = chainOf(node);
      if (isRequestChain(chain)) return { request: true };
      // Hono and Workers bindings: `c.env.WEBHOOK_SECRET`.
      if (chain !== undefined && chain.at(-2) === 'env' && !PUBLIC_NAME.test(chain.at(-1) ?? ''))
        return { secret: true };
      const name = node.computed ? undefined : propertyName(node.property);
      if (name !== undefined && SIZE_PROPERTIES.has(name)) return {};
      let root: TSESTree.Node = node.object;
      while (
        root.type === AST_NODE_TYPES.MemberExpression ||
        root.type === AST_NODE_TYPES.ChainExpression ||
        root.type === AST_NODE_TYPES.TSNonNullExpression
      )
        root = root.type === AST_NODE_TYPES.MemberExpression ? root.object : root.expression;
      const base = origin(root, depth + 1, seen);
      if (base.request === true) return { request: true };
      const own = operandName(node);
      return own !== undefined && (namesComparedSecret(own) || SECRET_HEADER.test(own)) ? { stored: true } : {};
    }

    function identifierOrigin(node: TSESTree.Identifier, depth: number, seen: Set<TSESTree.Node>): Origin {
      const named: Origin = namesComparedSecret(node.name) ? { stored: true } : {};
      const variable = findVariable(context, node);
      const definition = variable?.defs[0];
      if (variable === undefined || definition === undefined) return named;
      if (definition.type === 'Parameter') return { ...named, parameter: true };
      if (definition.type !== 'Variable') return named;
      const declarator = definition.node;
      const found: Origin[] = [];
      if (declarator.init !== null) found.push(origin(declarator.init, depth + 1, seen));
      for (const reference of variable.references) {
        const write = reference.writeExpr;
        if (write != null && write !== declarator.init) found.push(origin(write, depth + 1, seen));
      }
      const result = merge(...found);
      // A name alone vouches for a secret only when nothing says where the value came from.
      return result.request === true || result.secret === true || result.mac === true ? result : merge(named, result);
    }

    /**
     * `JSON.stringify({ tokenMatch: a === b })`, `res.json({ ok: a === b ? … })`: the result is sent back to
     * the caller as data (a diagnostic), not used to let the request through.
     */
    function isReportedToCaller(node: TSESTree.Node): boolean {
      for (let current = node.parent; current != null && !isFunction(current); current = current.parent) {
        if (current.type === AST_NODE_TYPES.NewExpression && sourceCode.getText(current.callee) === 'Response')
          return true;
        if (
          current.type === AST_NODE_TYPES.CallExpression &&
          /(?:^JSON\.stringify|\.json|\.send|^Response\.json)$/.test(sourceCode.getText(current.callee))
        )
          return true;
      }
      return false;
    }

    /** What the other side of a comparison with request input must be for a timing leak to matter. */
    function isSecretSide(o: Origin): boolean {
      return o.secret === true || o.mac === true || o.stored === true;
    }

    function describe(o: Origin): string {
      return o.request === true ? 'request' : 'caller (a verifier checks what it is handed)';
    }

    /** How to call timingSafeEqual from here: an existing binding, or a new import. */
    function timingSafeEqualCallee(): { callee: string; importText?: string } {
      for (const statement of sourceCode.ast.body) {
        if (statement.type !== AST_NODE_TYPES.ImportDeclaration || !CRYPTO_MODULES.has(statement.source.value))
          continue;
        for (const specifier of statement.specifiers) {
          if (
            specifier.type === AST_NODE_TYPES.ImportSpecifier &&
            propertyName(specifier.imported) === 'timingSafeEqual'
          )
            return { callee: specifier.local.name };
          if (specifier.type !== AST_NODE_TYPES.ImportSpecifier)
            return { callee: `${specifier.local.name}.timingSafeEqual` };
        }
      }
      const isModule = sourceCode.ast.body.some(
        (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type.startsWith('Export'),
      );
      return isModule
        ? { callee: 'timingSafeEqual', importText: "import { timingSafeEqual } from 'node:crypto';\n" }
        : { callee: "require('node:crypto').timingSafeEqual" };
    }

    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator) || node.left.type === AST_NODE_TYPES.PrivateIdentifier) return;
        const { left, right } = node;
        if (isHarmlessOperand(unwrap(left)) || isHarmlessOperand(unwrap(right))) return;
        // Evidence, not names: one side comes from the request (or is what a verifier was handed) and
        // the other is a secret, a MAC computed here or a stored credential.
        const a = origin(left, 0, new Set());
        const b = origin(right, 0, new Set());
        if (a.request === true && b.request === true) return;
        let input: Origin | undefined;
        let secretNode: TSESTree.Node | undefined;
        for (const [mine, other, otherNode] of [
          [a, b, right],
          [b, a, left],
        ] as const) {
          if (mine.request === true && other.request !== true && isSecretSide(other)) {
            input = mine;
            secretNode = otherNode;
            break;
          }
          // A hand-rolled verifier: a parameter compared with a MAC computed here or a configured secret.
          if (
            mine.parameter === true &&
            mine.mac !== true &&
            mine.secret !== true &&
            (other.mac === true || (other.secret === true && other.parameter !== true))
          ) {
            input = mine;
            secretNode = otherNode;
            break;
          }
        }
        if (input === undefined || secretNode === undefined || isReportedToCaller(node)) return;
        const name = operandName(unwrap(secretNode)) ?? sourceCode.getText(secretNode);
        context.report({
          node,
          messageId: 'timingUnsafe',
          data: {
            name: name.length > 40 ? `${name.slice(0, 37)}…` : name,
            operator: node.operator,
            source: describe(input),
          },
          suggest: [
            {
              messageId: 'useTimingSafeEqual',
              fix(fixer) {
                const { callee, importText } = timingSafeEqualCallee();
                const a = sourceCode.getText(left);
                const b = sourceCode.getText(right);
                const equal = `(Buffer.byteLength(${a}) === Buffer.byteLength(${b}) && ${callee}(Buffer.from(${a}), Buffer.from(${b})))`;
                const negated = node.operator === '!==' || node.operator === '!=';
                const fixes: TSESLint.RuleFix[] = [fixer.replaceText(node, negated ? `!${equal}` : equal)];
                const first = sourceCode.ast.body[0];
                if (importText !== undefined && first !== undefined)
                  fixes.push(fixer.insertTextBefore(first, importText));
                return fixes;
              },
            },
          ],
        });
      },
    };
  },
});
