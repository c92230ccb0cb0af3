/** The programmatic API of Portcullis. */
export * from './catalog/index.js';
export { runCheck, type CheckOptions, type CheckResult } from './check/run-check.js';
export { allMetadata } from './check/registry.js';
export { REPORTERS, FORMATS, JSON_REPORT_VERSION, type Format } from './report/index.js';
export { explainRule } from './cli/commands/explain.js';
export { main as runCli } from './cli/main.js';
export { UsageError } from './errors.js';
export { PACKAGE_VERSION } from './version.js';
export {
  generate,
  resolveOrder,
  type GenerateOptions,
  type GenerateResult,
  type GeneratorRequest,
  type Conflict,
  type Skipped,
} from './generate/engine.js';
export { newApp, addModule, type NewAppOptions, type AddModuleOptions } from './generate/commands.js';
export { validateOptions } from './generate/options.js';
export { UnsafePathError, AppContextError, WriteFailedError } from './generate/errors.js';
export { MANIFEST_PATH, type Manifest } from './generate/manifest.js';
export { listGenerators, type ListResult, type GeneratorListing } from './cli/commands/list.js';
export { createMcpServer } from './mcp/server.js';
export { GENERATORS, appGenerator, OptionsError, type GeneratorSpec, type AppContext } from '../generators/index.js';
