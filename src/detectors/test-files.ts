/** Test, fixture, mock and story files: their literals, routes and shortcuts are not production code. */
export const TEST_FILE =
  /(?:^|[/\\])(?:__tests__|__mocks__|__fixtures__|fixtures?|test|tests|spec|test-utils|test-helpers|testing|e2e|stories)[/\\]|\.(?:test|spec|stories|e2e)\.[cm]?[jt]sx?$/;

export function isTestFile(filename: string): boolean {
  return TEST_FILE.test(filename);
}
