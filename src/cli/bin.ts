#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './main.js';

// A reader that stops early (`portcullis new … --dry-run | head`) closes the pipe: what is left of the
// output has nowhere to go. End quietly, as other Unix tools do, instead of crashing with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });

// Set the exit code rather than calling process.exit(): piped output must drain first.
process.exitCode = await main(process.argv.slice(2), processIo());
