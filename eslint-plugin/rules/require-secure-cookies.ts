import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import {
  evaluateCookie,
  hasProblems,
  isSensitiveCookieName,
  parseSetCookie,
  sameSiteFromValue,
  setCookieSuffix,
  type CookieFlag,
  type CookieFlags,
  type CookieProblems,
  type FlagValue,
  type SameSiteValue,
} from '../../src/detectors/cookies.js';
import { propertyName } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { constValue, findProperty, hasSpread, staticBoolean, textWithHoles } from '../utils/option-values.js';
import { resolveExpression } from '../utils/references.js';

type MessageIds =
  | 'missingFlags'
  | 'flagDisabled'
  | 'sameSiteNoneInsecure'
  | 'sameSiteNoneSession'
  | 'scriptCookie'
  | 'addFlags'
  | 'enableFlag';
type Options = [
  {
    /** Extra cookie names treated as session/auth cookies. */
    sessionCookieNames?: string[];
  },
];

/** Receivers of `.cookie(name, value, options)` / `.setCookie(…)`: Express `res`, Fastify `reply`. */
const RESPONSE_NAME = /^(?:res|resp|response|reply|ctx)$/;
const HEADER_SETTERS = new Set(['setHeader', 'set', 'append', 'header', 'appendHeader']);
const DYNAMIC_SENSITIVE = /token|session|jwt|auth|sid\b/i;

const FLAG_TEXT: Record<CookieFlag, string> = {
  httpOnly: 'httpOnly: true',
  secure: 'secure: true',
  sameSite: "sameSite: 'lax'",
};
const FLAG_WHY: Record<CookieFlag, string> = {
  httpOnly: 'script (and any XSS) can read it',
  secure: 'it is sent over plain HTTP',
  sameSite: 'it rides along on cross-site requests',
};

/** Where a cookie's options live in the code and which defaults its library applies. */
interface CookieSite {
  /** The node reported when there is no options object. */
  node: TSESTree.Node;
  name: string;
  sensitive: boolean;
  /** The options object, when it is a literal we can read (after following a const). */
  options: TSESTree.ObjectExpression | undefined;
  /** Options exist but cannot be read statically: report only what is certain. */
  opaque: boolean;
  defaults: Partial<CookieFlags>;
  /** Adds missing flags when there is no options object at all. */
  addOptions?: (fixer: TSESLint.RuleFixer, text: string) => TSESLint.RuleFix;
}

