#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './main.js';

// Set the exit code rather than calling process.exit(): piped output must drain first.
process.exitCode = await main(process.argv.slice(2), processIo());
