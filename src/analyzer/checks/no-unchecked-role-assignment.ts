import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import type { RouteEntry } from '../routes.js';
import type { FunctionFact } from '../types.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan, sourceReader, routeName } from './shared.js';

const meta = checkMeta({
  id: 'no-unchecked-role-assignment',
  description:
    'A role or admin flag taken from the request is written (invite, insert, update) only by a handler that checks the caller’s own role; the caller joins a group, team or organization the client names only after its visibility or an invite is checked.',
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

/** Tables whose rows make a user part of a group (membership grants), and those that only ask to be. */
const MEMBERSHIP_TABLE = /member|participant|collaborator/i;
const NOT_MEMBERSHIP_TABLE = /invit|request|application|waitlist|message/i;
/** Keys of a membership row: who joins, and what they join. */
const MEMBER_USER_KEY = /^(?:user|member|profile|account)_?(?:id|Id)$/;
const GROUP_KEY =
  /^(?:group|team|org|organization|organisation|workspace|project|space|community|channel|club|room|circle|board|household)_?(?:id|Id)$/;
/** The caller, read from the session (not from the request): `ctx.user`, `user.id`, `session.user.id`. */
const CALLER_VALUE =
  /^(?:ctx\.|context\.)?(?:user|session|currentUser|authenticatedUser|authUser|me|viewer|principal)\b(?:[.?!]*\w+)*$/;
/**
 * What makes joining legitimate: the group's visibility read (`group.isPublic`, `assertGroupVisible`),
 * an invite or token consumed, the caller's role or an access helper consulted.
 */
const JOIN_ALLOWED =
  /[.?]\s*(?:is_?public|isPublic|is_?private|isPrivate|visibility|privacy|is_?open|isOpen|joinable|is_?joinable|join_?policy|joinPolicy|access_?level|accessLevel|open_?to_?join)\b|\b(?:invit\w*|token|inviteCode|invite_code|joinCode|join_code|code)\b|\b(?:assert|require|check|ensure|verify|authorize|can|has|is)\w*(?:Visible|Public|Joinable|Owner|Admin|Role|Permission|Access|Allowed|Invite)\w*\s*\(/;

/** The arguments of the call whose callee ends at `offset` in `text`, split at top-level commas. */
function callArguments(text: string, offset: number): string[] | undefined {
  const open = text.indexOf('(', offset);
  if (open < 0) return undefined;
  const args = argumentText(text, open).slice(1, -1);
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of args) {
    if (char === '(' || char === '{' || char === '[') depth++;
    else if (char === ')' || char === '}' || char === ']') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** `groupId`, `groupId: gid`, `group_id: input.groupId`: the key and the value written for it. */
function writtenKeys(args: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const match of args.matchAll(/[{,]\s*(\w+)\s*(?::\s*([\w.?!]+))?\s*(?=[,}\n])/g))
    if (match[1] !== undefined) keys.set(match[1], (match[2] ?? match[1]).replace(/[?!]/g, ''));
  return keys;
}

interface Join {
  /** Where the membership row is written. */
  file: string;
  line: number;
  table: string;
  callee: string;
}

/**
 * A membership row written in `fn` (or the functions it hands the values to, `depth` levels down)
 * with `group` as what is joined and `user` as who joins; undefined when none, or when a body on the
 * way checks visibility, an invite or a role.
 */
function membershipWrite(
  model: ProjectModel,
  read: (file: string) => string | undefined,
  file: string,
  fn: FunctionFact,
  group: string,
  user: string,
  depth: number,
): Join | undefined {
  const text = read(file);
  if (text === undefined) return undefined;
  const body = text.slice(fn.start, fn.end);
  if (JOIN_ALLOWED.test(body) || CALLER_ROLE_CHECK.test(body)) return undefined;
  const refers = (value: string, name: string): boolean => value === name || value.startsWith(`${name}.`);
  for (const call of body.matchAll(WRITE_CALL)) {
    const open = call.index + call[0].length - 1;
    const keys = writtenKeys(argumentText(body, open));
    const joined = [...keys].some(([key, value]) => GROUP_KEY.test(key) && refers(value, group));
    const joiner = [...keys].some(([key, value]) => MEMBER_USER_KEY.test(key) && refers(value, user));
    if (!joined || !joiner) continue;
    const before = body.slice(Math.max(0, call.index - 300), call.index + call[0].length);
    const table = [...before.matchAll(TARGET)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').at(-1);
    if (table === undefined || !MEMBERSHIP_TABLE.test(table) || NOT_MEMBERSHIP_TABLE.test(table)) continue;
    return { file, line: lineOf(text, fn.start + call.index), table, callee: fn.id };
  }
  if (depth >= 3) return undefined;
  for (const call of fn.calls) {
    if (call.offset < fn.start || call.offset >= fn.end) continue;
    const args = callArguments(text, call.offset);
    if (args === undefined) continue;
    const groupAt = args.findIndex((arg) => arg === group);
    const userAt = args.findIndex((arg) => refers(arg, user) || arg === `${user}.id`);
    if (groupAt < 0 || userAt < 0 || groupAt === userAt) continue;
    const resolved = model.linker.resolve(file, call.callee);
    if (resolved?.kind !== 'function') continue;
    const groupParam = resolved.fn.params[groupAt];
    const userParam = resolved.fn.params[userAt];
    if (groupParam === undefined || userParam === undefined || groupParam === '' || userParam === '') continue;
    const found = membershipWrite(model, read, resolved.file, resolved.fn, groupParam, userParam, depth + 1);
    if (found !== undefined) return { ...found, callee: call.callee.member ?? call.callee.name };
  }
  return undefined;
}

/** The function a route runs: its resolved handler, or the outermost function inside an action's declaration (`.handler(async …)`). */
function handlerOf(model: ProjectModel, route: RouteEntry): { file: string; fn: FunctionFact } | undefined {
  if (route.handlerFn !== undefined) return route.handlerFn;
  if (route.framework !== 'next-action') return undefined;
  const inside = (model.linker.facts.get(route.file)?.functions ?? []).filter(
    (fn) => fn.span.line >= route.span.line && fn.span.endLine <= route.span.endLine,
  );
  const outer = inside.sort((a, b) => b.end - b.start - (a.end - a.start))[0];
  return outer === undefined ? undefined : { file: route.file, fn: outer };
}

/**
 * A handler that adds the signed-in caller to a group, team or organization the client names, with no
 * check that the group is open to them (visibility flag, invite, role): self-join of private groups.
 */
function selfJoinFindings(
  model: ProjectModel,
  read: (file: string) => string | undefined,
  sink: Parameters<AnalyzerCheck['run']>[1],
): void {
  const seen = new Set<string>();
  for (const route of model.routes) {
    if (isTestFile(route.file) || route.webhook || route.publicReason !== undefined) continue;
    const handler = handlerOf(model, route);
    if (handler === undefined) continue;
    const { file, fn } = handler;
    if (seen.has(`${file}#${fn.id}`)) continue;
    seen.add(`${file}#${fn.id}`);
    const text = read(file);
    if (text === undefined) continue;
    for (const call of fn.calls) {
      if (call.requestArgs === undefined || call.requestSpan === undefined) continue;
      const args = callArguments(text, call.offset);
      if (args === undefined) continue;
      const userAt = args.findIndex(
        (arg, index) => !call.requestArgs?.includes(String(index)) && CALLER_VALUE.test(arg),
      );
      for (const requestArg of call.requestArgs) {
        if (requestArg.includes('.') || userAt < 0) continue;
        const groupAt = Number(requestArg);
        const resolved = model.linker.resolve(file, call.callee);
        if (resolved?.kind !== 'function') continue;
        const groupParam = resolved.fn.params[groupAt];
        const userParam = resolved.fn.params[userAt];
        if (groupParam === undefined || userParam === undefined || groupParam === '' || userParam === '') continue;
        if (!GROUP_KEY.test(groupParam)) continue;
        const body = text.slice(fn.start, fn.end);
        if (JOIN_ALLOWED.test(body) || CALLER_ROLE_CHECK.test(body)) continue;
        const join = membershipWrite(model, read, resolved.file, resolved.fn, groupParam, userParam, 1);
        if (join === undefined) continue;
        const what = routeName(route);
        const callee = call.callee.member ?? call.callee.name;
        sink.add(meta, {
          file,
          span: call.requestSpan,
          message: `${what} adds the caller as a member of a ${groupParam.replace(/_?[iI]d$/, '')} the client chooses (\`${args[groupAt] ?? groupParam}\` → ${callee}(), ${join.table} written at ${join.file}:${String(join.line)}) and never checks that the ${groupParam.replace(/_?[iI]d$/, '')} is public or that an invite was accepted, so anyone joins private ones by their id and gets member access. Load the ${groupParam.replace(/_?[iI]d$/, '')} and check its visibility, or require and consume an invite, before adding the membership.`,
        });
        break;
      }
    }
  }
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
        const what = routeName(route);
        sink.add(meta, {
          file,
          span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
          message: `${what} writes a role the caller chooses (\`${privilege.code}\` into ${target}) and never checks the caller's own role, so any member can grant owner or admin rights — to an account they control or themselves. Check that the caller's role allows granting that role (e.g. only owners invite owners) before writing it.`,
        });
        break;
      }
    }
    selfJoinFindings(model, read, sink);
  },
};
