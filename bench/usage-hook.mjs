// Preloaded (`node --import`) into a timed child by bench/run.mjs: writes the child's own CPU time and
// peak RSS to the file named by PORTCULLIS_BENCH_USAGE when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.PORTCULLIS_BENCH_USAGE;
  if (file === undefined) return;
  const usage = process.resourceUsage();
  writeFileSync(
    file,
    JSON.stringify({ cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 }),
  );
});
