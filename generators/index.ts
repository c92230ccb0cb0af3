/**
 * The generators entry point (`portcullis/generators`): every generator, by name.
 * A generator module exports a `GeneratorSpec`; add it to `GENERATORS` and the engine, `list`
 * and the MCP server pick it up.
 */
import { authGenerator } from './auth/index.js';
import { dbGenerator } from './db/index.js';
import type { GeneratorSpec } from './types.js';

export * from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec has its own options type
export const GENERATORS: readonly GeneratorSpec<any>[] = [dbGenerator, authGenerator];
