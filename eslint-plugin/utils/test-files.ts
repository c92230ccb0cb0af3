export { isTestFile, TEST_FILE } from '../../src/detectors/test-files.js';
