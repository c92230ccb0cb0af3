/**
 * Version of the `FileFacts` shape. Part of the check cache's key, so a tool whose facts reader
 * changed never reads facts an older reader cached under the same package version. Bump it with
 * every change to what `readFacts` produces.
 */
export const FACTS_FORMAT = 7;
