// Loaded with `node --import` by run.mjs: records the process's peak resident memory (KiB) at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.PORTCULLIS_BENCH_RSS_FILE;
if (file !== undefined)
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
