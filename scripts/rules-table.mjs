// Regenerates the rule table in README.md between the markers: `node scripts/rules-table.mjs`.
// The meta test fails when the table is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const { ruleMetadata } = await import('../dist/eslint-plugin/index.js');
const { renderRulesTable, replaceRulesTable } = await import('../dist/src/catalog/rules-table.js');

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
writeFileSync(new URL('../README.md', import.meta.url), replaceRulesTable(readme, renderRulesTable(ruleMetadata())));
console.log('README rule table updated.');
