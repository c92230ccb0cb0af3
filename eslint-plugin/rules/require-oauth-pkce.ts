import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { parameterProblem, scanQuery, type OAuthProblem } from '../../src/detectors/oauth.js';
import { propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { constValue, findProperty, hasSpread, textWithHoles } from '../utils/option-values.js';
import { resolveExpression } from '../utils/references.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = OAuthProblem | 'missingPkce' | 'missingState';
type Options = [
  {
    /** Also require `state` on authorization requests. */
    checkState?: boolean;
    /** Also require PKCE from confidential clients (server code that holds a client secret). */
    checkConfidentialClients?: boolean;
  },
];

const PARAMETER_SETTERS = new Set(['set', 'append']);
const OAUTH_KEYS = new Set(['response_type', 'grant_type', 'code_challenge_method']);
const OPENID_CLIENT = 'openid-client';
/** A client secret in the file: the client authenticates itself at the token endpoint. */
const CLIENT_SECRET = /client_secret|clientSecret|CLIENT_SECRET/;
/** Server code that holds secrets: `Deno.env.get('…SECRET…')`, `process.env.SERVICE_ROLE_KEY`. */
const SERVER_SECRET =
  /\b(?:Deno\.env\.get\(\s*['"`]|process\.env\.)(?!NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_)\w*(?:SECRET|SERVICE_ROLE|PRIVATE)/;
const CLIENT_DIRECTIVE = /^\s*['"]use client['"]/m;
const OAUTH4WEBAPI = 'oauth4webapi';
const BUILD_AUTHORIZATION_URL = new Set([
  'buildAuthorizationUrl',
  'buildAuthorizationUrlWithPAR',
  'buildAuthorizationUrlWithJAR',
]);

export default createRule<Options, MessageIds>({
  name: 'require-oauth-pkce',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require OAuth authorization-code requests to use PKCE (S256) and state; disallow the implicit and password grants.',
      category: 'oauth',
      severity: 'high',
      securitySeverity: 7.4,
      cwe: ['CWE-352', 'CWE-303'],
      recommended: true,
    },
    messages: {
      missingPkce:
        'This authorization-code flow has no PKCE `code_challenge`/`code_verifier`, so an intercepted or injected authorization code can be redeemed by someone else. Send a S256 `code_challenge` (openid-client `randomPKCECodeVerifier` + `calculatePKCECodeChallenge`) and the verifier on the token request.',
      missingState:
        "This authorization request has no `state`, so an attacker can finish a sign-in with their own code in the victim's browser (login CSRF). Send a random `state` and check it on the callback (or rely on PKCE and document it).",
      implicitFlow:
        '`response_type=token` is the implicit flow: tokens land in the URL fragment and browser history with no PKCE protection (RFC 9700 says do not use it). Use the authorization-code flow with PKCE.',
      passwordGrant:
        "`grant_type=password` makes the app collect the user's password and defeats MFA and phishing-resistant sign-in (RFC 9700 says must not be used). Use the authorization-code flow with PKCE.",
      plainPkce:
        '`code_challenge_method=plain` sends the verifier itself as the challenge, so anyone who sees the authorization request can redeem the code. Use `S256`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkConfidentialClients: {
            type: 'boolean',
            description:
              'Also require PKCE in server code that holds a client secret (a confidential client). RFC 9700 §2.1.1 requires PKCE of public clients and recommends it for confidential ones, which authenticate at the token endpoint.',
          },
          checkState: {
            type: 'boolean',
            description:
              'Also report authorization requests built without a `state` parameter. PKCE covers CSRF only when the authorization server enforces it.',
          },
        },
      },
    ],
    defaultOptions: [{ checkState: true, checkConfidentialClients: false }],
  },
  defaultOptions: [{ checkState: true, checkConfidentialClients: false }],
  create(context, [options]) {
    // Test code signs in test users however it likes (`grant_type=password` against a local server).
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;
    // Cheapest test first: no OAuth parameter or client library named, nothing to check.
    // (`includes` first: a plain substring search is several times faster than a regular expression.)
    const text = sourceCode.text;
    const usesClientLibrary =
      (text.includes('openid-client') || text.includes('oauth4webapi')) &&
      /['"](?:openid-client|oauth4webapi)['"]/.test(text);
    const namesParameter = (): boolean =>
      (text.includes('_type') || text.includes('code_challenge_method')) &&
      /response_type|grant_type|code_challenge_method/.test(text);
    if (!usesClientLibrary && !namesParameter()) return {};
    // Requests are often assembled over several statements; a file that mentions the parameter at all is given the benefit of the doubt.
    const fileHasChallenge = text.includes('code_challenge');
    const fileHasState = /\bstate\b/.test(text.replace(/useState|setState|readyState|getState/g, ''));
    const reported = new Set<TSESTree.Node>();
    // A confidential client (server code with a client secret) authenticates the code exchange itself;
    // PKCE is then recommended, not required (RFC 9700 §2.1.1), and left to `checkConfidentialClients`.
    const confidential = !CLIENT_DIRECTIVE.test(text) && (CLIENT_SECRET.test(text) || SERVER_SECRET.test(text));
    const requirePkce = options.checkConfidentialClients === true || !confidential;

    function reportOnce(node: TSESTree.Node, messageId: MessageIds): void {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId });
    }

    // `certain`: the whole request is one object literal written at the call, so nothing elsewhere in the
    // file can add the parameter to it.
    function reportCodeRequest(node: TSESTree.Node, hasChallenge: boolean, hasState: boolean, certain = false): void {
      if (!hasChallenge && (certain || !fileHasChallenge)) {
        if (requirePkce) reportOnce(node, 'missingPkce');
      } else if (options.checkState !== false && !hasState && (certain || !fileHasState))
        reportOnce(node, 'missingState');
    }

    function checkText(node: TSESTree.Node): void {
      const text = textWithHoles(node);
      if (text === undefined || !text.includes('=')) return;
      const scan = scanQuery(text);
      for (const { problem } of scan.problems) reportOnce(node, problem);
      if (scan.isCodeRequest) reportCodeRequest(node, scan.hasCodeChallenge, scan.hasState);
    }

    function isConcatenation(node: TSESTree.Node | undefined): boolean {
      return node?.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+';
    }

    function literalValue(node: TSESTree.Node): string | undefined {
      const value = constValue(context, node);
      const text = textWithHoles(value);
      return text === undefined || text.includes('\u0000') ? undefined : text;
    }

    function checkParameterObject(object: TSESTree.ObjectExpression, requireChallenge: boolean, certain = false): void {
      let isCodeRequest = requireChallenge;
      for (const property of object.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
        const key = propertyName(property.key);
        if (key === undefined || !OAUTH_KEYS.has(key)) continue;
        const value = literalValue(property.value);
        if (value === undefined) continue;
        const problem = parameterProblem(key, value);
        if (problem !== undefined) reportOnce(property, problem);
        if (key === 'response_type' && /^code(?:$|\s)/.test(value)) isCodeRequest = true;
      }
      if (!isCodeRequest || hasSpread(object)) return;
      reportCodeRequest(
        object,
        findProperty(object, 'code_challenge') !== undefined,
        findProperty(object, 'state') !== undefined,
        certain,
      );
    }

    function checkLibraryCall(node: TSESTree.CallExpression): void {
      const reference = resolveExpression(context, node.callee);
      if (reference === undefined || reference.path.length !== 1) return;
      const { module } = reference;
      const name = reference.path[0] ?? '';
      if (module !== OPENID_CLIENT && module !== OAUTH4WEBAPI) return;
      if (module === OPENID_CLIENT && BUILD_AUTHORIZATION_URL.has(name)) {
        const argument = node.arguments[1];
        const parameters = argument === undefined ? undefined : constValue(context, argument);
        if (parameters?.type === AST_NODE_TYPES.ObjectExpression)
          checkParameterObject(parameters, true, argument?.type === AST_NODE_TYPES.ObjectExpression);
      } else if (module === OPENID_CLIENT && name === 'authorizationCodeGrant') {
        const checks = node.arguments[2] === undefined ? undefined : constValue(context, node.arguments[2]);
        const missing =
          checks === undefined ||
          (checks.type === AST_NODE_TYPES.ObjectExpression &&
            !hasSpread(checks) &&
            findProperty(checks, 'pkceCodeVerifier') === undefined);
        if (missing && requirePkce) reportOnce(node, 'missingPkce');
      } else if (module === OAUTH4WEBAPI && name === 'authorizationCodeGrantRequest') {
        const verifier = node.arguments[5];
        const noPkce =
          verifier === undefined
            ? node.arguments.length === 5
            : resolveExpression(context, verifier)?.path.join('.') === 'nopkce';
        if (noPkce && requirePkce) reportOnce(node, 'missingPkce');
      } else if (name === 'genericGrantRequest') {
        const grant = node.arguments[module === OPENID_CLIENT ? 1 : 3];
        if (grant !== undefined && literalValue(grant) === 'password') reportOnce(node, 'passwordGrant');
      }
    }

    return {
      Literal(node) {
        if (typeof node.value === 'string' && !isConcatenation(node.parent) && node.value.includes('_'))
          checkText(node);
      },
      TemplateLiteral(node) {
        if (!isConcatenation(node.parent) && node.parent.type !== AST_NODE_TYPES.TaggedTemplateExpression)
          checkText(node);
      },
      BinaryExpression(node) {
        if (node.operator !== '+') return;
        if (!isConcatenation(node.parent)) checkText(node);
      },
      ObjectExpression(node) {
        checkParameterObject(node, false);
      },
      CallExpression(node) {
        const callee = node.callee;
        if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          !callee.computed &&
          node.arguments.length === 2 &&
          PARAMETER_SETTERS.has(propertyName(callee.property) ?? '')
        ) {
          // `params.set('response_type', 'token')`, `url.searchParams.append('grant_type', 'password')`
          const [key, value] = node.arguments;
          const name = key === undefined ? undefined : literalValue(key);
          const text = value === undefined ? undefined : literalValue(value);
          if (name === undefined || text === undefined || !OAUTH_KEYS.has(name)) return;
          const problem = parameterProblem(name, text);
          if (problem !== undefined) reportOnce(node, problem);
          else if (name === 'response_type' && /^code(?:$|\s)/.test(text)) reportCodeRequest(node, false, false);
          return;
        }
        if (usesClientLibrary && node.arguments.length > 0) checkLibraryCall(node);
      },
    };
  },
});
