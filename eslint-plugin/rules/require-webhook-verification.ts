import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { isBodyRead, REQUEST_NAMES } from '../../src/detectors/request-input.js';
import {
  edgeFunctionPath,
  edgeFunctionWebhookKind,
  eventTypeProvider,
  MAC_COMPUTATION,
  REPLAY_WINDOW,
  CLOCK_READ,
  TIMESTAMP_HEADER,
  isProviderEventType,
  isVerifierName,
  isVerifyingMiddlewareName,
  nextRoutePath,
  providerFromPath,
  signatureHeaderProvider,
  webhookRouteKind,
  type WebhookRouteKind,
} from '../../src/detectors/webhooks.js';
import { isEnvRead, memberCalleeName, memberName, propertyName, staticString } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import {
  chainOf,
  constInit,
  enclosingFunction,
  functionName,
  isFunction,
  localFunction,
  memberPropertyName,
  unwrap,
  walk,
  type FunctionNode,
} from '../utils/flow.js';
import { resolveExpression } from '../utils/references.js';

type MessageIds = 'missingVerification' | 'failOpen' | 'envSkipped' | 'parsedBody' | 'unsafeVerifier';
type Options = [];

interface Candidate {
  handler: FunctionNode;
  /** `receiver` routes are webhooks by name; `ambiguous` ones and plain functions need evidence in the handler. */
  kind: WebhookRouteKind | 'evidence';
  provider?: string;
  /** Middleware arguments registered before the handler on the same route. */
  middlewares: TSESTree.Node[];
  /** The route registration call, for ordering against `app.use(express.json())`. */
  registration?: TSESTree.Node;
}

/** Evidence was found but names no provider: the generator hint then says `--provider <provider>`. */
const UNKNOWN_PROVIDER = '?';

const ROUTE_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'all']);

/** Helpers that read the raw body: `getRawBody(req)`, micro's `buffer(req)`, h3's `readRawBody(event)`. */
const BODY_READERS: ReadonlySet<string> = new Set([
  'getRawBody',
  'rawBody',
  'buffer',
  'text',
  'json',
  'readBody',
  'readRawBody',
  'raw',
]);

const TERMINATING_CALLS: ReadonlySet<string> = new Set([
  'next',
  'notFound',
  'redirect',
  'send',
  'sendStatus',
  'end',
  'abort',
  'exit',
]);

const STRIPE_CONSTRUCT: ReadonlySet<string> = new Set(['constructEvent', 'constructEventAsync']);

/** A condition that turns verification off by configuration: env reads and flags named like it. */
const SKIP_FLAG =
  /skip|bypass|disable|insecure|verif|secret|isDev|isProd|isTest|isLocal|development|production|NODE_ENV/i;

/** Middleware names that parse JSON (so `req.body` is an object, not the signed bytes). */
function isJsonParser(node: TSESTree.Node, resolve: (n: TSESTree.Node) => string | undefined): boolean {
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.CallExpression) return false;
  const target = resolve(value.callee);
  return target === 'express:json' || target === 'body-parser:json';
}

function isRawParser(node: TSESTree.Node, resolve: (n: TSESTree.Node) => string | undefined): boolean {
  const value = unwrap(node);
  if (value.type !== AST_NODE_TYPES.CallExpression) return false;
  const target = resolve(value.callee);
  if (target !== undefined) return /^(?:express|body-parser):(?:raw|text)$/.test(target);
  const name = memberName(value.callee);
  return name === 'raw' || name === 'text';
}

