#!/usr/bin/env node
// Serve the built app: apply migrations, then `next start`. Binds 127.0.0.1:3000 unless HOST/PORT say otherwise
// (binding beyond loopback is an explicit choice: HOST=0.0.0.0 npm start).
import { spawnSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// SQLite creates the database file but not its folder.
const dbUrl = process.env.DATABASE_URL ?? 'file:./data/epdi.db';
mkdirSync(path.dirname(path.resolve(root, dbUrl.replace(/^file:/, ''))), { recursive: true });
const migrate = spawnSync(bin('prisma'), ['migrate', 'deploy'], { cwd: root, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const server = spawn(bin('next'), ['start', '-H', host, '-p', port], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
