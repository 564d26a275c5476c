/**
 * `npm run bench`: every benchmark in turn (parse, epdi, ml), each printing its own table of timings and ratios
 * against references measured in the same run. Each runs in its own process so peak-memory figures stay separate.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benches = ['parse', 'upload', 'epdi', 'ml'];
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench:${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.log(`bench:${name} exited with ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
