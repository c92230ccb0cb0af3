import { isTestFile } from '../../detectors/test-files.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan, sourceReader } from './shared.js';

const meta = checkMeta({
  id: 'no-unchecked-role-assignment',
  description:
    'A role or admin flag taken from the request is written (invite, insert, update) only by a handler that checks the caller’s own role.',
  category: 'authz',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-269', 'CWE-862'],
  recommended: true,
});

/** Properties that grant privileges. */
const PRIVILEGE_KEY = '(?:role|roles|is_?admin|isAdmin|is_?superuser|isSuperuser|is_super_admin|isSuperAdmin)';
/** Calls that write the object they are given. */
const WRITE_CALL = /\.\s*(?:values|insert|update|upsert|set|create|createMany|updateMany)\s*\(/g;
/** What the write goes to: `insert(invitations)`, `.from('team_members')`, `prisma.user.create`. */
const TARGET =
  /(?:insert|update|into)\s*\(\s*(\w+)\s*\)|from\s*\(\s*['"`](\w+)['"`]\s*\)|\b(?:prisma|db|tx|ctx\.db)\s*\.\s*(\w+)\s*\.\s*\w+\s*\(/g;
/** Tables whose rows hold privileges. Chat messages have roles (`user`, `assistant`) that grant nothing. */
const PRIVILEGE_TABLE = /user|member|invit|profile|account|staff|employee|team|org|admin|role|permission|seat/i;
const NOT_PRIVILEGE_TABLE = /message|chat|conversation|completion|prompt|thread/i;
/** The handler looks at the caller's own role or asks a permission helper. */
const CALLER_ROLE_CHECK =
  /\b(?:role|roles|isAdmin|is_admin|isOwner|is_owner|permissions?)\s*(?:===|!==|==|!=)|(?:===|!==|==|!=)\s*['"`](?:owner|admin|superadmin|super_admin|administrator)['"`]|\b(?:require|assert|check|ensure|has|is|can|verify|authorize)\w*(?:Role|Admin|Owner|Permission|Access|Privilege)\w*\s*\(|\.includes\s*\(\s*[\w.]*\.role\b/;
/** Handler parameters a wrapper fills from the session, not from the client. */
const SESSION_PARAMETER =
  /^(?:_\w*|user|session|principal|auth|currentUser|viewer|me|ctx|context|account|profile|team|res|reply|next|prevState|state)$/i;
const REQUEST_PARAMETER = /^(?:req|request)$/;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The argument list of the call whose `(` is at `open`: up to the matching `)`. */
function argumentText(text: string, open: number): string {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '(' || char === '{' || char === '[') depth++;
    else if (char === ')' || char === '}' || char === ']') {
      depth--;
      if (depth === 0) return text.slice(open, index + 1);
    }
  }
  return text.slice(open);
}

/** Names holding request input inside a handler: its client-supplied parameters and what is read from them. */
export function requestNames(body: string, params: readonly string[]): Set<string> {
  const names = new Set(params.filter((param) => /^\w+$/.test(param) && !SESSION_PARAMETER.test(param)));
  for (const match of body.matchAll(
    /(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*(?:\(\s*)?await\s+(?:req|request|c\.req)\s*\.\s*(?:json|formData|parseBody)\s*\(\s*\)/g,
  ))
    if (match[1] !== undefined) names.add(match[1]);
  for (let round = 0; round < 2; round++) {
    const sources = [...names].map((name) => (REQUEST_PARAMETER.test(name) ? `${name}\\s*\\.\\s*body` : name));
    if (sources.length === 0) break;
    const source = `(?:${sources.join('|')})`;
    for (const match of body.matchAll(
      new RegExp(String.raw`(?:const|let|var)\s*\{([^}]*)\}\s*(?::[^=]+)?=\s*(?:await\s+)?${source}\b\s*[;\n]`, 'g'),
    ))
      for (const part of (match[1] ?? '').split(',')) {
        const local = part.split(':').pop()?.split('=')[0]?.trim();
        if (local !== undefined && /^\w+$/.test(local)) names.add(local);
      }
  }
  return names;
}

/** `role`, `role: data.role`, `is_admin: body.isAdmin`, `role: formData.get('role')` — a privilege from the request. */
function privilegeFromRequest(args: string, names: ReadonlySet<string>): { index: number; code: string } | undefined {
  const pattern = new RegExp(
    String.raw`[{,]\s*(${PRIVILEGE_KEY})\s*(?::\s*([\w.]+(?:\s*\(\s*['"\`]\w+['"\`]\s*\))?))?\s*(?=[,}\n])`,
    'g',
  );
  for (const match of args.matchAll(pattern)) {
    const key = match[1] ?? '';
    const value = (match[2] ?? key).replace(/\s+/g, '');
    const root = value.split(/[.(]/)[0] ?? '';
    const fromRequest =
      /^(?:req|request)\.body\./.test(value) ||
      /^formData\.get\(/.test(value) ||
      (names.has(root) && !REQUEST_PARAMETER.test(root));
    if (fromRequest)
      return { index: match.index + match[0].indexOf(key), code: match[2] === undefined ? key : `${key}: ${value}` };
  }
  return undefined;
}

/** Handlers that write a role or admin flag the client chose and never look at the caller's own role. */
export const noUncheckedRoleAssignment: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const read = sourceReader(model.root);
    const seen = new Set<string>();
    for (const route of model.routes) {
      if (route.handlerFn === undefined || isTestFile(route.file) || route.webhook) continue;
      // A role guard on the route (`requireRole('admin')`, `withAdmin`) checks the caller.
      if (route.guard !== undefined && /admin|role|owner|permission/i.test(route.guard.by)) continue;
      const { file, fn } = route.handlerFn;
      const key = `${file}#${fn.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text = read(file);
      if (text === undefined) continue;
      const body = text.slice(fn.start, fn.end);
      if (CALLER_ROLE_CHECK.test(body)) continue;
      const names = requestNames(body, fn.params);
      for (const call of body.matchAll(WRITE_CALL)) {
        const open = call.index + call[0].length - 1;
        const args = argumentText(body, open);
        const privilege = privilegeFromRequest(args, names);
        if (privilege === undefined) continue;
        const before = body.slice(Math.max(0, call.index - 300), call.index + call[0].length);
        const targets = [...before.matchAll(TARGET)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
        const target = targets.at(-1);
        if (target === undefined || !PRIVILEGE_TABLE.test(target) || NOT_PRIVILEGE_TABLE.test(target)) continue;
        const line = lineOf(text, fn.start + open + privilege.index);
        const what =
          route.framework === 'next-action'
            ? `Server Action ${route.path.replace(/^action:/, '')}`
            : `${route.method} ${route.path}`;
        sink.add(meta, {
          file,
          span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
          message: `${what} writes a role the caller chooses (\`${privilege.code}\` into ${target}) and never checks the caller's own role, so any member can grant owner or admin rights — to an account they control or themselves. Check that the caller's role allows granting that role (e.g. only owners invite owners) before writing it.`,
        });
        break;
      }
    }
  },
};
