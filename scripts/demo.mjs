// `npm run demo`: checks the bundled insecure sample app and prints the report.
// Exit 0 when the report was produced (findings are the point of the demo), non-zero otherwise.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/src/cli/bin.js', import.meta.url));
console.log('Portcullis demo: checking examples/insecure-app (a sample app with real insecure code)\n');
const result = spawnSync(process.execPath, [bin, 'check', 'examples/insecure-app'], { cwd: root, stdio: 'inherit' });
if (result.status === 1) {
  console.log(
    '\nThe check found the problems above and would fail a CI gate (exit 1). Try --format sarif or --format json.',
  );
  process.exitCode = 0;
} else {
  process.exitCode = result.status ?? 2;
}
