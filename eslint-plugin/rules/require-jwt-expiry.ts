import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { JSONSchema, TSESLint, TSESTree } from '@typescript-eslint/utils';

type JSONSchema4 = JSONSchema.JSONSchema4;

import {
  DEFAULT_MAX_ACCESS_TOKEN_LIFETIME,
  MAX_CLOCK_TOLERANCE_SECONDS,
  formatDuration,
  isLongLivedTokenName,
  parseDuration,
} from '../../src/detectors/jwt.js';
import { memberCalleeName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import {
  constInit,
  findVariable,
  functionName,
  hasSpread,
  isFunction,
  memberPropertyName,
  objectLiteral,
  objectProperty,
  unwrap,
} from '../utils/flow.js';
import { isReference, mayReference, resolveExpression } from '../utils/references.js';

type MessageIds =
  'missingExpiry' | 'lifetimeTooLong' | 'sessionTooLong' | 'ignoreExpiration' | 'excessiveClockTolerance' | 'addExpiry';
type Options = [
  {
    /** Longest access-token lifetime: seconds, or a span like '15m' or '1h'. */
    maxAccessTokenLifetime?: string | number;
    /** Longest lifetime of a session token (a JWT that is the session, kept in a cookie). */
    maxSessionLifetime?: string | number;
  },
];

type Lifetime = { seconds: number } | 'unknown';

/** Names that make a JWT the session itself (`SessionData`, `createSessionToken`, `lib/auth/session.ts`). */
const SESSION_NAME = /session/i;
const DEFAULT_MAX_SESSION_LIFETIME = '7d';
const DURATION_OPTION: { oneOf: JSONSchema4[] } = {
  oneOf: [
    { type: 'number', minimum: 1, description: 'Seconds.' },
    {
      type: 'string',
      pattern: '^\\s*\\d+(?:\\.\\d+)?\\s*[a-zA-Z]*\\s*$',
      description: "A time span such as '15m', '1h' or '2 hours'.",
    },
  ],
};

/** A static number: `3600`, `60 * 60`, `24 * 60 * 60 * 1000 / 1000`. */
function staticNumber(node: TSESTree.Node): number | undefined {
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === 'number') return value.value;
  if (value.type === AST_NODE_TYPES.BinaryExpression) {
    const left = staticNumber(value.left);
    const right = staticNumber(value.right);
    if (left === undefined || right === undefined) return undefined;
    switch (value.operator) {
      case '*':
        return left * right;
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '/':
        return right === 0 ? undefined : left / right;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `Math.floor(Date.now() / 1000) + 3600` or `now + 60 * 60` → 3600: an `exp` claim relative to now. */
function relativeToNow(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): number | undefined {
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.BinaryExpression || value.operator !== '+') return undefined;
  const right = staticNumber(value.right);
  const left = staticNumber(value.left);
  const [offset, base] = right !== undefined ? [right, value.left] : left !== undefined ? [left, value.right] : [];
  if (offset === undefined || base === undefined) return undefined;
  return /\bnow\b|Date\.now|getTime\(\)|epoch|iat/i.test(sourceCode.getText(base)) ? offset : undefined;
}

export default createRule<Options, MessageIds>({
  name: 'require-jwt-expiry',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description:
        'Require JWTs to expire, access tokens within a short maximum lifetime, and verifiers to check expiry.',
      category: 'jwt',
      severity: 'high',
      securitySeverity: 7.5,
      cwe: ['CWE-613'],
      recommended: true,
    },
    messages: {
      missingExpiry:
        'This token is signed without an expiry, so a leaked token works forever and logging out cannot end it. Set one ({{how}}) and keep access tokens short-lived.',
      lifetimeTooLong:
        'This access token lives {{lifetime}}, longer than the configured maximum of {{max}}; a stolen token stays usable that long. Shorten it and renew sessions with a refresh token instead.',
      sessionTooLong:
        'This session token lives {{lifetime}}, longer than the configured maximum session of {{max}}; a stolen cookie stays usable that long. Shorten it and renew the session while the user is active.',
      ignoreExpiration:
        '`ignoreExpiration: true` accepts expired tokens, so a token leaked once is valid forever. Remove it; handle expiry by refreshing the token.',
      excessiveClockTolerance:
        'A clock tolerance of {{tolerance}} accepts tokens that long after they expire. Keep it to a few seconds (at most {{max}}).',
      addExpiry: 'Add {{how}}.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxAccessTokenLifetime: {
            description:
              "Longest access-token lifetime allowed: a number of seconds or a time span such as '15m' or '1h'. Tokens whose names mark them as refresh, invitation or reset tokens are exempt from the maximum but must still expire.",
            ...DURATION_OPTION,
          },
          maxSessionLifetime: {
            description:
              "Longest lifetime allowed for a token that is the session itself (its payload type, signing function or file says `session`): a number of seconds or a time span such as '7d'.",
            ...DURATION_OPTION,
          },
        },
      },
    ],
    defaultOptions: [
      { maxAccessTokenLifetime: DEFAULT_MAX_ACCESS_TOKEN_LIFETIME, maxSessionLifetime: DEFAULT_MAX_SESSION_LIFETIME },
    ],
  },
  defaultOptions: [
    { maxAccessTokenLifetime: DEFAULT_MAX_ACCESS_TOKEN_LIFETIME, maxSessionLifetime: DEFAULT_MAX_SESSION_LIFETIME },
  ],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    // Every report is about a jsonwebtoken or jose call.
    if (!mayReference(sourceCode.text, ['jsonwebtoken', 'jose'])) return {};
    const configured = options.maxAccessTokenLifetime ?? DEFAULT_MAX_ACCESS_TOKEN_LIFETIME;
    const maxSeconds = parseDuration(configured, 's') ?? 3600;
    const maxText = typeof configured === 'string' ? configured.trim() : formatDuration(configured);
    const suggested = maxSeconds >= 900 ? '15m' : formatDuration(maxSeconds);
    const sessionConfigured = options.maxSessionLifetime ?? DEFAULT_MAX_SESSION_LIFETIME;
    const maxSessionSeconds = Math.max(parseDuration(sessionConfigured, 's') ?? 604800, maxSeconds);
    const maxSessionText =
      typeof sessionConfigured === 'string' ? sessionConfigured.trim() : formatDuration(sessionConfigured);
    const fileBase = context.filename.replace(/\\/g, '/').split('/').at(-1) ?? '';

    /** The declared type of an identifier payload: `signToken(payload: SessionData)` → 'SessionData'. */
    function declaredType(node: TSESTree.Node | undefined): string | undefined {
      if (node === undefined) return undefined;
      const value = unwrap(node);
      if (value.type !== AST_NODE_TYPES.Identifier) return undefined;
      const definition = findVariable(context, value)?.defs[0]?.name;
      if (definition?.type !== AST_NODE_TYPES.Identifier || definition.typeAnnotation == null) return undefined;
      return sourceCode.getText(definition.typeAnnotation);
    }

    /** Names around the signing call say the token is the session (kept in a cookie), not a bearer access token. */
    function isSessionToken(call: TSESTree.Node, payload: TSESTree.Node | undefined): boolean {
      const names = [fileBase, declaredType(payload) ?? ''];
      for (let current: TSESTree.Node | undefined = call.parent; current != null; current = current.parent) {
        if (current.type === AST_NODE_TYPES.VariableDeclarator && current.id.type === AST_NODE_TYPES.Identifier)
          names.push(current.id.name);
        if (isFunction(current)) {
          names.push(functionName(current) ?? '');
          break;
        }
      }
      return names.some((name) => SESSION_NAME.test(name));
    }

    /** Names around the signing call: the variable it lands in, the function, the key, a `type` claim. */
    function isLongLived(call: TSESTree.Node, extra: readonly (TSESTree.Node | undefined)[]): boolean {
      const names: string[] = [];
      for (let current: TSESTree.Node | undefined = call.parent; current != null; current = current.parent) {
        if (current.type === AST_NODE_TYPES.VariableDeclarator && current.id.type === AST_NODE_TYPES.Identifier) {
          names.push(current.id.name);
        }
        if (current.type === AST_NODE_TYPES.Property || current.type === AST_NODE_TYPES.AssignmentExpression) {
          names.push(sourceCode.getText(current.type === AST_NODE_TYPES.Property ? current.key : current.left));
        }
        if (isFunction(current)) {
          const name = functionName(current);
          if (name !== undefined) names.push(name);
          break;
        }
      }
      for (const node of extra) if (node !== undefined) names.push(sourceCode.getText(node));
      return names.some(isLongLivedTokenName);
    }

    function checkLifetime(
      node: TSESTree.Node,
      seconds: number,
      call: TSESTree.Node,
      extra: readonly (TSESTree.Node | undefined)[],
      payload?: TSESTree.Node,
    ): void {
      if (seconds <= maxSeconds || isLongLived(call, extra)) return;
      if (isSessionToken(call, payload)) {
        if (seconds > maxSessionSeconds)
          context.report({
            node,
            messageId: 'sessionTooLong',
            data: { lifetime: formatDuration(Math.round(seconds)), max: maxSessionText },
          });
        return;
      }
      context.report({
        node,
        messageId: 'lifetimeTooLong',
        data: { lifetime: formatDuration(Math.round(seconds)), max: maxText },
      });
    }

    /** The lifetime an `exp` claim in a payload literal gives, if the payload has one. */
    function payloadExpiry(
      payload: TSESTree.ObjectExpression | undefined,
    ): { node: TSESTree.Node; lifetime: Lifetime } | undefined {
      if (payload === undefined) return undefined;
      const exp = objectProperty(payload, 'exp');
      if (exp === undefined) return undefined;
      const seconds = relativeToNow(exp.value, sourceCode);
      return { node: exp.value, lifetime: seconds === undefined ? 'unknown' : { seconds } };
    }

    function checkTolerance(property: TSESTree.Property | undefined, unitless: 'ms' | 's'): void {
      if (property === undefined) return;
      const text = staticString(property.value);
      const number = staticNumber(property.value);
      const seconds = text !== undefined ? parseDuration(text, unitless) : number;
      if (seconds === undefined || seconds <= MAX_CLOCK_TOLERANCE_SECONDS) return;
      context.report({
        node: property.value,
        messageId: 'excessiveClockTolerance',
        data: { tolerance: formatDuration(Math.round(seconds)), max: formatDuration(MAX_CLOCK_TOLERANCE_SECONDS) },
      });
    }

    function checkJsonwebtokenSign(node: TSESTree.CallExpression): void {
      const [payloadArg, key, third] = node.arguments;
      if (payloadArg === undefined) return;
      const payloadValue = unwrap(payloadArg);
      if (payloadValue.type === AST_NODE_TYPES.Literal || payloadValue.type === AST_NODE_TYPES.TemplateLiteral) return;
      const payload = objectLiteral(context, payloadArg);
      const claim = payloadExpiry(payload);
      const optionsNode = third === undefined || isFunction(unwrap(third)) ? undefined : third;
      const optionsObject = optionsNode === undefined ? undefined : objectLiteral(context, optionsNode);
      const typeClaim =
        payload === undefined ? undefined : (objectProperty(payload, 'type') ?? objectProperty(payload, 'typ'));
      const extra = [key, typeClaim?.value];
      if (claim !== undefined) {
        if (claim.lifetime !== 'unknown') checkLifetime(claim.node, claim.lifetime.seconds, node, extra, payloadArg);
        return;
      }
      if (optionsNode !== undefined && optionsObject === undefined) return;
      const expiresIn = optionsObject === undefined ? undefined : objectProperty(optionsObject, 'expiresIn');
      if (expiresIn !== undefined) {
        const text = staticString(expiresIn.value);
        const seconds = text !== undefined ? parseDuration(text, 'ms') : staticNumber(expiresIn.value);
        if (seconds !== undefined) checkLifetime(expiresIn.value, seconds, node, extra, payloadArg);
        return;
      }
      if (optionsObject !== undefined && hasSpread(optionsObject)) return;
      // An opaque payload may carry its own `exp`; only a file that never sets one is reported.
      if (
        payload === undefined &&
        (payloadValue.type !== AST_NODE_TYPES.Identifier || /\bexp\s*[:=]/.test(sourceCode.text))
      )
        return;
      if (payload !== undefined && hasSpread(payload)) return;
      const how = `\`expiresIn: '${suggested}'\``;
      context.report({
        node: node.callee,
        messageId: 'missingExpiry',
        data: { how },
        suggest: [
          {
            messageId: 'addExpiry',
            data: { how },
            fix(fixer) {
              const entry = `expiresIn: '${suggested}'`;
              if (optionsObject !== undefined && optionsObject === unwrap(optionsNode as TSESTree.Node)) {
                const last = optionsObject.properties.at(-1);
                return last === undefined
                  ? fixer.replaceText(optionsObject, `{ ${entry} }`)
                  : fixer.insertTextAfter(last, `, ${entry}`);
              }
              if (optionsNode === undefined && key !== undefined) return fixer.insertTextAfter(key, `, { ${entry} }`);
              return null;
            },
          },
        ],
      });
    }

    function checkJoseSign(node: TSESTree.CallExpression): void {
      // Walk the builder chain down to its root: `new SignJWT(p).setX().sign(key)`.
      const calls = new Map<string, TSESTree.CallExpression>();
      let object: TSESTree.Node = (node.callee as TSESTree.MemberExpression).object;
      while (object.type === AST_NODE_TYPES.CallExpression && object.callee.type === AST_NODE_TYPES.MemberExpression) {
        const name = memberPropertyName(object.callee);
        if (name !== undefined) calls.set(name, object);
        object = object.callee.object;
      }
      let root: TSESTree.Node = object;
      if (root.type === AST_NODE_TYPES.Identifier) {
        // const builder = new SignJWT(p); builder.setExpirationTime('1h'); await builder.sign(key)
        const variable = findVariable(context, root);
        const init = constInit(context, root)?.init;
        if (init === undefined || variable === undefined) return;
        for (const reference of variable.references) {
          const parent = reference.identifier.parent;
          if (parent.type === AST_NODE_TYPES.MemberExpression && parent.parent.type === AST_NODE_TYPES.CallExpression) {
            const name = memberPropertyName(parent);
            if (name !== undefined && parent.parent.callee === parent) calls.set(name, parent.parent);
          }
        }
        root = unwrap(init);
        while (root.type === AST_NODE_TYPES.CallExpression && root.callee.type === AST_NODE_TYPES.MemberExpression) {
          const name = memberPropertyName(root.callee);
          if (name !== undefined) calls.set(name, root);
          root = root.callee.object;
        }
      }
      if (root.type !== AST_NODE_TYPES.NewExpression || !isReference(context, root.callee, 'jose', ['SignJWT'])) return;
      const payload = objectLiteral(context, root.arguments[0]);
      const extra = [node.arguments[0], ...(payload === undefined ? [] : [objectProperty(payload, 'type')?.value])];
      const setter = calls.get('setExpirationTime');
      if (setter !== undefined) {
        const arg = setter.arguments[0];
        if (arg === undefined) return;
        const text = staticString(arg);
        const seconds = text !== undefined ? parseDuration(text, 's') : relativeToNow(arg, sourceCode);
        if (seconds !== undefined) checkLifetime(arg, seconds, node, extra, root.arguments[0]);
        return;
      }
      const claim = payloadExpiry(payload);
      if (claim !== undefined) {
        if (claim.lifetime !== 'unknown')
          checkLifetime(claim.node, claim.lifetime.seconds, node, extra, root.arguments[0]);
        return;
      }
      if (payload === undefined && root.arguments.length > 0) return;
      if (payload !== undefined && hasSpread(payload)) return;
      const how = `\`.setExpirationTime('${suggested}')\``;
      const callee = node.callee as TSESTree.MemberExpression;
      context.report({
        node: callee.property,
        messageId: 'missingExpiry',
        data: { how },
        suggest: [
          {
            messageId: 'addExpiry',
            data: { how },
            fix: (fixer) => fixer.insertTextBefore(callee.property, `setExpirationTime('${suggested}').`),
          },
        ],
      });
    }

    return {
      CallExpression(node) {
        if (node.callee.type === AST_NODE_TYPES.Identifier) {
          checkIdentifierCall(node, node.callee);
          return;
        }
        const method = memberCalleeName(node);
        if (method === 'sign') {
          if (isReference(context, node.callee, 'jsonwebtoken', ['sign'])) checkJsonwebtokenSign(node);
          else checkJoseSign(node);
        } else if (method === 'verify' || method === 'jwtVerify') {
          if (
            isReference(context, node.callee, 'jsonwebtoken', ['verify']) ||
            isReference(context, node.callee, 'jose', ['jwtVerify'])
          ) {
            checkVerifyOptions(node, 's');
          }
        }
      },
    };

    function checkIdentifierCall(node: TSESTree.CallExpression, callee: TSESTree.Identifier): void {
      if (callee.name !== 'sign' && callee.name !== 'verify' && callee.name !== 'jwtVerify') {
        // Renamed imports (`import { sign as signJwt }`) still resolve; only identifiers bound to imports are looked up.
        const variable = findVariable(context, callee);
        if (variable?.defs[0]?.type !== 'ImportBinding' && variable?.defs[0]?.type !== 'Variable') return;
      }
      const reference = resolveExpression(context, callee);
      const target = reference === undefined ? undefined : `${reference.module}:${reference.path.join('.')}`;
      if (target === 'jsonwebtoken:sign') checkJsonwebtokenSign(node);
      else if (target === 'jsonwebtoken:verify' || target === 'jose:jwtVerify') checkVerifyOptions(node, 's');
    }

    function checkVerifyOptions(node: TSESTree.CallExpression, unitless: 'ms' | 's'): void {
      const options = objectLiteral(context, node.arguments[2]);
      if (options === undefined) return;
      const ignore = objectProperty(options, 'ignoreExpiration');
      if (
        ignore !== undefined &&
        unwrap(ignore.value).type === AST_NODE_TYPES.Literal &&
        (unwrap(ignore.value) as TSESTree.Literal).value === true
      ) {
        context.report({ node: ignore, messageId: 'ignoreExpiration' });
      }
      checkTolerance(objectProperty(options, 'clockTolerance'), unitless);
    }
  },
});
