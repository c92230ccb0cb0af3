import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { enclosingFunction, memberName, propertyName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { findVariable } from '../utils/flow.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'stateNotChecked' | 'stateNotSent' | 'stateAsIdentity' | 'predictableState';

/** Where a callback reads its query or body: `req.query`, `request.body`, `ctx.query`. */
const REQUEST_CONTAINERS = new Set(['query', 'body', 'params', 'searchParams']);
/** Readers of one parameter: `url.searchParams.get('state')`, `c.req.query('state')`, `params.get('state')`. */
const PARAMETER_GETTERS = new Set(['get', 'query', 'param']);
/**
 * The token request of an authorization-code flow: `grant_type: 'authorization_code'`, or a call that
 * trades the code (`exchangeCodeForTokens(code)`, `github.validateAuthorizationCode(code)`,
 * `oauth2Client.getToken(code)`).
 */
const CODE_EXCHANGE =
  /authorization_code|\/oauth\/access_token\b|\b\w*(?:[Ee]xchange\w*|AuthorizationCode|[Gg]etToken|[Tt]okens?FromCode|[Ff]etchToken|[Rr]equestToken|[Rr]edeem\w*)\s*\(\s*(?:\{[^}]*\bcode\b|code\b)/;
/** A token request written by hand: the grant named, or GitHub/Facebook's `…/oauth/access_token` endpoint. */
const HAND_WRITTEN_EXCHANGE = /['"`]authorization_code['"`]|grant_type=authorization_code|\/oauth\/access_token\b/;
/** Anything that could bind the callback to the browser: a state, a PKCE verifier, an OIDC nonce. */
const STATE_OR_VERIFIER = /\bstate\b|verifier|code_challenge|\bnonce\b|State\b/i;
/** Calls that only log, convert or decode a value: the result is the same untrusted value. */
const PASS_THROUGH = new Set([
  'String',
  'encodeURIComponent',
  'decodeURIComponent',
  'atob',
  'btoa',
  'parse',
  'from',
  'toString',
  'split',
  'slice',
  'substring',
  'trim',
  'replace',
  'decode',
]);
const LOGGERS = /^(?:console|logger|log|Sentry)$/;
/** Columns or keys that name a user, account or tenant: a state used as one is trusted as identity. */
const IDENTITY_KEY =
  /^(?:user_?id|userId|uid|owner_?id|ownerId|account_?id|accountId|org(?:anization)?_?id|org(?:anization)?Id|tenant_?id|tenantId|profile_?id|profileId|member_?id|memberId|email)$/;
/** Keys under which a stored state is looked up (`.eq('state', state)`, `where: { nonce }`). */
const STATE_KEY =
  /^(?:\w*_)?(?:state|nonce|csrf(?:_?token)?)(?:_?(?:id|hash|token|value))?$|^\w*(?:State|Nonce)(?:Id|Hash|Token|Value)?$/i;
/** Values that are predictable to an attacker: a user's id or e-mail, a constant, the time. */
const PREDICTABLE_MEMBER =
  /^(?:id|userId|user_id|uid|email|organizationId|organization_id|orgId|org_id|accountId|account_id|tenantId|tenant_id|profileId|profile_id)$/;
/** Parameters that mark an object or URL as an authorization request. */
const AUTHORIZE_KEYS = new Set(['client_id', 'redirect_uri', 'response_type', 'scope']);

type UseKind = 'checked' | 'identity' | 'none';

export default createRule<[], MessageIds>({
  name: 'require-oauth-state-check',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require OAuth callbacks to compare the returned `state` with one bound to the browser session, and authorization requests to use an unguessable `state`.',
      category: 'oauth',
      severity: 'high',
      securitySeverity: 7.1,
      cwe: ['CWE-352'],
      recommended: true,
    },
    messages: {
      stateNotChecked:
        "This OAuth callback reads `state` but never compares it with a value stored for this browser (a cookie, the session, a database row), then trades the code. An attacker can send a victim to the callback with the attacker's own code (login CSRF): the victim is signed in as, or links, the attacker's account. Compare `state` with the stored value (constant-time) before exchanging the code, or let a library (openid-client, arctic with a state cookie, Auth.js) do it.",
      stateNotSent:
        "This OAuth callback trades the code from the URL for tokens without any `state` (or PKCE verifier) tying it to the browser that started the sign-in. An attacker can send a victim to the callback with the attacker's own code (login CSRF): the victim is signed in as, or links, the attacker's account. Send a random `state` from the authorize step, keep it in an httpOnly cookie or the session, and compare it here before exchanging the code.",
      stateAsIdentity:
        "The OAuth callback takes `state` from the URL and uses it as `{{key}}` without checking it: anyone can start a flow with another user's id in `state` and attach their own account, or tokens, to that user. Put a random value in `state`, store it (with the user id) server-side or in a signed cookie, and read the user from that store after comparing.",
      predictableState:
        "`state` is {{what}}, which an attacker can guess or read, so it does not prove the callback belongs to this browser (login CSRF, account linking to the attacker's account). Use a random value (`crypto.randomUUID()`), store it in an httpOnly cookie or the session, and compare it on the callback.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;
    // Cheapest test first: a file that never names `state` has nothing to check.
    const mentionsState = /\bstate\b/.test(sourceCode.text);
    const handWrittenExchange =
      (sourceCode.text.includes('authorization_code') || sourceCode.text.includes('/oauth/access_token')) &&
      HAND_WRITTEN_EXCHANGE.test(sourceCode.text);
    if (!mentionsState && !handWrittenExchange) return {};
    // The costliest scan last, for the few files that pass the two above.
    const reportsCallbacks = CODE_EXCHANGE.test(sourceCode.text);

    /** `req.query.state`, `request.body.state`. */
    function isRequestMember(node: TSESTree.Node, parameter: string): boolean {
      if (node.type !== AST_NODE_TYPES.MemberExpression) return false;
      if (propertyName(node.property) !== parameter || node.computed) return false;
      return REQUEST_CONTAINERS.has(memberName(node.object) ?? '');
    }

    /** `url.searchParams.get('state')`, `c.req.query('state')`. */
    function isParameterRead(node: TSESTree.Node, parameter: string): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression)
        return false;
      const first = node.arguments[0];
      return (
        PARAMETER_GETTERS.has(propertyName(node.callee.property) ?? '') &&
        first !== undefined &&
        staticString(first) === parameter
      );
    }

    /** `const { code, state } = req.query` (or `await req.json()`, `Object.fromEntries(url.searchParams)`). */
    function isRequestObject(node: TSESTree.Node): boolean {
      let current = node;
      if (current.type === AST_NODE_TYPES.AwaitExpression) current = current.argument;
      if (current.type === AST_NODE_TYPES.TSAsExpression) current = current.expression;
      if (current.type === AST_NODE_TYPES.MemberExpression) return REQUEST_CONTAINERS.has(memberName(current) ?? '');
      if (current.type === AST_NODE_TYPES.CallExpression) {
        const name = memberName(current.callee);
        if (name === 'json' || name === 'formData' || name === 'query') return true;
        if (name === 'fromEntries') return /searchParams/.test(sourceCode.getText(current));
      }
      return false;
    }

    /**
     * The outermost expression that still carries the value: through `await`, casts, optional
     * chains, `??`/`||`, templates, member reads (`decoded.userId`) and calls that only reshape it
     * (`state.split(':')`).
     */
    function unwrapValue(node: TSESTree.Node): TSESTree.Node {
      let current = node;
      for (;;) {
        const parent = current.parent;
        if (parent === undefined) return current;
        if (
          parent.type === AST_NODE_TYPES.AwaitExpression ||
          parent.type === AST_NODE_TYPES.TSAsExpression ||
          parent.type === AST_NODE_TYPES.TSNonNullExpression ||
          parent.type === AST_NODE_TYPES.ChainExpression ||
          parent.type === AST_NODE_TYPES.TemplateLiteral ||
          (parent.type === AST_NODE_TYPES.LogicalExpression && parent.operator !== '&&') ||
          (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current)
        ) {
          current = parent;
          continue;
        }
        if (
          parent.type === AST_NODE_TYPES.CallExpression &&
          parent.callee === current &&
          current.type === AST_NODE_TYPES.MemberExpression &&
          PASS_THROUGH.has(propertyName(current.property) ?? '')
        ) {
          current = parent;
          continue;
        }
        return current;
      }
    }

    /** The value is (part of) an argument of a logging call: `console.log('…', { state })`. */
    function inLogger(node: TSESTree.Node): boolean {
      for (let current: TSESTree.Node | undefined = node.parent; current !== undefined; current = current.parent) {
        if (current.type === AST_NODE_TYPES.CallExpression) {
          const callee = current.callee;
          const root = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee.object) : memberName(callee);
          return root !== undefined && LOGGERS.test(root);
        }
        if (
          current.type !== AST_NODE_TYPES.ObjectExpression &&
          current.type !== AST_NODE_TYPES.Property &&
          current.type !== AST_NODE_TYPES.ArrayExpression
        )
          return false;
      }
      return false;
    }

    function isNullish(node: TSESTree.Node): boolean {
      return (
        (node.type === AST_NODE_TYPES.Literal && (node.value === null || typeof node.value === 'string')) ||
        (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined') ||
        (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0)
      );
    }

    /** How the value at `node` (the state or something derived from it) is used. */
    function classify(
      node: TSESTree.Node,
      seen: Set<TSESLint.Scope.Variable>,
      identity: { key?: string; node?: TSESTree.Node },
    ): UseKind {
      const value = unwrapValue(node);
      const parent = value.parent;
      if (parent === undefined) return 'none';
      // A call on the value that does more than reshape it (`state.startsWith(…)`, `store.get` on it) — benefit of the doubt.
      if (
        value.type === AST_NODE_TYPES.MemberExpression &&
        parent.type === AST_NODE_TYPES.CallExpression &&
        parent.callee === value &&
        !PASS_THROUGH.has(propertyName(value.property) ?? '')
      )
        return /^(?:startsWith|endsWith|includes|length)$/.test(propertyName(value.property) ?? '')
          ? 'none'
          : 'checked';
      if (parent.type === AST_NODE_TYPES.BinaryExpression && /^[!=]==?$/.test(parent.operator)) {
        const other = parent.left === value ? parent.right : parent.left;
        return isNullish(other) ? 'none' : 'checked';
      }
      if (
        parent.type === AST_NODE_TYPES.CallExpression &&
        parent.arguments.includes(value as TSESTree.CallExpressionArgument)
      ) {
        const callee = parent.callee;
        const root = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee.object) : undefined;
        const name = memberName(callee) ?? '';
        if (root !== undefined && LOGGERS.test(root)) return 'none';
        // The result of a pass-through call (`JSON.parse(atob(state))`) is the state again.
        if (PASS_THROUGH.has(name) || name === 'JSON') return classify(parent, seen, identity);
        // `.eq('user_id', state)` uses it as identity; `.eq('state', state)` looks the stored state up.
        const key = parent.arguments[0] === value ? undefined : staticString(parent.arguments[0] as TSESTree.Node);
        if (key !== undefined && IDENTITY_KEY.test(key) && !STATE_KEY.test(key)) {
          identity.key ??= key;
          identity.node ??= value;
          return 'identity';
        }
        if (/^(?:redirect|json|send|set|append|Response|NextResponse|setHeader|writeHead)$/.test(name)) return 'none';
        return 'checked';
      }
      if (parent.type === AST_NODE_TYPES.Property && parent.value === value && !parent.computed) {
        if (inLogger(parent)) return 'none';
        const key = propertyName(parent.key) ?? '';
        if (STATE_KEY.test(key)) return 'checked';
        if (IDENTITY_KEY.test(key)) {
          identity.key ??= key;
          identity.node ??= value;
          return 'identity';
        }
        return 'none';
      }
      if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value)
        return classifyBinding(parent.id, seen, identity);
      if (
        parent.type === AST_NODE_TYPES.AssignmentExpression &&
        parent.right === value &&
        parent.left.type === AST_NODE_TYPES.Identifier
      )
        return classifyBinding(parent.left, seen, identity);
      return 'none';
    }

    function combine(kinds: readonly UseKind[]): UseKind {
      if (kinds.includes('checked')) return 'checked';
      return kinds.includes('identity') ? 'identity' : 'none';
    }

    /** Every use of the variables a pattern declares (`const [id, nonce] = state.split(':')`, `const { userId } = decoded`). */
    function classifyBinding(
      pattern: TSESTree.Node,
      seen: Set<TSESLint.Scope.Variable>,
      identity: { key?: string; node?: TSESTree.Node },
    ): UseKind {
      const declarator = pattern.parent;
      const variables =
        declarator?.type === AST_NODE_TYPES.VariableDeclarator
          ? sourceCode.getDeclaredVariables(declarator)
          : pattern.type === AST_NODE_TYPES.Identifier
            ? [findVariable(context, pattern)].filter((v): v is TSESLint.Scope.Variable => v !== undefined)
            : [];
      const kinds: UseKind[] = [];
      for (const variable of variables) {
        if (seen.has(variable)) continue;
        seen.add(variable);
        // A destructured field named like an identity (`const { userId } = JSON.parse(atob(state))`).
        const definition = variable.defs[0]?.name;
        if (definition?.parent?.type === AST_NODE_TYPES.Property && IDENTITY_KEY.test(variable.name)) {
          identity.key ??= variable.name;
        }
        for (const reference of variable.references) {
          if (reference.init === true || !reference.isRead()) continue;
          kinds.push(classify(reference.identifier, seen, identity));
        }
      }
      return combine(kinds);
    }

    /** The callback around a state read trades the code in the same function. */
    function exchangesCode(node: TSESTree.Node): boolean {
      const fn = enclosingFunction(node);
      return CODE_EXCHANGE.test(sourceCode.getText(fn ?? sourceCode.ast));
    }

    function checkCallback(read: TSESTree.Node, binding: TSESTree.Node, declarator: TSESTree.VariableDeclarator): void {
      if (!exchangesCode(read)) return;
      const identity: { key?: string; node?: TSESTree.Node } = {};
      const variables = sourceCode
        .getDeclaredVariables(declarator)
        .filter((variable) => variable.defs.some((def) => def.name === binding));
      const seen = new Set<TSESLint.Scope.Variable>();
      const kinds: UseKind[] = [];
      for (const variable of variables) {
        seen.add(variable);
        for (const reference of variable.references) {
          if (reference.init === true || !reference.isRead()) continue;
          kinds.push(classify(reference.identifier, seen, identity));
        }
      }
      const kind = combine(kinds);
      if (kind === 'checked') return;
      if (kind === 'identity' && identity.node !== undefined)
        context.report({ node: identity.node, messageId: 'stateAsIdentity', data: { key: identity.key ?? 'an id' } });
      else context.report({ node: binding, messageId: 'stateNotChecked' });
    }

    /**
     * A callback that trades the code with a hand-written token request and never mentions `state`
     * (nor a PKCE verifier, which also ties the code to the browser that started the flow).
     */
    function checkStateless(codeBinding: TSESTree.Node): void {
      const fn = enclosingFunction(codeBinding);
      if (fn === undefined) return;
      const text = sourceCode.getText(fn);
      if (!HAND_WRITTEN_EXCHANGE.test(text) || STATE_OR_VERIFIER.test(text)) return;
      context.report({ node: codeBinding, messageId: 'stateNotSent' });
    }

    function predictable(value: TSESTree.Node): string | undefined {
      if (value.type === AST_NODE_TYPES.Literal && typeof value.value === 'string')
        return `the constant '${value.value}'`;
      if (value.type === AST_NODE_TYPES.MemberExpression && !value.computed) {
        const name = propertyName(value.property) ?? '';
        if (PREDICTABLE_MEMBER.test(name)) return `\`${sourceCode.getText(value)}\``;
      }
      if (value.type === AST_NODE_TYPES.Identifier && PREDICTABLE_MEMBER.test(value.name) && value.name !== 'id')
        return `\`${value.name}\``;
      if (value.type === AST_NODE_TYPES.CallExpression && sourceCode.getText(value.callee) === 'Date.now')
        return 'the current time';
      return undefined;
    }

    return {
      VariableDeclarator(node) {
        if (!reportsCallbacks || node.init === null) return;
        const init = node.init;
        if (node.id.type === AST_NODE_TYPES.Identifier) {
          let read: TSESTree.Node = init;
          if (read.type === AST_NODE_TYPES.AwaitExpression) read = read.argument;
          if (read.type === AST_NODE_TYPES.TSAsExpression || read.type === AST_NODE_TYPES.TSNonNullExpression)
            read = read.expression;
          if (read.type === AST_NODE_TYPES.LogicalExpression) read = read.left;
          if (read.type === AST_NODE_TYPES.ChainExpression) read = read.expression;
          if (mentionsState && (isParameterRead(read, 'state') || isRequestMember(read, 'state')))
            checkCallback(read, node.id, node);
          else if (handWrittenExchange && (isParameterRead(read, 'code') || isRequestMember(read, 'code')))
            checkStateless(node.id);
          return;
        }
        if (node.id.type !== AST_NODE_TYPES.ObjectPattern || !isRequestObject(init)) return;
        for (const property of node.id.properties) {
          if (property.type !== AST_NODE_TYPES.Property) continue;
          const key = propertyName(property.key);
          const target =
            property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
          if (target.type !== AST_NODE_TYPES.Identifier) continue;
          if (key === 'state' && mentionsState) checkCallback(init, target, node);
          else if (key === 'code' && handWrittenExchange) checkStateless(target);
        }
      },
      CallExpression(node) {
        // `authUrl.searchParams.set('state', user.id)`
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression || node.arguments.length !== 2) return;
        const setter = propertyName(node.callee.property);
        if (setter !== 'set' && setter !== 'append') return;
        const [key, value] = node.arguments;
        if (key === undefined || value === undefined || staticString(key) !== 'state') return;
        if (!/searchParams|params|query/i.test(sourceCode.getText(node.callee.object))) return;
        const what = predictable(value);
        if (what !== undefined) context.report({ node: value, messageId: 'predictableState', data: { what } });
      },
      Property(node) {
        // `new URLSearchParams({ client_id, redirect_uri, state: userId })`
        if (node.computed || propertyName(node.key) !== 'state' || node.parent.type !== AST_NODE_TYPES.ObjectExpression)
          return;
        const keys = node.parent.properties.filter(
          (property) =>
            property.type === AST_NODE_TYPES.Property && AUTHORIZE_KEYS.has(propertyName(property.key) ?? ''),
        );
        if (keys.length < 2) return;
        const what = predictable(node.value);
        if (what !== undefined) context.report({ node: node.value, messageId: 'predictableState', data: { what } });
      },
    };
  },
});
