/** Test, fixture, mock and story files: their literals and shortcuts are not production code. */
export const TEST_FILE =
  /(?:^|[/\\])(?:__tests__|__mocks__|__fixtures__|fixtures?|test|tests|test-utils|spec|e2e|stories)[/\\]|\.(?:test|spec|stories|e2e)\.[cm]?[jt]sx?$/;

export function isTestFile(filename: string): boolean {
  return TEST_FILE.test(filename);
}
