#!/usr/bin/env node
// `npm run demo`: migrate, seed the demo dataset (data/demo, real DFT; idempotent), build, serve on 127.0.0.1:3000.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(bin('prisma'), ['migrate', 'deploy']);
run(bin('tsx'), ['prisma/seed.ts']);
run(bin('next'), ['build']);
run(process.execPath, [path.join(root, 'scripts', 'start.mjs')]);