export default createRule<Options, MessageIds>({
  name: 'require-secure-cookies',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Require session and auth cookies to be set with HttpOnly, Secure and SameSite.',
      category: 'cookies',
      severity: 'high',
      securitySeverity: 7.1,
      cwe: ['CWE-614', 'CWE-1004', 'CWE-1275'],
      recommended: true,
    },
    messages: {
      missingFlags:
        'The `{{name}}` cookie carries a session or credential but is set without {{flags}}, so {{why}}. Add {{fix}}.',
      flagDisabled:
        'The `{{name}}` cookie carries a session or credential but sets `{{flag}}: false`, so {{why}}. Set `{{flag}}: true`.',
      sameSiteNoneInsecure:
        'The `{{name}}` cookie sets `SameSite=None` without `Secure`: browsers reject it, and where accepted it travels over plain HTTP to any site. Add `secure: true`, or use `lax`.',
      sameSiteNoneSession:
        "The `{{name}}` session cookie sets `SameSite=None`, so browsers attach it to requests from any site (CSRF). Use `sameSite: 'lax'` (or `strict`) unless the cookie must work in cross-site iframes.",
      scriptCookie:
        "The `{{name}}` cookie holds a token but is written with `document.cookie`, so it can never be HttpOnly and any XSS can steal it. Set it from the server with `httpOnly: true, secure: true, sameSite: 'lax'`.",
      addFlags: 'Add {{fix}}.',
      enableFlag: 'Set `{{flag}}: true`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          sessionCookieNames: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description:
              'Extra cookie names to treat as session or auth cookies, beyond names that contain session, sid, auth, token, jwt and the like.',
          },
        },
      },
    ],
    defaultOptions: [{ sessionCookieNames: [] }],
  },
  defaultOptions: [{ sessionCookieNames: [] }],
  create(context, [options]) {
    const extraNames = new Set(options.sessionCookieNames ?? []);
    const sourceCode = context.sourceCode;
    // Cheapest test first: every sink below has "cookie" or "session" in its name or module.
    if (!/cookie|session/i.test(sourceCode.text)) return {};

    function sensitiveName(name: TSESTree.Node | undefined, value: TSESTree.Node | undefined): [string, boolean] {
      const text = name === undefined ? undefined : textWithHoles(constValue(context, name));
      if (text !== undefined && !text.includes('\u0000')) {
        return [text, extraNames.has(text) || isSensitiveCookieName(text)];
      }
      const shown = name === undefined ? 'unnamed' : sourceCode.getText(name);
      const dynamic = [name, value].some(
        (node) => node !== undefined && DYNAMIC_SENSITIVE.test(sourceCode.getText(node)),
      );
      return [shown, dynamic];
    }

    function readFlag(object: TSESTree.ObjectExpression, name: 'httpOnly' | 'secure'): FlagValue {
      const property = findProperty(object, name);
      if (property === undefined) return hasSpread(object) ? 'unknown' : 'unset';
      return staticBoolean(constValue(context, property.value)) ?? 'unknown';
    }

    function readSameSite(object: TSESTree.ObjectExpression): SameSiteValue {
      const property = findProperty(object, 'sameSite');
      if (property === undefined) return hasSpread(object) ? 'unknown' : 'unset';
      const value = constValue(context, property.value);
      if (
        value.type === AST_NODE_TYPES.Literal &&
        (typeof value.value === 'string' || typeof value.value === 'boolean')
      ) {
        return sameSiteFromValue(value.value);
      }
      return 'unknown';
    }

    function flagsOf(site: CookieSite): CookieFlags {
      if (site.opaque) return { httpOnly: 'unknown', secure: 'unknown', sameSite: 'unknown' };
      const flags: CookieFlags =
        site.options === undefined
          ? { httpOnly: 'unset', secure: 'unset', sameSite: 'unset' }
          : {
              httpOnly: readFlag(site.options, 'httpOnly'),
              secure: readFlag(site.options, 'secure'),
              sameSite: readSameSite(site.options),
            };
      if (flags.httpOnly === 'unset' && site.defaults.httpOnly !== undefined) flags.httpOnly = site.defaults.httpOnly;
      return flags;
    }

    function addFlagsFix(site: CookieSite, missing: readonly CookieFlag[]) {
      const text = missing.map((flag) => FLAG_TEXT[flag]).join(', ');
      return (fixer: TSESLint.RuleFixer): TSESLint.RuleFix | null => {
        const object = site.options;
        if (object === undefined) return site.addOptions === undefined ? null : site.addOptions(fixer, `{ ${text} }`);
        const last = object.properties.at(-1);
        if (last === undefined) return fixer.replaceText(object, `{ ${text} }`);
        return fixer.insertTextAfter(last, `, ${text}`);
      };
    }

    function report(site: CookieSite, problems: CookieProblems): void {
      const { name } = site;
      const target = site.options ?? site.node;
      if (problems.sameSiteNoneInsecure) {
        context.report({ node: target, messageId: 'sameSiteNoneInsecure', data: { name } });
      }
      if (problems.sameSiteNoneSession) {
        context.report({ node: target, messageId: 'sameSiteNoneSession', data: { name } });
      }
      for (const flag of problems.disabled) {
        const property = site.options === undefined ? undefined : findProperty(site.options, flag);
        context.report({
          node: property ?? target,
          messageId: 'flagDisabled',
          data: { name, flag, why: FLAG_WHY[flag] },
          suggest:
            property === undefined
              ? []
              : [
                  {
                    messageId: 'enableFlag',
                    data: { flag },
                    fix: (fixer) => fixer.replaceText(property.value, 'true'),
                  },
                ],
        });
      }
      if (problems.missing.length > 0) {
        const fix = problems.missing.map((flag) => FLAG_TEXT[flag]).join(', ');
        const fixer = addFlagsFix(site, problems.missing);
        context.report({
          node: target,
          messageId: 'missingFlags',
          data: {
            name,
            flags: problems.missing.map((flag) => `\`${flag}\``).join(', '),
            why: problems.missing.map((flag) => FLAG_WHY[flag]).join(', '),
            fix: `\`${fix}\``,
          },
          suggest:
            site.options === undefined && site.addOptions === undefined
              ? []
              : [{ messageId: 'addFlags', data: { fix: `\`${fix}\`` }, fix: fixer }],
        });
      }
    }

    function check(site: CookieSite): void {
      const problems = evaluateCookie(flagsOf(site), site.sensitive, site.name);
      if (hasProblems(problems)) report(site, problems);
    }

    /** A site for `(name, value, options?)` argument lists. */
    function argumentSite(
      call: TSESTree.CallExpression,
      nameArg: TSESTree.Node | undefined,
      valueArg: TSESTree.Node | undefined,
      optionsIndex: number,
    ): CookieSite | undefined {
      const [name, sensitive] = sensitiveName(nameArg, valueArg);
      const raw = call.arguments[optionsIndex];
      if (raw?.type === AST_NODE_TYPES.SpreadElement) return undefined;
      const value = raw === undefined ? undefined : constValue(context, raw);
      const options = value?.type === AST_NODE_TYPES.ObjectExpression ? value : undefined;
      const lastArgument = call.arguments.at(-1);
      return {
        node: call,
        name,
        sensitive,
        options,
        opaque: value !== undefined && options === undefined,
        defaults: {},
        ...(raw === undefined && call.arguments.length === optionsIndex && lastArgument !== undefined
          ? {
              addOptions: (fixer: TSESLint.RuleFixer, text: string) => fixer.insertTextAfter(lastArgument, `, ${text}`),
            }
          : {}),
      };
    }

    /** `express-session` and `cookie-session` manage the session cookie themselves. */
    function sessionMiddlewareSite(call: TSESTree.CallExpression, module: string): CookieSite | undefined {
      const raw = call.arguments[0];
      const value = raw === undefined ? undefined : constValue(context, raw);
      if (value !== undefined && value.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
      const nameProperty = value === undefined ? undefined : findProperty(value, 'name');
      const nameText = nameProperty === undefined ? undefined : textWithHoles(nameProperty.value);
      const name = nameText ?? (module === 'express-session' ? 'connect.sid' : 'session');
      // Both default to httpOnly; neither defaults to Secure or a SameSite policy.
      const defaults = { httpOnly: true };
      if (module === 'cookie-session') {
        if (value !== undefined && hasSpread(value)) return undefined;
        return { node: call, name, sensitive: true, options: value, opaque: false, defaults };
      }
      if (value === undefined)
        return { node: call, name, sensitive: true, options: undefined, opaque: false, defaults };
      const cookie = findProperty(value, 'cookie');
      if (cookie === undefined) {
        if (hasSpread(value)) return undefined;
        const last = value.properties.at(-1);
        return {
          node: value,
          name,
          sensitive: true,
          options: undefined,
          opaque: false,
          defaults,
          addOptions: (fixer, text) =>
            last === undefined
              ? fixer.replaceText(value, `{ cookie: ${text} }`)
              : fixer.insertTextAfter(last, `, cookie: ${text}`),
        };
      }
      const cookieValue = constValue(context, cookie.value);
      const options = cookieValue.type === AST_NODE_TYPES.ObjectExpression ? cookieValue : undefined;
      return { node: cookie, name, sensitive: true, options, opaque: options === undefined, defaults };
    }

    function checkSetCookieText(node: TSESTree.Node): void {
      const value = constValue(context, node);
      if (value.type === AST_NODE_TYPES.ArrayExpression) {
        for (const element of value.elements) if (element !== null) checkSetCookieText(element);
        return;
      }
      const text = textWithHoles(value);
      if (text === undefined) return;
      const parsed = parseSetCookie(text);
      if (parsed.name === undefined) return;
      const sensitive = extraNames.has(parsed.name) || isSensitiveCookieName(parsed.name);
      const problems = evaluateCookie(parsed.flags, sensitive, parsed.name);
      if (!hasProblems(problems)) return;
      const site: CookieSite = {
        node: value,
        name: parsed.name,
        sensitive,
        options: undefined,
        opaque: false,
        defaults: {},
      };
      // Strings get the attributes appended before the closing quote.
      if (value.type === AST_NODE_TYPES.Literal || value.type === AST_NODE_TYPES.TemplateLiteral) {
        site.addOptions = (fixer) =>
          fixer.insertTextBeforeRange([value.range[1] - 1, value.range[1]], setCookieSuffix(problems.missing));
      }
      report(site, problems);
    }

    function isDocumentCookie(node: TSESTree.Node): boolean {
      if (
        node.type !== AST_NODE_TYPES.MemberExpression ||
        node.computed ||
        propertyName(node.property) !== 'cookie' ||
        node.object.type !== AST_NODE_TYPES.Identifier ||
        node.object.name !== 'document'
      ) {
        return false;
      }
      // A local `document` (a parameter, a DOM fixture) is not the browser's.
      const reference = sourceCode.getScope(node).references.find((ref) => ref.identifier === node.object);
      return reference?.resolved === null || reference?.resolved === undefined || reference.resolved.defs.length === 0;
    }

    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) {
          const method = propertyName(callee.property);
          // Express `res.cookie(name, value, options)`, Fastify `reply.setCookie(name, value, options)`.
          if (
            (method === 'cookie' || method === 'setCookie') &&
            node.arguments.length >= 2 &&
            node.arguments.length <= 3
          ) {
            const receiver = callee.object;
            const receiverName =
              receiver.type === AST_NODE_TYPES.Identifier
                ? receiver.name
                : receiver.type === AST_NODE_TYPES.MemberExpression
                  ? propertyName(receiver.property)
                  : undefined;
            if (receiverName !== undefined && RESPONSE_NAME.test(receiverName)) {
              const site = argumentSite(node, node.arguments[0], node.arguments[1], 2);
              if (site !== undefined) check(site);
              return;
            }
          }
          if (method !== undefined && HEADER_SETTERS.has(method) && node.arguments.length === 2) {
            const header = node.arguments[0];
            const headerName = header === undefined ? undefined : textWithHoles(header);
            if (headerName?.toLowerCase() === 'set-cookie' && node.arguments[1] !== undefined) {
              checkSetCookieText(node.arguments[1]);
              return;
            }
          }
        }
        if (node.arguments.length === 0) return;
        const reference = resolveExpression(context, callee);
        if (reference === undefined) return;
        const { module, path } = reference;
        const last = path.at(-1);
        if ((module === 'express-session' || module === 'cookie-session') && path.length === 0) {
          const site = sessionMiddlewareSite(node, module);
          if (site !== undefined) check(site);
        } else if (
          module === 'hono/cookie' &&
          (last === 'setCookie' || last === 'setSignedCookie') &&
          path.length === 1
        ) {
          const site = argumentSite(node, node.arguments[1], node.arguments[2], last === 'setCookie' ? 3 : 4);
          if (site !== undefined) check(site);
        } else if (module === 'cookie' && last === 'serialize' && path.length === 1) {
          const site = argumentSite(node, node.arguments[0], node.arguments[1], 2);
          if (site !== undefined) check(site);
        } else if (
          last === 'set' &&
          ((module === 'next/headers' && path[0] === 'cookies' && path[1] === '()' && path.length === 3) ||
            (module === 'next/server' && path.at(-2) === 'cookies'))
        ) {
          const first = node.arguments[0];
          const firstValue = first === undefined ? undefined : constValue(context, first);
          if (firstValue?.type === AST_NODE_TYPES.ObjectExpression && node.arguments.length === 1) {
            // `cookies().set({ name, value, httpOnly, … })`
            const nameProperty = findProperty(firstValue, 'name');
            const valueProperty = findProperty(firstValue, 'value');
            const [name, sensitive] = sensitiveName(nameProperty?.value, valueProperty?.value);
            check({ node, name, sensitive, options: firstValue, opaque: false, defaults: {} });
          } else {
            const site = argumentSite(node, node.arguments[0], node.arguments[1], 2);
            if (site !== undefined) check(site);
          }
        }
      },
      Property(node) {
        // `new Headers({ 'Set-Cookie': … })`, `{ headers: { 'set-cookie': … } }`
        if (node.computed || node.parent.type !== AST_NODE_TYPES.ObjectExpression) return;
        const key = propertyName(node.key);
        if (key?.toLowerCase() === 'set-cookie') checkSetCookieText(node.value);
      },
      AssignmentExpression(node) {
        if (!isDocumentCookie(node.left)) return;
        const text = textWithHoles(node.right);
        const parsed = text === undefined ? undefined : parseSetCookie(text);
        const name = parsed?.name;
        const sensitive =
          name !== undefined
            ? extraNames.has(name) || isSensitiveCookieName(name)
            : DYNAMIC_SENSITIVE.test(sourceCode.getText(node.right).split('=')[0] ?? '');
        if (sensitive) {
          context.report({ node, messageId: 'scriptCookie', data: { name: name ?? sourceCode.getText(node.right) } });
        }
      },
    };
  },
});
