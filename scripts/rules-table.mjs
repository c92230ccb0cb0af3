// Regenerates the rule table in README.md between the markers: `npm run rules:table`.
// The meta test fails when the table is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { allMetadata } = await import('../dist/src/check/registry.js');
const { updatedReadme } = await import('../dist/src/catalog/rules-table.js');

const path = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(path, await updatedReadme(readFileSync(path, 'utf8'), [...allMetadata().values()], path));
console.log('README rule table updated.');
