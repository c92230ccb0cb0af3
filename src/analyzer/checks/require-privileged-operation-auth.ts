import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import { ID_KEY, SCOPE_KEY } from '../request-values.js';
import {
  calledHelpers,
  entries,
  read,
  REQUEST_BODY,
  requestNames,
  SERVICE_ROLE,
  verifies,
} from './require-edge-function-auth.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan, sourceReader, routeName } from './shared.js';

const meta = checkMeta({
  id: 'require-privileged-operation-auth',
  description:
    'Handlers reachable from outside that run a privileged operation — the Supabase admin API, a write of a caller-supplied object through the service-role client, mail or SMS sent with the server’s provider key to a caller-chosen recipient, a login session opened from a payment lookup — verify the caller first; reads of every owner’s rows through the service-role client check the caller’s role, not only a session.',
  category: 'authz',
  severity: 'high',
  securitySeverity: 8.6,
  cwe: ['CWE-306', 'CWE-862'],
  recommended: true,
});

/** Supabase admin API calls that create, log in as, change or delete any account. */
const ADMIN_CALL =
  /\.auth\s*\.\s*admin\s*\.\s*(createUser|generateLink|inviteUserByEmail|deleteUser|updateUserById)\s*\(/;
/** Sending through a mail or SMS provider with the server's credentials. */
const SEND_CALL =
  /fetch\s*\(\s*['"`]https:\/\/api\.(?:sendgrid\.com\/v3\/mail\/send|resend\.com\/emails|postmarkapp\.com\/email|mailgun\.net\/|brevo\.com\/v3\/smtp\/email|sendinblue\.com\/v3\/smtp\/email|twilio\.com\/[^'"`]*\/Messages)|\b\w+\s*\.\s*emails\s*\.\s*send\s*\(|\bsgMail\s*\.\s*send(?:Multiple)?\s*\(|\b\w+\s*\.\s*messages\s*\.\s*create\s*\(\s*\{[^}]*\bto\s*:/;
/** The provider's key read from the server environment. */
const PROVIDER_KEY =
  /(?:Deno\.env\.get\s*\(\s*|process\.env\.)['"`]?(?:SENDGRID|RESEND|POSTMARK|MAILGUN|BREVO|SENDINBLUE|TWILIO)\w*/;
const RECIPIENT_KEYS = '(?:to|cc|bcc|email|recipients?|phone)';
/** `to: [{ email: to }]`, `{ to, subject }` — the message goes where the request says. */
function recipientFromRequest(source: string, names: ReadonlySet<string>): string | undefined {
  // Destructuring patterns (`const { to, subject } = await req.json()`) bind names; they send nothing.
  const text = source.replace(/(?:const|let|var)\s*\{[^}]*\}\s*(?::[^=]+)?=|console\s*\.\s*\w+\s*\([^\n]*/g, (masked) =>
    ' '.repeat(masked.length),
  );
  for (const name of names) {
    if (name.endsWith('.')) {
      const base = name.slice(0, -1);
      const pattern = new RegExp(
        String.raw`\b${RECIPIENT_KEYS}\s*:\s*[[{\s]*(?:email\s*:\s*)?${base}\s*\.\s*${RECIPIENT_KEYS}\b`,
      );
      const match = pattern.exec(text);
      if (match !== null) return match[0].replace(/\s+/g, ' ');
      continue;
    }
    const pattern = new RegExp(
      String.raw`\b${RECIPIENT_KEYS}\s*:\s*[[{\s]*(?:email\s*:\s*)?${name}\b(?!\s*[.(:])|[{,]\s*(${name})\s*[,}]`,
    );
    const match = pattern.exec(text);
    if (match === null) continue;
    if (match[1] !== undefined && !new RegExp(`^${RECIPIENT_KEYS}$`).test(match[1])) continue;
    return match[0].replace(/\s+/g, ' ').replace(/^[{,]\s*|\s*[,}]$/g, '');
  }
  return undefined;
}

/**
 * Names bound from the request, one step further than the direct reads: the items of a request
 * array (`for (const update of updates)`) and what is destructured from them.
 */
function requestBindings(text: string): Set<string> {
  const names = requestNames(text);
  for (const match of text.matchAll(
    /(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*(?:\(\s*)?await\s+(?:req|request)\s*\.\s*(?:json|formData)\s*\(\s*\)/g,
  ))
    if (match[1] !== undefined) names.add(match[1]);
  for (let round = 0; round < 2; round++) {
    const plain = [...names].filter((name) => !name.endsWith('.'));
    if (plain.length === 0) break;
    const source = `(?:${plain.join('|')})`;
    for (const match of text.matchAll(new RegExp(String.raw`for\s*\(\s*(?:const|let)\s+(\w+)\s+of\s+${source}\b`, 'g')))
      if (match[1] !== undefined) names.add(match[1]);
    for (const match of text.matchAll(
      new RegExp(String.raw`(?:const|let|var)\s*\{([^}]*)\}\s*=\s*${source}\s*[;\n]`, 'g'),
    ))
      for (const part of (match[1] ?? '').split(',')) {
        const local = part.split(':').pop()?.split('=')[0]?.trim();
        if (local !== undefined && /^\w+$/.test(local)) names.add(local);
      }
  }
  return names;
}

/** `.update(data)`, `.upsert(payload)`: a whole object from the request written as it came (any column). */
function wholeObjectWrite(text: string, names: ReadonlySet<string>): { line: number; code: string } | undefined {
  const plain = [...names].filter((name) => !name.endsWith('.'));
  if (plain.length === 0) return undefined;
  const pattern = new RegExp(String.raw`\.\s*(update|upsert|insert)\s*\(\s*(${plain.join('|')})\s*[,)]`, 'g');
  for (const match of text.matchAll(pattern))
    return { line: lineOf(text, match.index), code: `.${match[1] ?? ''}(${match[2] ?? ''})` };
  return undefined;
}

/** Request values that are secrets the caller must hold (a chat session id, a token, a code). */
const CAPABILITY = /session|token|secret|nonce|code|key/i;

/**
 * The function looks rows up by such a value (`.eq('id', sessionId)`): the caller proved it holds
 * them (a widget visitor asking for its own transcript), which is not anyone at all.
 */
function holdsCapability(text: string, names: ReadonlySet<string>): boolean {
  const held = [...names].filter((name) => !name.endsWith('.') && CAPABILITY.test(name));
  if (held.length === 0) return false;
  return new RegExp(String.raw`\.(?:eq|match)\s*\(\s*['"\`]\w+['"\`]\s*,\s*(?:${held.join('|')})\b`).test(text);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

interface Operation {
  line: number;
  what: string;
  consequence: string;
}

function privilegedOperation(text: string, names: ReadonlySet<string>, serviceRole: boolean): Operation | undefined {
  const admin = ADMIN_CALL.exec(text);
  if (admin !== null) {
    const method = admin[1] ?? '';
    const consequence =
      method === 'createUser' || method === 'inviteUserByEmail'
        ? 'anyone can create accounts (and with them whatever signed-in users may read)'
        : method === 'generateLink'
          ? 'anyone can obtain a sign-in link for an account and log in as that user'
          : 'anyone can change or delete any account';
    return {
      line: lineOf(text, admin.index),
      what: `calls the Supabase admin API \`auth.admin.${method}()\``,
      consequence,
    };
  }
  const send = SEND_CALL.exec(text);
  if (send !== null && PROVIDER_KEY.test(text) && !holdsCapability(text, names)) {
    const recipient = recipientFromRequest(text, names);
    if (recipient !== undefined)
      return {
        line: lineOf(text, send.index),
        what: `sends mail or SMS with the server's provider key to a recipient from the request (\`${recipient}\`)`,
        consequence:
          "anyone can send messages of their choosing from the app's verified sender (an open relay for phishing and spam)",
      };
  }
  if (serviceRole) {
    const write = wholeObjectWrite(text, names);
    if (write !== undefined)
      return {
        line: write.line,
        what: `writes an object taken from the request as it came (\`${write.code}\`) through the service-role client, which bypasses row level security`,
        consequence: 'anyone can set any column of those rows, including status, owner or role columns',
      };
  }
  return undefined;
}

function edgeFunctionFindings(model: ProjectModel, sink: Parameters<AnalyzerCheck['run']>[1]): void {
  for (const { name, entry, verifyJwt } of entries(model)) {
    const source = read(model.root, entry);
    if (source === undefined || (!REQUEST_BODY.test(source.text) && !/searchParams/.test(source.text))) continue;
    const called = calledHelpers(model.root, source);
    if (verifies(source.text) || called.some(({ body }) => verifies(body))) continue;
    const { linker } = model;
    const facts = linker.facts.get(entry);
    // The handler's own session reads are its admin API calls (`supabaseAdmin.auth.admin…`); a guard
    // here is a verified token or a helper that guards.
    const guarded = facts?.functions.some(
      (fn) =>
        fn.verifiesToken ||
        linker.verifies(entry, fn) ||
        linker.callsOf(entry, fn).some((call) => {
          const resolved = linker.resolveCall(entry, call);
          return (
            resolved?.kind === 'function' &&
            resolved.fn !== fn &&
            linker.functionGuard(resolved.file, resolved.fn) !== undefined
          );
        }),
    );
    if (guarded === true) continue;
    const serviceRole =
      SERVICE_ROLE.test(source.text) ||
      called.some(({ module, body }) => SERVICE_ROLE.test(body) || (body !== '' && SERVICE_ROLE.test(module.text)));
    const operation = privilegedOperation(source.text, requestBindings(source.text), serviceRole);
    if (operation === undefined) continue;
    const handler = /\b(?:Deno\s*\.\s*serve|serve)\s*\(/.exec(source.text);
    const line = handler === null ? operation.line : lineOf(source.text, handler.index);
    sink.add(meta, {
      file: entry,
      span: lineSpan(line, source.text.split('\n')[line - 1] ?? ''),
      message: `Edge function "${name}" ${operation.what} (line ${String(operation.line)}) and never verifies who calls${verifyJwt ? ' (verify_jwt = true is not authentication: the public anon key is itself a valid JWT)' : ' (verify_jwt = false)'}, so ${operation.consequence}. Verify the caller first — \`auth.getUser(token)\` and a role check for admin operations — or a signature or shared secret for machine callers.`,
      snippet: `privileged ${name} ${operation.what.split(' (')[0] ?? ''}`,
    });
  }
}

/** Stripe Checkout Session lookups: the id travels in URLs, so it is no credential. */
const CHECKOUT_LOOKUP = /\.checkout\s*\.\s*sessions\s*\.\s*retrieve\s*\(/;
/** Opening a login session for a user. */
const SESSION_START =
  /\b(?:setSession|createSession|startSession|signIn|logIn|login|setAuthCookie|setSessionCookie)\s*\(|cookies\s*\(\s*\)\s*\.\s*set\s*\(\s*['"`]\w*session/i;
/** The handler first reads the caller's own session (and so can compare it with the payment's user). */
const READS_SESSION = /\b(?:getSession|getUser|getServerSession|auth)\s*\(/;

function routeFindings(model: ProjectModel, sink: Parameters<AnalyzerCheck['run']>[1]): void {
  const read = sourceReader(model.root);
  for (const route of model.routes) {
    if (route.handlerFn === undefined || route.guard !== undefined || isTestFile(route.file)) continue;
    const { file, fn } = route.handlerFn;
    const text = read(file);
    if (text === undefined) continue;
    const body = text.slice(fn.start, fn.end);
    const lookup = CHECKOUT_LOOKUP.exec(body);
    if (lookup === null) continue;
    const start = SESSION_START.exec(body.slice(lookup.index));
    if (start === null || READS_SESSION.test(body.slice(0, lookup.index))) continue;
    const offset = fn.start + lookup.index + start.index;
    const line = lineOf(text, offset);
    sink.add(meta, {
      file,
      span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
      message: `${route.method} ${route.path} opens a login session for the user named by a Stripe Checkout Session it looks up by an id from the request (line ${String(lineOf(text, fn.start + lookup.index))}), without checking who calls. A checkout session id travels in URLs (history, logs, referrers, shared links), so whoever holds it is logged in as the paying user. Require the existing session and compare it with the session's user instead of logging anyone in here.`,
    });
  }
}

/** Filters that pick rows by identity or owner: a read so narrowed is object access, not a read across owners. */
const ROW_OR_OWNER_KEY = (key: string): boolean => ID_KEY.test(key) || SCOPE_KEY.test(key);
/** A guard that checks a role, not only a session (`requireAdmin`, `withRole('owner')`). */
const ROLE_GUARD = /admin|role|owner|permission|staff|superuser/i;
/** The handler itself looks at the caller's role. */
const CALLER_ROLE =
  /\b(?:role|roles|isAdmin|is_admin|isOwner|is_owner|isSuperuser|is_superuser|permissions?)\b\s*(?:===|!==|==|!=|\))|\b(?:require|assert|check|ensure|has|is|verify)\w*(?:Role|Admin|Owner|Permission|Staff)\w*\s*\(/;

/** The name the query's rows land in (`const { data: sellers } = await admin.from(…)` → `sellers`). */
function resultName(text: string, offset: number): string | undefined {
  const before = text.slice(Math.max(0, offset - 300), offset);
  const match = /(?:const|let)\s*(?:\{\s*data\s*(?::\s*(\w+))?[^}]*\}|(\w+))\s*=\s*await\s+[^;]*$/.exec(before);
  if (match === null) return undefined;
  return match[1] ?? (match[2] === undefined ? 'data' : match[2]);
}

/**
 * A signed-in-only handler that reads through the service-role client with no id, owner or tenant
 * filter and returns the rows: every user gets every owner's rows (an admin export behind `requireUser`).
 */
function serviceRoleReadFindings(model: ProjectModel, sink: Parameters<AnalyzerCheck['run']>[1]): void {
  const read = sourceReader(model.root);
  const seen = new Set<string>();
  for (const route of model.routes) {
    if (route.handlerFn === undefined || route.guard === undefined || isTestFile(route.file) || route.webhook) continue;
    if (ROLE_GUARD.test(route.guard.by)) continue;
    const { file, fn } = route.handlerFn;
    if (seen.has(`${file}#${fn.id}`)) continue;
    seen.add(`${file}#${fn.id}`);
    const facts = model.linker.facts.get(file);
    const queries = (facts?.queries ?? []).filter(
      (query) =>
        query.orm === 'supabase' &&
        query.serviceRole === true &&
        query.method === 'select' &&
        query.enclosingFunction === fn.id &&
        !query.keys.some(ROW_OR_OWNER_KEY) &&
        query.helperCalls.length === 0 &&
        query.filterIdentifiers.length === 0,
    );
    if (queries.length === 0) continue;
    const text = read(file);
    if (text === undefined) continue;
    const body = text.slice(fn.start, fn.end);
    if (CALLER_ROLE.test(body)) continue;
    for (const query of queries) {
      const rows = resultName(text, query.offset);
      if (rows === undefined) continue;
      const returned = new RegExp(
        String.raw`\breturn\s+(?:\{[^}]*\b)?${rows}\b|\.json\s*\(\s*(?:\{[^}]*\b)?${rows}\b`,
      ).test(text.slice(query.offset, fn.end));
      if (!returned) continue;
      const what = routeName(route);
      sink.add(meta, {
        file,
        span: query.span,
        message: `${what} checks only that the caller is signed in (${route.guard.by}), then reads \`${query.target.name}\` through the service-role client, which bypasses row level security, with no id, owner or tenant filter, and returns the rows: every signed-in user gets every owner's rows. Check the caller's role (an admin guard) before this read, or read with the user's own client so row level security applies.`,
      });
    }
  }
}

/** Privileged operations that anyone can trigger: nothing establishes who calls before they run. */
export const requirePrivilegedOperationAuth: AnalyzerCheck = {
  meta,
  run(model, sink) {
    edgeFunctionFindings(model, sink);
    routeFindings(model, sink);
    serviceRoleReadFindings(model, sink);
  },
};
