/**
 * The anatomy of a generator (DESIGN.md, STYLE.md): a JSON schema for its options, a pure
 * `normalizeOptions`, and actions that are a pure function of the normalized options.
 */

/** The JSON schema of one option: every option is typed, documented and (when it can be) enumerated. */
export interface OptionSchema {
  type: 'string' | 'boolean' | 'integer' | 'array';
  description: string;
  enum?: readonly string[];
  default?: unknown;
  items?: { type: 'string'; enum?: readonly string[] };
  pattern?: string;
}

export interface OptionsSchema {
  type: 'object';
  properties: Readonly<Record<string, OptionSchema>>;
  required?: readonly string[];
  additionalProperties: false;
}

/** What a generator knows about the app it writes into. */
export interface AppContext {
  framework: 'express' | 'hono';
  db: 'pglite' | 'postgres';
  /** Generators already present in the app or being added in the same run (e.g. `audit`). */
  modules: readonly string[];
  /**
   * The normalized options of every module in the app (installed earlier or added in this run), by
   * generator name; filled by the engine once every option is validated (absent while validating).
   */
  moduleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The app generator's composition root (src/services.ts, src/mount.ts) creates and mounts the
   * modules, so next steps need not tell the user to wire them by hand. Set by the engine.
   */
  composed?: boolean;
  /**
   * Every environment variable the app's generators declare (their `env` actions, installed earlier or
   * in this run), in order, once each: the app's README documents them. Set by the engine.
   */
  environment?: readonly { key: string; example: string; comment: string }[];
}

/** One thing a generator does. Paths are relative to the app root, with forward slashes. */
export type GeneratorAction =
  /**
   * Render `templates/<template>` (Handlebars) to `path`. The engine records it in the manifest and never
   * overwrites it once the user has edited it. `ifMissing`: write it only when absent and leave it to
   * the user afterwards (files such as package.json that later actions and the user both edit).
   */
  | {
      type: 'add';
      path: string;
      template: string;
      ifMissing?: boolean;
      /** Extra values for the template, beside the options and `app` (e.g. the app's composition). */
      data?: Readonly<Record<string, unknown>>;
    }
  /** Add (or raise to) these exact versions in the app's package.json. */
  | {
      type: 'dependencies';
      dependencies?: Readonly<Record<string, string>>;
      devDependencies?: Readonly<Record<string, string>>;
    }
  /**
   * Add npm scripts to the app's package.json (`"webhooks:replay": "node dist/webhooks/replay.js"`). A
   * script of the same name the user already has is kept (and said so in the next steps).
   */
  | { type: 'scripts'; scripts: Readonly<Record<string, string>> }
  /** Keys the module reads from the environment, added to `.env.example` with a comment and a safe example value. */
  | { type: 'env'; entries: readonly { key: string; example: string; comment: string }[] }
  /**
   * Register the module in the app entry (`src/app.ts`, function `registerModules(app)`): the engine adds
   * `import { <name> } from '<from>'` and the statement `<name>(app);`, each once (ts-morph edit).
   * `<name>` takes the framework's app object (`Express` or `Hono`) as its only argument.
   */
  | { type: 'register'; from: string; name: string };

export interface GeneratorSpec<Options = Record<string, unknown>> {
  /** A noun: `auth`, `webhook`, `tenancy`. */
  name: string;
  description: string;
  /** Bumped when the generated output changes; untouched files are upgraded. */
  version: string;
  schema: OptionsSchema;
  /** Absolute folder the `add` templates are read from (default: Portcullis's own `templates/`). */
  templatesRoot?: string;
  /** Generators this one needs written first (e.g. `db`). */
  requires?: readonly string[];
  /**
   * When the generator already runs in the app (its normalized options are in the manifest) and is
   * requested again: the raw options to use, from those and the new input. Without it the new input
   * stands alone. (webhook: `add webhook --provider github` keeps the Stripe endpoint.)
   */
  extendOptions?(
    previous: Readonly<Record<string, unknown>>,
    input: Readonly<Record<string, unknown>>,
  ): Record<string, unknown>;
  /** Validates and fills defaults. Throws `OptionsError` naming the option and its allowed values. */
  normalizeOptions(input: Readonly<Record<string, unknown>>, app: AppContext): Options;
  /** Pure: the same options and app always give the same actions. */
  actions(options: Options, app: AppContext): GeneratorAction[];
  /** Commands or steps printed after a successful run. */
  nextSteps?(options: Options, app: AppContext): string[];
  /**
   * Values that name this app rather than shape its code (the package name, where Portcullis is
   * installed from). The record of prettier's results (`templates/formatted.json.br`) holds texts with
   * them masked, so it serves any app name.
   */
  identity?(options: Options): string[];
}

/** An option that is missing or invalid. The engine maps it to exit 2 and writes nothing. */
export class OptionsError extends Error {
  override name = 'OptionsError';
  constructor(
    readonly option: string,
    message: string,
    /** The `--json` error code (src/errors.ts): an option that is unknown, missing, or has a bad value. */
    readonly code: 'unknown_option' | 'missing_option' | 'invalid_value' = 'invalid_value',
  ) {
    super(message);
  }
}
