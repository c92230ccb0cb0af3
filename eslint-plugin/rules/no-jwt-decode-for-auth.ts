import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { AUTHORIZATION_CLAIMS } from '../../src/detectors/jwt.js';
import { requestInputKind } from '../../src/detectors/request-input.js';
import { memberName, propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import {
  chainOf,
  enclosingFunction,
  functionName,
  isFunction,
  memberPropertyName,
  walk,
  type FunctionNode,
} from '../utils/flow.js';
import { isReference, mayReference, resolveExpression } from '../utils/references.js';

type MessageIds = 'decodeForAuth';
type Options = [];

/** Callees that only decode: jsonwebtoken `decode`, jose `decodeJwt`/`UnsecuredJWT.decode`, the `jwt-decode` package. */
function isDecoder(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  callee: TSESTree.Node,
): boolean {
  const reference = resolveExpression(context, callee);
  if (reference === undefined) return false;
  const path = reference.path.join('.');
  switch (reference.module) {
    case 'jsonwebtoken':
      return path === 'decode';
    case 'jose':
      return path === 'decodeJwt' || path === 'UnsecuredJWT.decode';
    case 'jwt-decode':
      return path === '' || path === 'jwtDecode';
    default:
      return false;
  }
}

/** Modules whose import marks browser code, where a decoded claim only drives the UI and the server must decide. */
const CLIENT_MODULES =
  /^(?:react|react-dom|react-native|vue|svelte|solid-js|preact|@angular\/core|next\/navigation|next\/router|react-router(?:-dom)?|@tanstack\/react-router|expo-router)$/;

const VERIFYING_FUNCTION =
  /verif|authenticat|authoriz|validat|currentUser|getUser|getSession|getPrincipal|getViewer|requireAuth|requireUser|checkAuth|isAuthed|isAuthenticated|isAdmin|guard|protect/i;

const PRINCIPAL_TARGET =
  /^(?:req|request|res\.locals|ctx\.state|ctx|context|locals|event\.locals)\.(?:\w+\.)*(?:user|principal|auth|session|identity|claims|account|viewer|tenant|currentUser|role|roles|permissions|userId|userID|uid|accountId|tenantId|subject)$/;

const DECODER_NAMES: ReadonlySet<string> = new Set(['decode', 'decodeJwt', 'jwtDecode']);

const COMPARISON = new Set(['===', '!==', '==', '!=', 'in']);

const JOSE_VERIFIERS = new Set(['jwtVerify', 'compactVerify', 'flattenedVerify', 'generalVerify', 'jwtDecrypt']);

export default createRule<Options, MessageIds>({
  name: 'no-jwt-decode-for-auth',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow access decisions based on a JWT that was decoded but never verified.',
      category: 'jwt',
      severity: 'critical',
      securitySeverity: 9.1,
      cwe: ['CWE-347', 'CWE-345'],
      recommended: true,
    },
    messages: {
      decodeForAuth:
        '`{{callee}}` only decodes the token, it does not check the signature, yet its result {{use}}. Anyone can write a token with any claims. Verify it first (jsonwebtoken `verify` with `algorithms`, or jose `jwtVerify`) and use the verified payload.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    // Every report is about a decoder from one of these (see `isDecoder`).
    if (!mayReference(sourceCode.text, ['jsonwebtoken', 'jose', 'jwt-decode'])) return {};
    let clientFile: boolean | undefined;

    function isClientFile(): boolean {
      if (clientFile !== undefined) return clientFile;
      const program = sourceCode.ast;
      clientFile = program.body.some(
        (statement) =>
          (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive === 'use client') ||
          (statement.type === AST_NODE_TYPES.ImportDeclaration && CLIENT_MODULES.test(statement.source.value)),
      );
      return clientFile;
    }

    /**
     * `decodeJwt(tokens.id_token)`: an ID token the client got straight from the token endpoint over
     * TLS may be trusted without a signature check (OpenID Connect Core §3.1.3.7, item 6). One taken
     * from request input (`req.body.credential`) may not, so only non-request sources are exempt.
     */
    function isTokenEndpointIdToken(arg: TSESTree.Node | undefined): boolean {
      if (arg === undefined) return false;
      const chain = chainOf(arg);
      if (chain === undefined || chain.length < 2) return false;
      return /^id_?token$/i.test(chain.at(-1) ?? '') && requestInputKind(chain) === undefined;
    }

    /** A signature check anywhere in the same function (or file, at top level) clears the decode: it is then a `kid` lookup or a log. */
    function hasVerify(scope: TSESTree.Node): boolean {
      let found = false;
      walk(context, scope, (node) => {
        if (found) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const name = memberName(node.callee);
          if (name !== undefined && (/verif/i.test(name) || JOSE_VERIFIERS.has(name))) found = true;
          else if (isReference(context, node.callee, 'jsonwebtoken', ['verify'])) found = true;
        }
        return undefined;
      });
      return found;
    }

    /** Skips wrappers between a value and the expression that consumes it. */
    function consumer(node: TSESTree.Node): TSESTree.Node {
      let current = node;
      while (
        current.parent !== undefined &&
        (current.parent.type === AST_NODE_TYPES.ChainExpression ||
          current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
          current.parent.type === AST_NODE_TYPES.TSAsExpression ||
          current.parent.type === AST_NODE_TYPES.AwaitExpression)
      ) {
        current = current.parent;
      }
      return current;
    }

    function inTest(node: TSESTree.Node, boundary: TSESTree.Node): boolean {
      let child = node;
      for (let current = node.parent; current != null && current !== boundary; current = current.parent) {
        if (isFunction(current)) return false;
        if (
          (current.type === AST_NODE_TYPES.IfStatement ||
            current.type === AST_NODE_TYPES.ConditionalExpression ||
            current.type === AST_NODE_TYPES.WhileStatement) &&
          current.test === child
        ) {
          return true;
        }
        if (current.type === AST_NODE_TYPES.SwitchStatement && current.discriminant === child) return true;
        child = current;
      }
      return false;
    }

    /** How a claim read decides access: compared, tested, or checked with `.includes`. */
    function claimDecision(read: TSESTree.Node, boundary: TSESTree.Node): string | undefined {
      const outer = consumer(read);
      const parent = outer.parent;
      if (parent?.type === AST_NODE_TYPES.BinaryExpression && COMPARISON.has(parent.operator)) return 'is compared';
      if (
        parent?.type === AST_NODE_TYPES.MemberExpression &&
        parent.object === outer &&
        ['includes', 'some', 'has', 'indexOf'].includes(memberPropertyName(parent) ?? '')
      ) {
        return 'is checked';
      }
      if (
        parent?.type === AST_NODE_TYPES.CallExpression &&
        parent.arguments.includes(outer as TSESTree.CallExpressionArgument)
      ) {
        const name = memberName(parent.callee);
        if (name === 'includes' || name === 'has') return 'is checked';
      }
      return inTest(outer, boundary) ? 'decides a branch' : undefined;
    }

    /** What the decoded payload (the expression `value`) is used for, if it decides access. */
    function decisionOf(value: TSESTree.Node, fn: FunctionNode | undefined): string | undefined {
      const boundary: TSESTree.Node = fn ?? sourceCode.ast;
      const outer = consumer(value);
      const parent = outer.parent;
      if (parent === undefined) return undefined;
      if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
        let name = memberPropertyName(parent);
        let read: TSESTree.Node = parent;
        if (name === 'payload') {
          const next = consumer(parent).parent;
          if (next?.type !== AST_NODE_TYPES.MemberExpression) return undefined;
          name = memberPropertyName(next);
          read = next;
        }
        if (name === undefined || !AUTHORIZATION_CLAIMS.has(name)) return undefined;
        const how = claimDecision(read, boundary);
        if (how !== undefined) return `feeds an access decision (\`${name}\` ${how})`;
      }
      // req.user = decoded / res.locals.principal = { id: decoded.sub }
      for (
        let current: TSESTree.Node | undefined = parent;
        current != null && current !== boundary;
        current = current.parent
      ) {
        if (isFunction(current) || current.type === AST_NODE_TYPES.BlockStatement) break;
        if (current.type === AST_NODE_TYPES.AssignmentExpression) {
          const target = sourceCode.getText(current.left).replace(/\?\./g, '.').replace(/\s/g, '');
          if (PRINCIPAL_TARGET.test(target)) return `becomes \`${target}\``;
          break;
        }
        if (
          current.type === AST_NODE_TYPES.CallExpression &&
          current.callee.type === AST_NODE_TYPES.MemberExpression &&
          memberPropertyName(current.callee) === 'set' &&
          current.arguments.length === 2 &&
          current.arguments[0]?.type === AST_NODE_TYPES.Literal &&
          /^(?:user|principal|auth|session|claims|identity|viewer)$/i.test(String(current.arguments[0].value))
        ) {
          return `is stored as the request's \`${String(current.arguments[0].value)}\``;
        }
      }
      const returned =
        parent.type === AST_NODE_TYPES.ReturnStatement ||
        (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === outer);
      if (returned && fn !== undefined) {
        const name = functionName(fn);
        if (name !== undefined && VERIFYING_FUNCTION.test(name))
          return `is returned by \`${name}\` as if it were verified`;
      }
      return undefined;
    }

    /** References to the payload: the variable it is bound to, or claims destructured from it. */
    function decisions(call: TSESTree.Node, fn: FunctionNode | undefined): string | undefined {
      const direct = decisionOf(call, fn);
      if (direct !== undefined) return direct;
      const outer = consumer(call);
      const declarator = outer.parent;
      if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== outer) return undefined;
      for (const variable of sourceCode.getDeclaredVariables(declarator)) {
        const identifier = variable.identifiers[0];
        if (identifier === undefined) continue;
        // `const { role } = jwt.decode(token)` binds a claim directly.
        const claim =
          identifier.parent.type === AST_NODE_TYPES.Property ? propertyName(identifier.parent.key) : undefined;
        for (const reference of variable.references) {
          if (reference.init === true || !reference.isRead()) continue;
          const node = reference.identifier;
          const use =
            claim !== undefined
              ? AUTHORIZATION_CLAIMS.has(claim)
                ? mapClaim(claim, claimDecision(node, fn ?? sourceCode.ast))
                : undefined
              : decisionOf(node, enclosingFunction(node) ?? fn);
          if (use !== undefined) return use;
        }
      }
      return undefined;
    }

    function mapClaim(claim: string, how: string | undefined): string | undefined {
      return how === undefined ? undefined : `feeds an access decision (\`${claim}\` ${how})`;
    }

    return {
      CallExpression(node) {
        if (node.arguments.length === 0) return;
        const callee = node.callee;
        // Cheapest test first: member calls must spell a decoder's name.
        if (callee.type === AST_NODE_TYPES.MemberExpression && !DECODER_NAMES.has(memberPropertyName(callee) ?? ''))
          return;
        if (!isDecoder(context, callee)) return;
        if (isClientFile() || isTokenEndpointIdToken(node.arguments[0])) return;
        const fn = enclosingFunction(node);
        if (hasVerify(fn ?? sourceCode.ast)) return;
        const use = decisions(node, fn);
        if (use === undefined) return;
        context.report({ node, messageId: 'decodeForAuth', data: { callee: sourceCode.getText(node.callee), use } });
      },
    };
  },
});
