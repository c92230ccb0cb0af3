#!/usr/bin/env node
// `npm run demo`: scaffold a demo app with every generator into ./portcullis-demo, then check it.
// Exit 0 when the check is clean (the contract: generated code lints clean under our own rules).
import { resolve } from 'node:path';

import { GENERATORS } from '../dist/generators/index.js';
import { newApp } from '../dist/src/generate/commands.js';
import { generateText } from '../dist/src/generate/report.js';
import { runCheck } from '../dist/src/check/run-check.js';
import { REPORTERS } from '../dist/src/report/index.js';

const dir = resolve(process.argv[2] ?? 'portcullis-demo');
const modules = GENERATORS.map((spec) => spec.name);
console.log(`== portcullis new ${dir} --modules ${modules.join(',') || '(none)'} --yes`);
const generated = await newApp({ dir, cwd: process.cwd(), modules: 'all', framework: 'express' });
process.stdout.write(generateText(generated));

console.log(`\n== portcullis check ${dir}`);
const result = await runCheck({ cwd: dir });
process.stdout.write(REPORTERS.text(result, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }));
process.exitCode = result.failed || result.findings.length > 0 || result.errors.length > 0 ? 1 : 0;
