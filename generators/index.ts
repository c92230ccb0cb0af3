/**
 * The generators entry point (`portcullis/generators`): every generator, by name.
 * A generator module exports a `GeneratorSpec`; add it to `GENERATORS` and the engine, `list`
 * and the MCP server pick it up.
 */
import { auditGenerator } from './audit/index.js';
import { authGenerator } from './auth/index.js';
import { dbGenerator } from './db/index.js';
import { paymentsGenerator } from './payments/index.js';
import { keysGenerator } from './keys/index.js';
import { rbacGenerator } from './rbac/index.js';
import { tenancyGenerator } from './tenancy/index.js';
import type { GeneratorSpec } from './types.js';
import { webhookGenerator } from './webhook/index.js';

export * from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec has its own options type
export const GENERATORS: readonly GeneratorSpec<any>[] = [
  dbGenerator,
  tenancyGenerator,
  auditGenerator,
  keysGenerator,
  authGenerator,
  rbacGenerator,
  webhookGenerator,
  paymentsGenerator,
];

export { appGenerator, type AppOptions } from './app/index.js';
export { pinnedVersion } from './pins.js';
