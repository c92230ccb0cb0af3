/**
 * The part of `supabase/config.toml` the checks read: `[functions.<name>]` sections and their
 * `verify_jwt`. A TOML subset reader (sections, `key = value` with strings, booleans, numbers);
 * lines it does not understand are skipped, never guessed at.
 */
export interface SupabaseFunctionConfig {
  name: string;
  verifyJwt: boolean;
  line: number;
  entrypoint?: string;
}

export function readSupabaseConfig(toml: string): SupabaseFunctionConfig[] {
  const functions = new Map<string, SupabaseFunctionConfig>();
  let section: string[] = [];
  toml.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').split('.').map((part) => part.trim().replace(/^"|"$/g, ''));
      if (section[0] === 'functions' && section.length === 2 && section[1] !== undefined) {
        const name = section[1];
        if (!functions.has(name)) functions.set(name, { name, verifyJwt: true, line: index + 1 });
      }
      return;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (pair === null || section[0] !== 'functions' || section.length !== 2) return;
    const entry = functions.get(section[1] ?? '');
    if (entry === undefined) return;
    const value = (pair[2] ?? '').trim();
    if (pair[1] === 'verify_jwt') {
      entry.verifyJwt = value !== 'false';
      entry.line = index + 1;
    } else if (pair[1] === 'entrypoint') entry.entrypoint = value.replace(/^["']|["']$/g, '');
  });
  return [...functions.values()];
}

/**
 * The schemas PostgREST serves (`[api] schemas = [...]`), or undefined when the file does not say
 * (Supabase then serves `public`). Tables in every listed schema are reachable with the anon key.
 */
export function readSupabaseApiSchemas(toml: string): string[] | undefined {
  let section = '';
  let schemas: string[] | undefined;
  for (const raw of toml.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').trim();
      continue;
    }
    const pair = /^schemas\s*=\s*\[([^\]]*)\]$/.exec(line);
    if (section !== 'api' || pair === null) continue;
    schemas = [...(pair[1] ?? '').matchAll(/["']([^"']+)["']/g)].map((match) => match[1] ?? '').filter(Boolean);
  }
  return schemas;
}
