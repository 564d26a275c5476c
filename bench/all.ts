/**
 * `npm run bench`: every benchmark in turn (parse, upload of a LOCPOT and of a cube, epdi, ml), each printing its own table of timings and ratios
 * against references measured in the same run. Each runs in its own process so peak-memory figures stay separate.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benches: [string, ...string[]][] = [['parse'], ['upload'], ['upload', '--format', 'cube'], ['epdi'], ['ml']];
let failed = 0;
for (const [name, ...extra] of benches) {
  console.log(`\n=== bench:${[name, ...extra].join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`), ...extra, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.log(`bench:${name} exited with ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
