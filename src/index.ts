/** The programmatic API of Portcullis. */
export * from './catalog/index.js';
export { runCheck, type CheckOptions, type CheckResult } from './check/run-check.js';
export { allMetadata } from './check/registry.js';
export { REPORTERS, FORMATS, JSON_REPORT_VERSION, type Format } from './report/index.js';
export { explainRule } from './cli/commands/explain.js';
export { main as runCli } from './cli/main.js';
export { UsageError } from './errors.js';
export { PACKAGE_VERSION } from './version.js';
