import { UsageError } from '../errors.js';

export interface FlagSpec {
  /** Flags that take no value. */
  booleans: readonly string[];
  /** Flags that take one value (`--x v` or `--x=v`); repeatable ones collect into a list. */
  strings: readonly string[];
  repeatable?: readonly string[];
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
  /** `--name value` pairs not in `FlagSpec`: generator options, validated later against the schema. */
  extra: Record<string, string | boolean | string[]>;
}

/**
 * A small argv parser that, unlike `util.parseArgs`, passes unknown `--options` through so a generator's
 * JSON schema can validate them (and name the allowed ones). `booleanExtra` says which extra names are
 * flags (no value), taken from the generator's schema.
 */
export function parseGenerateArgs(
  command: string,
  args: readonly string[],
  spec: FlagSpec,
  booleanExtra: (name: string) => boolean = () => false,
): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const extra: ParsedArgs['extra'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-')
        throw new UsageError(`${command}: unknown option "${arg}"`, {
          code: 'unknown_option',
          option: arg.replace(/^-+/, ''),
        });
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === '') throw new UsageError(`${command}: empty option name in "${arg}"`);
    if (spec.booleans.includes(name)) {
      if (inline !== undefined)
        throw new UsageError(`${command}: --${name} takes no value`, { code: 'invalid_value', option: name });
      flags[name] = true;
      continue;
    }
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${command}: --${name} needs a value`, { code: 'missing_option', option: name });
      i++;
      return next;
    };
    if (spec.strings.includes(name)) {
      const value = takeValue();
      if (spec.repeatable?.includes(name) === true) {
        const list = (flags[name] as string[] | undefined) ?? [];
        flags[name] = [...list, value];
      } else if (flags[name] !== undefined)
        throw new UsageError(`${command}: --${name} given twice`, { code: 'conflicting_options', option: name });
      else flags[name] = value;
      continue;
    }
    if (name.startsWith('no-') && booleanExtra(name.slice(3)) && inline === undefined) {
      extra[name.slice(3)] = false;
      continue;
    }
    if (booleanExtra(name) && inline === undefined) {
      extra[name] = true;
      continue;
    }
    const value = takeValue();
    const previous = extra[name];
    extra[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [String(previous)]), value];
  }
  return { flags, positionals, extra };
}
