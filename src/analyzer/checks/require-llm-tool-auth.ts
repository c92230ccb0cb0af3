import { isTestFile } from '../../detectors/test-files.js';
import type { ProjectModel } from '../model.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan, sourceReader } from './shared.js';
import {
  calledHelpers,
  definition,
  edgeFunctionVerifiesCaller,
  entries,
  localImports,
  read,
  SERVICE_ROLE,
  verifies,
  type Source,
} from './require-edge-function-auth.js';

const meta = checkMeta({
  id: 'require-llm-tool-auth',
  description:
    'LLM tools that act with the server’s credential on model-chosen ids (a customer, a booking, a row) are not offered to unauthenticated callers.',
  category: 'llm',
  severity: 'high',
  securitySeverity: 8.1,
  cwe: ['CWE-306', 'CWE-639', 'CWE-1427'],
  recommended: true,
});

/** OpenAI/Anthropic-style tool definitions: `function: { name: 'x', … parameters }`, `{ name: 'x', …, input_schema }`. */
const TOOL_DEFINITION =
  /\bfunction\s*:\s*\{\s*name\s*:\s*['"`](\w+)['"`]|\bname\s*:\s*['"`](\w+)['"`]\s*,[^;]{0,800}?\binput_schema\s*:/g;
/** The code acts on what the model chose: it reads tool calls from the completion. */
const MODEL_CALLS_TOOLS =
  /\btool\s*\(\s*\{[^]*?\bexecute\s*:|\btool_calls\b|\.function\s*\.\s*(?:name|arguments)\b|\btool_use\b|\bfunctionCalls?\b/;
/** Names tool arguments are parsed into (`const args = JSON.parse(toolCall.function.arguments)`) or handed over as. */
const PARSED_ARGUMENTS = /(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*JSON\s*\.\s*parse\s*\(\s*[\w.?[\]]*\barguments\b/g;
const CONVENTIONAL_ARGUMENTS = ['args', 'toolArgs', 'toolInput', 'functionArgs', 'parsedArgs', 'input'];
/**
 * Arguments that pick a person or a record: with the server's credential behind the tool, whoever
 * talks to the model chooses whose data it reads or changes.
 */
const IDENTIFYING_ARGUMENT =
  /(?:^|_)id$|[a-z]Id$|^ids?$|phone|e_?mail|user|customer|account|order|booking|invoice|ticket|member|contact|patient|client|lead/i;
/** A server credential read from the environment (not a public build variable). */
const SERVER_CREDENTIAL =
  /\b(?:Deno\s*\.\s*env\s*\.\s*get\s*\(\s*['"`]|process\s*\.\s*env\s*\.\s*|process\s*\.\s*env\s*\[\s*['"`])(?!NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|PUBLIC_)(\w*(?:TOKEN|SECRET|API_?KEY|SERVICE_ROLE|PRIVATE_KEY|ACCESS_KEY|PASSWORD)\w*)/g;
/** The model provider's own key only buys completions; it reaches nobody's data. */
const MODEL_PROVIDER =
  /OPENAI|ANTHROPIC|CLAUDE|GEMINI|GOOGLE_AI|GOOGLE_GENERATIVE|MISTRAL|GROQ|COHERE|PERPLEXITY|LOVABLE_API|OPENROUTER|DEEPSEEK|XAI_|TOGETHER|FIREWORKS|REPLICATE|HUGGINGFACE|HF_|AZURE_OPENAI|EMBEDDING|VOYAGE/;
/** The credential is spent on a call: an HTTP request or a database client. */
const OUTBOUND = /\bfetch\s*\(|\baxios\b|\bcreateClient\s*\(|\.from\s*\(\s*['"`]|\.rpc\s*\(/;
/** Service-role queries written inline in the branch, keyed by the argument. */
const INLINE_QUERY = /\.(?:eq|in|match|update|delete|upsert|insert|rpc|filter)\s*\(/;
/** Who calls is known: a session or token read (Next.js/Express/Hono handlers) beyond what `verifies` looks for. */
const READS_SESSION =
  /\b(?:getServerSession|getSession|getUser|currentUser|getAuth|requireUser|requireAuth|getServerProfile|validateRequest|auth)\s*\(/;

interface Privilege {
  /** What the tool runs with: `NODDI_API_TOKEN`, `the service-role client`. */
  credential: string;
}

interface ToolFinding {
  tool: string;
  line: number;
  argument: string;
  credential: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The text between the parentheses of the call whose `(` is at `open`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    const char = text[index];
    if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, index);
    }
  }
  return text.slice(open + 1);
}

/** A server credential the code spends on an outbound call, other than the model provider's key. */
function serverCredential(body: string): string | undefined {
  if (!OUTBOUND.test(body)) return undefined;
  for (const match of body.matchAll(SERVER_CREDENTIAL)) {
    const name = match[1] ?? '';
    if (!MODEL_PROVIDER.test(name)) return SERVICE_ROLE.test(name) ? 'the service-role key' : name;
  }
  return undefined;
}

/**
 * Whether calling `callee` runs with a server credential: its definition (in the module that holds
 * it, or one it imports) reads one and makes a call with it, or works on the service-role client
 * the caller hands it.
 */
function privilegedCallee(
  root: string,
  module: Source,
  callee: string,
  callArgs: string,
  serviceRoleInScope: boolean,
  depth = 0,
): Privilege | undefined {
  const own = definition(module.text, callee);
  let body = own;
  let home = module;
  if (body === undefined) {
    const imported = localImports(root, module).find(({ names }) => names.includes(callee));
    if (imported === undefined) return undefined;
    body = definition(imported.module.text, callee);
    home = imported.module;
  }
  if (body === undefined || body === '') return undefined;
  const credential = serverCredential(body);
  if (credential !== undefined) return { credential };
  if (
    serviceRoleInScope &&
    /\b(?:supabase\w*|admin\w*|serviceClient|db)\b/i.test(callArgs) &&
    /\.from\s*\(\s*['"`]|\.rpc\s*\(/.test(body)
  )
    return { credential: 'the service-role client' };
  if (depth >= 1) return undefined;
  // One more step: a thin wrapper around the function that holds the credential.
  for (const call of body.matchAll(/\b(\w+)\s*\(/g)) {
    const name = call[1] ?? '';
    if (name === callee || /^(?:if|for|while|switch|return|function|catch|fetch|JSON|String|Number)$/.test(name))
      continue;
    const inner = privilegedCallee(root, home, name, '', serviceRoleInScope, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** The dispatch branch for one tool: `case 'name':` up to the next case, or `=== 'name'` up to the next comparison. */
function branches(text: string, tool: string): { start: number; body: string }[] {
  const found: { start: number; body: string }[] = [];
  for (const match of text.matchAll(new RegExp(String.raw`\bcase\s+['"\`]${tool}['"\`]\s*:`, 'g'))) {
    const rest = text.slice(match.index + match[0].length);
    const end = /\bcase\s+['"`]\w+['"`]\s*:|\bdefault\s*:/.exec(rest);
    found.push({ start: match.index, body: rest.slice(0, end === null ? 3000 : end.index) });
  }
  for (const match of text.matchAll(new RegExp(String.raw`={2,3}\s*['"\`]${tool}['"\`]`, 'g'))) {
    const rest = text.slice(match.index + match[0].length);
    const end = /={2,3}\s*['"`]\w+['"`]/.exec(rest);
    found.push({ start: match.index, body: rest.slice(0, end === null ? 2000 : end.index) });
  }
  return found;
}

/**
 * Handlers keyed by tool name: `{ get_order: async (args) => getOrder(args.order_id) }`, called as
 * `handlers[call.function.name](args)`.
 */
function handlerBranches(text: string, tool: string): { start: number; body: string; parameter?: string }[] {
  const found: { start: number; body: string; parameter?: string }[] = [];
  const handler = new RegExp(
    String.raw`(?:^|[{,\s])['"]?${tool}['"]?\s*:\s*(?:async\s*)?(?:function\s*)?\(\s*(\w+)?[^)]*\)\s*(?::[^=>{]+)?(?:=>|\{)`,
    'g',
  );
  for (const match of text.matchAll(handler)) {
    const rest = text.slice(match.index + match[0].length);
    found.push({ start: match.index + 1, body: rest.slice(0, 2000), parameter: match[1] });
  }
  return found;
}

/** The model-chosen identifying arguments a branch uses, with local aliases (`const bid = args.booking_id`). */
function identifyingReferences(body: string, argumentNames: readonly string[]): { pattern: RegExp; name: string }[] {
  const references: { pattern: RegExp; name: string }[] = [];
  const objects = argumentNames.join('|');
  for (const match of body.matchAll(new RegExp(String.raw`\b(?:${objects})\s*(?:\?\.|\.)\s*(\w+)`, 'g'))) {
    const property = match[1] ?? '';
    if (!IDENTIFYING_ARGUMENT.test(property)) continue;
    references.push({
      pattern: new RegExp(String.raw`\b(?:${objects})\s*(?:\?\.|\.)\s*${property}\b`),
      name: property,
    });
    for (const alias of body.matchAll(
      new RegExp(String.raw`(?:const|let)\s+(\w+)\s*=\s*(?:${objects})\s*(?:\?\.|\.)\s*${property}\b`, 'g'),
    ))
      references.push({ pattern: new RegExp(String.raw`\b${alias[1] ?? ''}\b`), name: property });
  }
  return references;
}

interface Branch {
  tool: string;
  start: number;
  body: string;
  references: { pattern: RegExp; name: string }[];
}

/** AI SDK tools: `cancelOrder: tool({ parameters, execute: async ({ orderId }) => … })`. */
const AI_SDK_TOOL = /\b(\w+)\s*:\s*tool\s*\(\s*\{/g;
const EXECUTE = /\bexecute\s*:\s*(?:async\s*)?(?:\(\s*\{([^}]*)\}|\(\s*(\w+)|(\w+)\s*=>)/;

/** The execute bodies of AI SDK tools, with the identifying arguments they destructure or read. */
function aiSdkBranches(text: string): Branch[] {
  const matches = [...text.matchAll(AI_SDK_TOOL)];
  return matches.flatMap((match, index) => {
    const next = matches[index + 1]?.index ?? text.length;
    const rest = text.slice(match.index, Math.min(next, match.index + 4000));
    const execute = EXECUTE.exec(rest);
    if (execute === null) return [];
    const body = rest.slice(execute.index);
    const references: Branch['references'] = [];
    for (const part of (execute[1] ?? '').split(',')) {
      const local = part.split(':').pop()?.split('=')[0]?.trim() ?? '';
      const name = part.split(':')[0]?.trim() ?? '';
      if (/^\w+$/.test(local) && IDENTIFYING_ARGUMENT.test(name))
        references.push({ pattern: new RegExp(String.raw`\b${local}\b`), name });
    }
    const object = execute[2] ?? execute[3];
    if (object !== undefined) references.push(...identifyingReferences(body, [object]));
    return [{ tool: match[1] ?? '', start: match.index, body, references }];
  });
}

/** Tools whose execution hands a model-chosen identifying argument to a call made with a server credential. */
export function privilegedTools(root: string, source: Source): ToolFinding[] {
  const { text } = source;
  if (!MODEL_CALLS_TOOLS.test(text)) return [];
  const tools = new Set<string>();
  for (const match of text.matchAll(TOOL_DEFINITION)) tools.add(match[1] ?? match[2] ?? '');
  tools.delete('');
  const argumentNames = [
    ...CONVENTIONAL_ARGUMENTS,
    ...[...text.matchAll(PARSED_ARGUMENTS)].map((match) => match[1] ?? ''),
  ].filter(Boolean);
  const candidates: Branch[] = [
    ...[...tools].sort().flatMap((tool) => [
      ...branches(text, tool).map((branch) => ({
        tool,
        ...branch,
        references: identifyingReferences(branch.body, argumentNames),
      })),
      ...handlerBranches(text, tool).map(({ start, body, parameter }) => ({
        tool,
        start,
        body,
        references: identifyingReferences(body, parameter === undefined ? argumentNames : [parameter]),
      })),
    ]),
    ...aiSdkBranches(text),
  ];
  const serviceRoleInScope = SERVICE_ROLE.test(text);
  const found = new Map<string, ToolFinding>();
  for (const branch of candidates) {
    if (found.has(branch.tool) || branch.references.length === 0) continue;
    for (const call of branch.body.matchAll(/\b(\w+)\s*\(/g)) {
      const callee = call[1] ?? '';
      const callArgs = callArguments(branch.body, call.index + call[0].length - 1);
      // The argument the call uses first names it best (`lookup(args.phone, args.group_id)` → phone).
      const reference = branch.references
        .map((candidate) => ({ candidate, at: callArgs.search(candidate.pattern) }))
        .filter(({ at }) => at >= 0)
        .sort((a, b) => a.at - b.at)[0]?.candidate;
      if (reference === undefined) continue;
      const privilege: Privilege | undefined =
        INLINE_QUERY.test(`.${callee}(`) && serviceRoleInScope
          ? { credential: 'the service-role client' }
          : privilegedCallee(root, source, callee, callArgs, serviceRoleInScope);
      if (privilege === undefined) continue;
      found.set(branch.tool, {
        tool: branch.tool,
        line: lineOf(text, branch.start),
        argument: reference.name,
        credential: privilege.credential,
      });
      break;
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

function message(where: string, unauthenticated: string, tools: readonly ToolFinding[]): string {
  const named = tools
    .slice(0, 4)
    .map(({ tool, argument, credential }) => `\`${tool}\` (\`${argument}\`, with ${credential})`)
    .join(', ');
  const more = tools.length > 4 ? ` and ${String(tools.length - 4)} more` : '';
  return `${where} ${unauthenticated} yet gives the model tools that run with the server's credential on arguments the model chooses: ${named}${more}. Anyone can prompt the bot ("look up this phone number", "cancel booking 123") to read or change another person's data; instructions in the prompt are no access control. Authenticate the caller first and bind the tool arguments to that user server-side (the user's own id, a verified phone), or offer only tools that read public data.`;
}

export const requireLlmToolAuth: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    const reported = new Set<string>();
    /** One finding per file, on the first privileged tool. */
    const report = (file: string, text: string, tools: ToolFinding[], where: string, why: string): void => {
      reported.add(file);
      const line = tools[0]?.line ?? 1;
      sink.add(meta, {
        file,
        span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
        message: message(where, why, tools),
      });
    };
    for (const { name, entry, verifyJwt } of entries(model)) {
      const source = read(model.root, entry);
      if (source === undefined || edgeFunctionVerifiesCaller(model, entry) !== false) continue;
      if (READS_SESSION.test(source.text)) continue;
      // The tools may live in a shared module the handler calls (`runAssistant(messages)`).
      let file = entry;
      let text = source.text;
      let tools = privilegedTools(model.root, source);
      for (const { module } of tools.length > 0 ? [] : calledHelpers(model.root, source)) {
        if (reported.has(module.file)) continue;
        tools = privilegedTools(model.root, module);
        if (tools.length === 0) continue;
        file = module.file;
        text = module.text;
        break;
      }
      if (tools.length === 0) continue;
      report(
        file,
        text,
        tools,
        `Edge function "${name}"`,
        verifyJwt
          ? 'never verifies who calls (verify_jwt = true is not authentication: the public anon key is itself a valid JWT)'
          : 'is public (verify_jwt = false) and never verifies who calls',
      );
    }
    const readText = sourceReader(model.root);
    for (const route of model.routes) {
      if (route.guard !== undefined || route.handlerFn === undefined || isTestFile(route.file)) continue;
      const { file, fn } = route.handlerFn;
      if (reported.has(file)) continue;
      const text = readText(file);
      if (text === undefined || !MODEL_CALLS_TOOLS.test(text)) continue;
      const body = text.slice(fn.start, fn.end);
      if (verifies(body) || READS_SESSION.test(body)) continue;
      const tools = privilegedTools(model.root, { file, text });
      if (tools.length === 0) continue;
      report(file, text, tools, `${route.method} ${route.path}`, 'checks no session or token');
    }
  },
};
