import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

import type { ProjectModel } from '../model.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-edge-function-auth',
  description:
    'Supabase edge functions that query with the service-role key by ids from the request verify the caller first (auth.getUser, a webhook signature or a shared secret), whatever verify_jwt says.',
  category: 'supabase',
  severity: 'high',
  securitySeverity: 8.2,
  cwe: ['CWE-306', 'CWE-639'],
  recommended: true,
});

/** The service-role key: a client made with it bypasses row level security. */
export const SERVICE_ROLE = /SERVICE_ROLE/;
/** Evidence that the handler knows who calls: a user token checked, a JWT or a webhook signature verified. */
const VERIFIES = [
  /\.auth\s*\.\s*getUser\s*\(/,
  /\bgetClaims\s*\(/,
  /\bjwtVerify\s*\(/,
  /\bjwt\s*\.\s*verify\s*\(/,
  /\bverify(?:Jwt|Token|Webhook)\w*\s*\(/i,
  /\bcreateHmac\s*\(/,
  /\bcrypto\s*\.\s*subtle\s*\.\s*(?:sign|verify)\s*\(/,
  /\b(?:verify|validate|check)\w*Signature\w*\s*\(/i,
  /\bconstructEvent(?:Async)?\s*\(/,
  /\bnew\s+Webhook\s*\(/,
];
/** A request header compared with a configured secret (`if (auth !== \`Bearer ${CRON_SECRET}\`)`). */
const HEADER_READ = /headers\s*\.\s*get\s*\(\s*['"`](?:authorization|x-[\w-]+|apikey)['"`]\s*\)/i;
const SECRET_COMPARE =
  /(?:===|!==)\s*[^;\n]*(?:secret|token|service_?role|api_?key|Bearer)|(?:secret|token|key|expected)\w*\s*(?:===|!==)|(?:===|!==)\s*\w*(?:expected|secret|token|key)|\btimingSafeEqual\s*\(/i;

const CAPABILITY = /session|token|secret|nonce|code|key/i;
export const REQUEST_BODY = /await\s+(?:req|request)\s*\.\s*(?:json|formData)\s*\(\s*\)/;

export interface Source {
  file: string;
  text: string;
}

/** The functions under `supabase/functions/<name>/index.ts` (and configured entry points). */
export function entries(model: ProjectModel): { name: string; entry: string; verifyJwt: boolean }[] {
  const base = model.supabase === undefined ? 'supabase/' : model.supabase.file.replace(/config\.toml$/, '');
  const configured = new Map((model.supabase?.functions ?? []).map((fn) => [fn.name, fn]));
  const dir = join(model.root, base, 'functions');
  if (!existsSync(dir)) return [];
  const found: { name: string; entry: string; verifyJwt: boolean }[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('_') || name.startsWith('.')) continue;
    const config = configured.get(name);
    const entry =
      config?.entrypoint === undefined
        ? `${base}functions/${name}/index.ts`
        : `${base}${config.entrypoint.replace(/^\.\//, '')}`;
    if (existsSync(join(model.root, entry))) found.push({ name, entry, verifyJwt: config?.verifyJwt ?? true });
  }
  return found;
}

export function read(root: string, file: string): Source | undefined {
  try {
    return { file, text: readFileSync(join(root, file), 'utf8') };
  } catch {
    return undefined;
  }
}

/** Relative imports of a module: `import { a, b as c } from '../_shared/x.ts'` → names and the file. */
export function localImports(root: string, source: Source): { names: string[]; module: Source }[] {
  const result: { names: string[]; module: Source }[] = [];
  for (const match of source.text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const file = posix.normalize(posix.join(dirname(source.file), match[2] ?? ''));
    const module = read(root, file) ?? read(root, `${file}.ts`);
    if (module === undefined) continue;
    const names = (match[1] ?? '')
      .split(',')
      .map(
        (part) =>
          part
            .trim()
            .split(/\s+as\s+/)
            .pop() ?? '',
      )
      .filter((name) => name !== '' && !name.startsWith('type '));
    const originals = (match[1] ?? '')
      .split(',')
      .map(
        (part) =>
          part
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0] ?? '',
      )
      .filter(Boolean);
    result.push({ names: names.length === originals.length ? originals : names, module });
  }
  return result;
}

/** The text of `function name(…) { … }` or `const name = (…) => { … }` in a module (to the next top-level declaration). */
export function definition(text: string, name: string): string | undefined {
  const start = new RegExp(
    String.raw`(?:^|\n)(?:export\s+)?(?:async\s+)?function\s+${name}\b|(?:^|\n)(?:export\s+)?const\s+${name}\s*=`,
  ).exec(text);
  if (start === null) return undefined;
  const rest = text.slice(start.index + 1);
  const next = /\n(?:export\s+)?(?:async\s+)?(?:function|const|class|let)\s/.exec(rest.slice(1));
  return next === null ? rest : rest.slice(0, next.index + 1);
}

export function verifies(text: string): boolean {
  return VERIFIES.some((pattern) => pattern.test(text)) || (HEADER_READ.test(text) && SECRET_COMPARE.test(text));
}

/** Names bound from the request: destructured from the body or read from the query string. */
export function requestNames(text: string): Set<string> {
  const names = new Set<string>();
  const bodies = new Set<string>();
  for (const match of text.matchAll(
    /(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*(?:\(\s*)?await\s+(?:req|request)\s*\.\s*(?:json|formData)\s*\(\s*\)/g,
  ))
    if (match[1] !== undefined) bodies.add(match[1]);
  const sources = [
    String.raw`\(?\s*await\s+(?:req|request)\s*\.\s*json\s*\(\s*\)\s*\)?`,
    ...[...bodies].map((body) => String.raw`${body}\b(?!\s*\.)`),
  ];
  for (const sourcePattern of sources)
    for (const match of text.matchAll(
      new RegExp(String.raw`(?:const|let|var)\s*\{([^}]*)\}\s*(?::[^=]+)?=\s*${sourcePattern}`, 'g'),
    ))
      for (const part of (match[1] ?? '').split(',')) {
        const local = part
          .split(':')
          .pop()
          ?.split('=')[0]
          ?.trim()
          .replace(/^\.\.\./, '');
        if (local !== undefined && /^\w+$/.test(local)) names.add(local);
      }
  for (const match of text.matchAll(/(?:const|let|var)\s+(\w+)\s*=\s*[\w.]*searchParams\s*\.\s*get\s*\(/g))
    if (match[1] !== undefined) names.add(match[1]);
  for (const body of bodies) names.add(`${body}.`);
  return names;
}

/**
 * The first query filter (or RPC argument) on an id column (`id`, `lead_id`, `organization_id`) that
 * takes a value from the request. Lookups by a key, token or code the caller must hold (`widget_key`,
 * `verification_token`, a `sessionId`) are capabilities, not ids.
 */
function requestFilter(text: string, names: Set<string>): { line: number; code: string } | undefined {
  if (names.size === 0) return undefined;
  const values = [...names].map((name) =>
    name.endsWith('.') ? String.raw`${name.slice(0, -1)}\s*\.\s*\w+` : String.raw`${name}\b`,
  );
  const value = String.raw`(?:${values.join('|')})`;
  const filter = new RegExp(
    String.raw`\.(?:eq|in|match)\s*\(\s*['"\`](?:[\w.]*_)?id['"\`]\s*,\s*${value}|\.rpc\s*\(\s*['"\`]\w+['"\`]\s*,\s*\{[^}]*?\b\w*id\s*:\s*${value}`,
  );
  for (const match of text.matchAll(new RegExp(filter.source, 'g'))) {
    // A session id, token or key is a bearer capability the caller must already hold, not an id to enumerate.
    if (CAPABILITY.test(match[0].split(',').pop() ?? '')) continue;
    return { line: text.slice(0, match.index).split('\n').length, code: match[0].replace(/\s+/g, ' ') };
  }
  return undefined;
}

/**
 * The handler looks a row up by a bearer value from the request (`.eq('widget_key', widgetKey)`,
 * `.eq('session_token', token)`): a public flow (an embedded widget, a magic link) whose callers prove
 * themselves by holding that value, not by signing in. The ids it then uses belong to that flow (the
 * same judgement as no-unchecked-object-access).
 */
function capabilityLookup(text: string, names: Set<string>): boolean {
  if (names.size === 0) return false;
  const values = [...names].map((name) =>
    name.endsWith('.') ? String.raw`${name.slice(0, -1)}\s*\.\s*\w+` : String.raw`${name}\b`,
  );
  const lookup = new RegExp(String.raw`\.(?:eq|match)\s*\(\s*['"\`]([\w.]+)['"\`]\s*,\s*(?:${values.join('|')})`, 'g');
  return [...text.matchAll(lookup)].some((match) => {
    const column = match[1] ?? '';
    return (
      !/(?:^|_)id$/i.test(column) &&
      /(?:key|token|secret|nonce|code)$/i.test(column) &&
      !/(?:country|currency|lang(?:uage)?|locale|postal|zip|status|area|phone|region|product|discount)_?code$/i.test(
        column,
      )
    );
  });
}

/** The functions from the project's shared modules that the handler calls: their code counts as its own. */
export function calledHelpers(
  root: string,
  source: NonNullable<ReturnType<typeof read>>,
): { module: ReturnType<typeof localImports>[number]['module']; body: string }[] {
  return localImports(root, source).flatMap(({ names, module }) =>
    names
      .filter((imported) => new RegExp(String.raw`\b${imported}\s*\(`).test(source.text))
      .map((imported) => ({ module, body: definition(module.text, imported) ?? '' })),
  );
}

/** The handler verifies who calls: itself, through the shared helpers it calls, or through a guard the linker follows. */
function callerVerified(
  model: ProjectModel,
  entry: string,
  text: string,
  called: readonly { body: string }[],
): boolean {
  if (verifies(text) || called.some(({ body }) => verifies(body))) return true;
  const { linker } = model;
  const facts = linker.facts.get(entry);
  return (
    facts?.functions.some((fn) => linker.verifies(entry, fn) || linker.functionGuard(entry, fn) !== undefined) === true
  );
}

/**
 * Whether the edge function whose entry is `entry` (`supabase/functions/<name>/index.ts`) verifies
 * its caller — a user token, a JWT, a webhook signature or a shared secret — the way this check
 * judges it. Undefined when the file cannot be read.
 */
export function edgeFunctionVerifiesCaller(model: ProjectModel, entry: string): boolean | undefined {
  const source = read(model.root, entry);
  if (source === undefined) return undefined;
  const called = calledHelpers(model.root, source);
  return callerVerified(model, entry, source.text, called);
}

export const requireEdgeFunctionAuth: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    for (const { name, entry, verifyJwt } of entries(model)) {
      const source = read(model.root, entry);
      if (source === undefined || (!REQUEST_BODY.test(source.text) && !/searchParams/.test(source.text))) continue;
      // What the handler calls from shared modules counts as its own code.
      const called = calledHelpers(model.root, source);
      const usesServiceRole =
        SERVICE_ROLE.test(source.text) ||
        called.some(
          ({ module, body }) =>
            SERVICE_ROLE.test(body) || (body !== '' && SERVICE_ROLE.test(module.text) && /createClient/.test(body)),
        );
      if (!usesServiceRole) continue;
      if (callerVerified(model, entry, source.text, called)) continue;
      const names = requestNames(source.text);
      const filter = requestFilter(source.text, names);
      if (filter === undefined || capabilityLookup(source.text, names)) continue;
      const handler = /\b(?:Deno\s*\.\s*serve|serve)\s*\(/.exec(source.text);
      const line = handler === null ? filter.line : source.text.slice(0, handler.index).split('\n').length;
      sink.add(meta, {
        file: entry,
        span: lineSpan(line, source.text.split('\n')[line - 1] ?? ''),
        message: `Edge function "${name}" queries with the service-role key (which bypasses row level security) by a value from the request (\`${filter.code}\`, line ${String(filter.line)}) and never verifies who calls${verifyJwt ? ': verify_jwt = true is not authentication, since the public anon key is itself a valid JWT' : ' (verify_jwt = false)'}. Anyone can read or change other users' rows this way. Verify the caller first — \`const { data: { user } } = await supabase.auth.getUser(token)\` and check the user's right to that row — or a webhook signature or shared secret for machine callers.`,
        snippet: `edge-function ${name} ${filter.code}`,
      });
    }
  },
};