export default createRule<Options, MessageIds>({
  name: 'require-webhook-verification',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require webhook handlers to verify the provider signature on the raw body before using it.',
      category: 'webhooks',
      severity: 'critical',
      securitySeverity: 9.1,
      cwe: ['CWE-345', 'CWE-347'],
      recommended: true,
    },
    messages: {
      missingVerification:
        'This webhook handler uses the request body without verifying its signature, so anyone who finds the URL can forge events (fake payments, fake sign-ups). Verify the raw body first (e.g. `stripe.webhooks.constructEvent`, svix `verify`) or generate a verified handler: `portcullis add webhook --provider {{provider}}`.',
      failOpen:
        'A failed signature check is caught here and the handler carries on, so forged events are still processed. Return 400 (or rethrow) from this catch; `portcullis add webhook --provider {{provider}}` generates a handler that fails closed.',
      envSkipped:
        'Signature verification depends on this condition, so a missing secret or a non-production setting quietly accepts forged webhooks. Verify unconditionally and fail at start-up when the secret is missing (`portcullis add webhook --provider {{provider}}`).',
      unsafeVerifier:
        'This hand-rolled webhook verifier compares the signature with `{{operator}}` and checks no timestamp, so the signature can be guessed byte by byte from response times and a captured request can be replayed forever. Compare with crypto.timingSafeEqual() and reject signed timestamps older than five minutes, or use the provider SDK (`portcullis add webhook --provider {{provider}}`).',
      parsedBody:
        'The signature is checked against a parsed or re-serialized body, which never matches the signed bytes (so verification fails, and gets switched off). Pass the raw body: `express.raw({ type: "application/json" })` for this route, or `await request.text()`; see `portcullis add webhook --provider {{provider}}`.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const candidates = new Map<FunctionNode, Candidate>();
    const jsonUses: TSESTree.CallExpression[] = [];
    const constructCalls: TSESTree.CallExpression[] = [];
    const route = nextRoutePath(context.filename);
    const fileKind = route === undefined ? undefined : webhookRouteKind(route.path);
    const edgePath = edgeFunctionPath(context.filename);
    const edgeKind = edgePath === undefined ? undefined : edgeFunctionWebhookKind(edgePath);

    function resolveName(node: TSESTree.Node): string | undefined {
      const reference = resolveExpression(context, node);
      return reference === undefined ? undefined : `${reference.module}:${reference.path.join('.')}`;
    }

    function addCandidate(candidate: Candidate): void {
      const existing = candidates.get(candidate.handler);
      if (existing === undefined || (existing.kind !== 'receiver' && candidate.kind === 'receiver')) {
        candidates.set(candidate.handler, { ...candidate, provider: candidate.provider ?? existing?.provider });
      }
    }

    function handlerFunction(node: TSESTree.Node | undefined): FunctionNode | undefined {
      if (node === undefined) return undefined;
      const value = unwrap(node);
      if (isFunction(value)) return value;
      return localFunction(context, value);
    }

    function middlewareVerifies(node: TSESTree.Node): boolean {
      const value = unwrap(node);
      if (value.type === AST_NODE_TYPES.ArrayExpression) {
        return value.elements.some(
          (e) => e !== null && e.type !== AST_NODE_TYPES.SpreadElement && middlewareVerifies(e),
        );
      }
      if (value.type === AST_NODE_TYPES.ObjectExpression) {
        // Fastify route options: { preHandler: verifySignature }
        return value.properties.some(
          (p) =>
            p.type === AST_NODE_TYPES.Property &&
            /^(?:preHandler|onRequest|preValidation|preParsing|beforeHandle|middleware)$/.test(
              propertyName(p.key) ?? '',
            ) &&
            middlewareVerifies(p.value),
        );
      }
      const target = value.type === AST_NODE_TYPES.CallExpression ? value.callee : value;
      const name = memberName(target);
      if (name !== undefined && isVerifyingMiddlewareName(name)) return true;
      const fn = handlerFunction(value);
      return fn !== undefined && fn !== value && containsVerifier(fn, 0);
    }

    function registerRoute(call: TSESTree.CallExpression, path: string, args: readonly TSESTree.Node[]): void {
      const kind = webhookRouteKind(path);
      if (kind === undefined) return;
      const handler = handlerFunction(args.at(-1));
      if (handler === undefined) return;
      const middlewares = args.slice(0, -1);
      if (middlewares.some(middlewareVerifies)) return;
      addCandidate({ handler, kind, provider: providerFromPath(path), middlewares, registration: call });
    }

    /** A verifier call inside `fn`, or inside a same-file helper it calls (one level down). */
    function containsVerifier(fn: TSESTree.Node, depth: number): boolean {
      let found = false;
      walk(context, fn, (node) => {
        if (found) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const name = memberName(node.callee);
          if (name !== undefined && (isVerifierName(name) || name === 'createHmac')) found = true;
          else if (depth === 0) {
            const helper = localFunction(context, node.callee);
            if (helper !== undefined && helper !== fn && containsVerifier(helper, depth + 1)) found = true;
          }
        }
        return undefined;
      });
      return found;
    }

    function requestNames(handler: FunctionNode): Set<string> {
      const names = new Set(REQUEST_NAMES);
      const first = handler.params[0];
      if (first?.type === AST_NODE_TYPES.Identifier) names.add(first.name);
      return names;
    }

    /** The first read of the request body in the handler (`req.body`, `await request.text()`, `c.req.json()`). */
    function firstBodyRead(handler: FunctionNode): TSESTree.Node | undefined {
      const names = requestNames(handler);
      let read: TSESTree.Node | undefined;
      walk(context, handler.body, (node) => {
        if (read !== undefined) return false;
        if (node.type === AST_NODE_TYPES.MemberExpression || node.type === AST_NODE_TYPES.CallExpression) {
          const chain = chainOf(node);
          if (chain !== undefined && names.has(chain[0] ?? '') && isBodyRead(chain)) {
            read = node;
            return false;
          }
          if (node.type === AST_NODE_TYPES.CallExpression) {
            const name = memberName(node.callee);
            const arg = node.arguments[0];
            if (
              name !== undefined &&
              BODY_READERS.has(name) &&
              node.callee.type === AST_NODE_TYPES.Identifier &&
              arg?.type === AST_NODE_TYPES.Identifier &&
              names.has(arg.name)
            ) {
              read = node;
              return false;
            }
          }
        }
        return undefined;
      });
      return read;
    }

    /** A value computed as a MAC here: through consts, array/hex conversions and same-file helpers (three steps). */
    function isMacValue(node: TSESTree.Node, depth: number): boolean {
      if (depth > 3) return false;
      const value = unwrap(node);
      if (MAC_COMPUTATION.test(sourceCode.getText(value))) return true;
      let found = false;
      walk(context, value, (inner) => {
        if (found || isFunction(inner)) return false;
        if (inner.type === AST_NODE_TYPES.Identifier) {
          const init = constInit(context, inner)?.init;
          if (init !== undefined && init !== value && isMacValue(init, depth + 1)) found = true;
        }
        if (inner.type === AST_NODE_TYPES.CallExpression) {
          const helper = localFunction(context, inner.callee);
          if (helper !== undefined && MAC_COMPUTATION.test(sourceCode.getText(helper.body))) found = true;
        }
        return undefined;
      });
      return found;
    }

    function isHarmless(node: TSESTree.Node): boolean {
      const value = unwrap(node);
      if (value.type === AST_NODE_TYPES.Literal) return true;
      if (value.type === AST_NODE_TYPES.Identifier) return value.name === 'undefined';
      if (value.type === AST_NODE_TYPES.UnaryExpression) return true;
      return (
        value.type === AST_NODE_TYPES.MemberExpression &&
        /^(?:length|byteLength|size)$/.test(memberPropertyName(value) ?? '')
      );
    }

    /**
     * A verifier written by hand (the handler or a same-file helper computes the MAC) that compares it
     * with `===`/`!==` and never looks at a timestamp: not verification an attacker has to respect.
     */
    function checkHandRolled(handler: FunctionNode, provider: string): void {
      const functions = new Set<TSESTree.Node>([handler]);
      walk(context, handler.body, (node) => {
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const helper = localFunction(context, node.callee);
          if (helper !== undefined) functions.add(helper);
        }
        return undefined;
      });
      const texts = [...functions].map((fn) => sourceCode.getText(fn));
      const macTexts = texts.filter((text) => MAC_COMPUTATION.test(text));
      if (macTexts.length === 0) return;
      if (
        texts.some((text) => TIMESTAMP_HEADER.test(text)) ||
        macTexts.some((text) => REPLAY_WINDOW.test(text) || CLOCK_READ.test(text))
      )
        return;
      for (const fn of functions) {
        walk(context, fn, (node) => {
          if (node !== fn && isFunction(node) && !functions.has(node)) return false;
          if (
            node.type === AST_NODE_TYPES.BinaryExpression &&
            /^[!=]==?$/.test(node.operator) &&
            node.left.type !== AST_NODE_TYPES.PrivateIdentifier &&
            !isHarmless(node.left) &&
            !isHarmless(node.right) &&
            isMacValue(node.left, 0) !== isMacValue(node.right, 0)
          ) {
            context.report({ node, messageId: 'unsafeVerifier', data: { operator: node.operator, provider } });
          }
          return undefined;
        });
      }
    }

    /** Evidence that a function handles a provider's webhook: a signature header or a provider event type. */
    function evidence(handler: FunctionNode): string | undefined {
      let provider: string | undefined;
      walk(context, handler.body, (node) => {
        if (provider !== undefined) return false;
        if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') {
          const header = signatureHeaderProvider(node.value);
          if (header !== undefined) provider = header;
          else if (isProviderEventType(node.value) && isEventTypeTest(node))
            provider = eventTypeProvider(node.value) ?? UNKNOWN_PROVIDER;
        }
        return undefined;
      });
      return provider;
    }

    function isEventTypeTest(literal: TSESTree.Literal): boolean {
      const parent = literal.parent;
      if (parent.type === AST_NODE_TYPES.SwitchCase) return true;
      return parent.type === AST_NODE_TYPES.BinaryExpression && (parent.operator === '===' || parent.operator === '==');
    }

    function terminates(block: TSESTree.Node): boolean {
      let found = false;
      walk(context, block, (node) => {
        if (found || (node !== block && isFunction(node))) return false;
        if (node.type === AST_NODE_TYPES.ReturnStatement || node.type === AST_NODE_TYPES.ThrowStatement) found = true;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const name = memberName(node.callee);
          // next(err), notFound(), or a response sent from the catch (`res.status(400).send(…)`).
          if (name !== undefined && TERMINATING_CALLS.has(name)) found = true;
        }
        return undefined;
      });
      return found;
    }

    /**
     * `verify(req).catch(() => {})` / `await wh.verifyAsync(…).catch(log)` as a statement: the failure is
     * handled by a callback that neither throws nor answers the request, and nothing reads the result, so
     * the handler carries on as if the signature were valid. A result that is kept (`const event = await
     * verify(req).catch(() => null)`) may be checked afterwards: not reported.
     */
    function swallowsFailure(catchCall: TSESTree.CallExpression): boolean {
      let outer: TSESTree.Node = catchCall;
      while (outer.parent?.type === AST_NODE_TYPES.AwaitExpression) outer = outer.parent;
      if (outer.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      const callback = catchCall.arguments[0];
      if (callback === undefined) return false;
      if (!isFunction(callback)) {
        // `.catch(console.error)`, `.catch(logger.warn)`: logs and resolves.
        return callback.type === AST_NODE_TYPES.Identifier || callback.type === AST_NODE_TYPES.MemberExpression;
      }
      if (callback.body.type !== AST_NODE_TYPES.BlockStatement) {
        const value = unwrap(callback.body);
        // `.catch((e) => next(e))`, `.catch(() => res.sendStatus(400))`, `.catch((e) => Promise.reject(e))` answer or rethrow.
        return !(value.type === AST_NODE_TYPES.CallExpression && terminatesCall(value));
      }
      return !terminates(callback.body);
    }

    function terminatesCall(call: TSESTree.CallExpression): boolean {
      const name = memberName(call.callee);
      if (name === 'reject') return true;
      let found = false;
      walk(context, call, (node) => {
        if (found) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const inner = memberName(node.callee);
          if (inner !== undefined && TERMINATING_CALLS.has(inner)) found = true;
        }
        return undefined;
      });
      return found;
    }

    /** `if (process.env.NODE_ENV === 'production')`, `if (webhookSecret)`, `skipVerify ? … : …`. */
    function isSkipCondition(test: TSESTree.Node): boolean {
      let found = false;
      walk(context, test, (node) => {
        if (found) return false;
        if (isEnvRead(node)) found = true;
        else if (node.type === AST_NODE_TYPES.Identifier && SKIP_FLAG.test(node.name)) found = true;
        else if (node.type === AST_NODE_TYPES.Identifier) {
          const init = constInit(context, node)?.init;
          if (init !== undefined && isEnvRead(unwrap(init))) found = true;
        } else if (node.type === AST_NODE_TYPES.MemberExpression && SKIP_FLAG.test(memberPropertyName(node) ?? '')) {
          found = true;
        }
        return node.type === AST_NODE_TYPES.MemberExpression ? false : undefined;
      });
      return found;
    }

    function checkVerifierCall(call: TSESTree.CallExpression, provider: string, bodyParsed: boolean): void {
      const fn = enclosingFunction(call);
      let child: TSESTree.Node = call;
      for (
        let current: TSESTree.Node | undefined = call.parent;
        current != null && current !== fn;
        current = current.parent
      ) {
        if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler !== null) {
          const handler = current.handler;
          const following = current.parent.type === AST_NODE_TYPES.BlockStatement ? current.parent.body : [];
          const isLast = following.at(-1) === current;
          if (!terminates(handler.body) && !isLast) {
            context.report({ node: handler, messageId: 'failOpen', data: { provider } });
          }
        }
        if (
          current.type === AST_NODE_TYPES.MemberExpression &&
          current.object === child &&
          memberPropertyName(current) === 'catch' &&
          current.parent.type === AST_NODE_TYPES.CallExpression &&
          current.parent.callee === current &&
          swallowsFailure(current.parent)
        ) {
          context.report({ node: current.parent, messageId: 'failOpen', data: { provider } });
          break;
        }
        if (current.type === AST_NODE_TYPES.IfStatement && current.test !== child && isSkipCondition(current.test)) {
          const other = current.consequent === child ? current.alternate : current.consequent;
          if (other === null || other === undefined || !terminates(other)) {
            context.report({ node: current.test, messageId: 'envSkipped', data: { provider } });
            break;
          }
        }
        if (
          current.type === AST_NODE_TYPES.ConditionalExpression &&
          current.test !== child &&
          isSkipCondition(current.test)
        ) {
          context.report({ node: current.test, messageId: 'envSkipped', data: { provider } });
          break;
        }
        if (
          current.type === AST_NODE_TYPES.LogicalExpression &&
          current.right === child &&
          current.operator === '&&' &&
          isSkipCondition(current.left)
        ) {
          context.report({ node: current.left, messageId: 'envSkipped', data: { provider } });
          break;
        }
        child = current;
      }
      const payload = call.arguments[0];
      if (payload !== undefined && isParsedPayload(payload, bodyParsed)) {
        context.report({ node: payload, messageId: 'parsedBody', data: { provider } });
      }
    }

    /** A read of the incoming request's body (`req.body`, `await request.json()`), directly or through a const. */
    function isRequestBody(node: TSESTree.Node, depth = 0): boolean {
      const value = unwrap(node);
      if (value.type === AST_NODE_TYPES.Identifier) {
        const init = constInit(context, value);
        return depth < 3 && init?.id.type === AST_NODE_TYPES.Identifier && isRequestBody(init.init, depth + 1);
      }
      const chain = chainOf(value);
      return chain !== undefined && REQUEST_NAMES.has(chain[0] ?? '') && isBodyRead(chain);
    }

    /**
     * `JSON.stringify(req.body)` (re-serialized request), `await request.json()` (or a const holding
     * it), and `req.body` after `express.json()`. A payload the code builds itself (a test or a sender
     * signing `JSON.stringify({ … })`) is the raw body and is not reported.
     */
    function isParsedPayload(node: TSESTree.Node, bodyParsed: boolean): boolean {
      let value = unwrap(node);
      if (value.type === AST_NODE_TYPES.Identifier) {
        const init = constInit(context, value);
        if (init !== undefined && init.id.type === AST_NODE_TYPES.Identifier) value = unwrap(init.init);
      }
      const chain = chainOf(value);
      if (value.type === AST_NODE_TYPES.CallExpression) {
        if (chainOf(value.callee)?.join('.') === 'JSON.stringify') {
          return value.arguments[0] !== undefined && isRequestBody(value.arguments[0]);
        }
        const name = memberName(value.callee);
        return (
          (name === 'json' || name === 'parseBody') &&
          chain !== undefined &&
          REQUEST_NAMES.has(chain[0] ?? '') &&
          isBodyRead(chain)
        );
      }
      if (!bodyParsed) return false;
      return chain !== undefined && chain.length === 2 && chain[1] === 'body' && REQUEST_NAMES.has(chain[0] ?? '');
    }

    // One listener per node type, plain JavaScript tests instead of attribute selectors (see
    // `memberCalleeName`). The checks on a call run in the order ESLint ran the selectors they replace
    // (by specificity), since routes and candidates are recorded in that order.
    function onCall(node: TSESTree.CallExpression): void {
      edgeFunctionServe(node);
      const method = memberCalleeName(node);
      if (method === 'use') jsonUses.push(node);
      if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
      const name = memberPropertyName(node.callee);
      if (name !== undefined && STRIPE_CONSTRUCT.has(name)) constructCalls.push(node);
      if (node.arguments.length >= 2) routeCall(node);
      if (
        (method === 'post' || method === 'put' || method === 'patch' || method === 'all') &&
        node.callee.object.type === AST_NODE_TYPES.CallExpression
      )
        chainedRouteCall(node);
    }

    function routeCall(node: TSESTree.CallExpression): void {
      const callee = node.callee as TSESTree.MemberExpression;
      const method = memberPropertyName(callee);
      if (method === undefined || !ROUTE_METHODS.has(method)) return;
      const first = node.arguments[0];
      if (first === undefined) return;
      const path = staticString(first);
      if (path !== undefined) {
        if (path.startsWith('/')) registerRoute(node, path, node.arguments.slice(1));
        return;
      }
      // Routes registered from configuration (`router.post(endpoint.path, …)`) inside a function that
      // says it builds webhook routes (`webhookRouter`, `registerWebhooks`).
      const builder = enclosingFunction(node);
      const builderName = builder === undefined ? undefined : functionName(builder);
      if (builderName !== undefined && /webhook/i.test(builderName))
        registerRoute(node, '/webhook', node.arguments.slice(1));
    }

    function chainedRouteCall(node: TSESTree.CallExpression): void {
      // app.route('/webhook').post(handler)
      const inner = (node.callee as TSESTree.MemberExpression).object as TSESTree.CallExpression;
      if (inner.callee.type !== AST_NODE_TYPES.MemberExpression || memberPropertyName(inner.callee) !== 'route') return;
      const path = inner.arguments[0] === undefined ? undefined : staticString(inner.arguments[0]);
      if (path !== undefined) registerRoute(node, path, node.arguments);
    }

    function edgeFunctionServe(node: TSESTree.CallExpression): void {
      // Supabase edge functions: `Deno.serve(handler)` or std's `serve(handler)` in supabase/functions/<name>/index.ts.
      if (edgeKind === undefined || edgePath === undefined) return;
      const callee = chainOf(node.callee)?.join('.');
      if (callee !== 'Deno.serve' && callee !== 'serve') return;
      const handler = handlerFunction(node.arguments.at(-1));
      if (handler !== undefined)
        addCandidate({ handler, kind: edgeKind, provider: providerFromPath(edgePath), middlewares: [] });
    }

    return {
      CallExpression: onCall,
      ObjectExpression(node) {
        if (node.parent.type !== AST_NODE_TYPES.CallExpression || memberCalleeName(node.parent) !== 'route') return;
        // fastify.route({ method: 'POST', url: '/webhook', preHandler, handler })
        const get = (key: string): TSESTree.Node | undefined =>
          node.properties.find(
            (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && propertyName(p.key) === key,
          )?.value;
        const url = get('url') ?? get('path');
        const path = url === undefined ? undefined : staticString(url);
        const handler = get('handler');
        if (path === undefined || handler === undefined) return;
        registerRoute(node.parent as TSESTree.CallExpression, path, [node, handler]);
      },
      ExportNamedDeclaration(node) {
        if (node.parent.type !== AST_NODE_TYPES.Program) return;
        if (route?.router !== 'app' || fileKind === undefined) return;
        const declaration = node.declaration;
        if (
          declaration?.type === AST_NODE_TYPES.FunctionDeclaration &&
          /^(?:POST|PUT|PATCH)$/.test(declaration.id?.name ?? '')
        ) {
          addCandidate({
            handler: declaration,
            kind: fileKind,
            provider: providerFromPath(route.path),
            middlewares: [],
          });
        }
        if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) {
            const init = declarator.init === null ? undefined : unwrap(declarator.init);
            if (
              declarator.id.type === AST_NODE_TYPES.Identifier &&
              /^(?:POST|PUT|PATCH)$/.test(declarator.id.name) &&
              init !== undefined &&
              isFunction(init)
            ) {
              addCandidate({ handler: init, kind: fileKind, provider: providerFromPath(route.path), middlewares: [] });
            }
          }
        }
      },
      ExportDefaultDeclaration(node) {
        if (node.parent.type !== AST_NODE_TYPES.Program) return;
        if (route?.router !== 'pages' || fileKind === undefined) return;
        const handler = handlerFunction(node.declaration);
        if (handler !== undefined) {
          addCandidate({ handler, kind: fileKind, provider: providerFromPath(route.path), middlewares: [] });
        }
      },
      Literal(node) {
        if (typeof node.value !== 'string' || node.value.length > 40) return;
        const header = signatureHeaderProvider(node.value);
        const eventType = header === undefined && isProviderEventType(node.value) && isEventTypeTest(node);
        if (header === undefined && !eventType) return;
        const handler = enclosingFunction(node);
        if (handler !== undefined && !candidates.has(handler)) {
          addCandidate({
            handler,
            kind: 'evidence',
            provider: header ?? (eventType ? eventTypeProvider(node.value) : undefined),
            middlewares: [],
          });
        }
      },
      'Program:exit'() {
        const globalJson = jsonUses.filter(
          (use) =>
            use.arguments.length === 1 && use.arguments[0] !== undefined && isJsonParser(use.arguments[0], resolveName),
        );
        const verifyingMiddlewareInFile = jsonUses.some((use) => use.arguments.some((arg) => middlewareVerifies(arg)));
        const pagesParsed = route?.router === 'pages' && !/bodyParser\s*:\s*false/.test(sourceCode.text);
        const checked = new Set<TSESTree.CallExpression>();

        for (const candidate of candidates.values()) {
          const { handler } = candidate;
          const found = candidate.provider ?? evidence(handler);
          const provider = found === undefined || found === UNKNOWN_PROVIDER ? '<provider>' : found;
          const routeParsed =
            candidate.middlewares.some((m) => isJsonParser(m, resolveName)) ||
            (!candidate.middlewares.some((m) => isRawParser(m, resolveName)) &&
              candidate.registration !== undefined &&
              globalJson.some((use) => use.range[0] < (candidate.registration?.range[0] ?? 0)));
          const bodyParsed = routeParsed || pagesParsed;
          let verified = false;
          walk(context, handler.body, (node) => {
            if (node.type === AST_NODE_TYPES.CallExpression) {
              const name = memberName(node.callee);
              if (name !== undefined && (isVerifierName(name) || name === 'createHmac')) {
                verified = true;
                if (!checked.has(node) && name !== 'timingSafeEqual') {
                  checked.add(node);
                  checkVerifierCall(node, provider, bodyParsed);
                }
              } else if (!verified) {
                const helper = localFunction(context, node.callee);
                if (helper !== undefined && helper !== handler && containsVerifier(helper, 1)) verified = true;
              }
            }
            return undefined;
          });
          if (verified) {
            checkHandRolled(handler, provider);
            continue;
          }
          if (candidate.registration !== undefined && verifyingMiddlewareInFile) continue;
          if (candidate.kind !== 'receiver' && evidence(handler) === undefined) continue;
          const read = firstBodyRead(handler);
          if (read === undefined) continue;
          context.report({ node: read, messageId: 'missingVerification', data: { provider } });
        }

        // Stripe's verifier is distinctive enough to check wherever it is called.
        for (const call of constructCalls) {
          if (checked.has(call)) continue;
          checked.add(call);
          checkVerifierCall(call, 'stripe', pagesParsed || globalJson.length > 0);
        }
      },
    };
  },
});
