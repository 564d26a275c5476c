/**
 * npm run bench:load [-- --rounds 3 --uploads 20 --gets 200 --port 3917 --build]
 *
 * Issue 15, finding 8: the built server under load. Starts `node scripts/start.mjs` on a temporary SQLite file and
 * port (run `npm run build` first, or pass --build), seeds a dataset with the demo surfaces, then sends 20 concurrent
 * uploads of a demo surface folder (renamed copies of data/demo/WS2, into the same dataset) while rounds of 200
 * concurrent GETs hit the dataset page, a surface page, the profiles API and a trivial route (GET /api/jobs/<id>: one
 * row by primary key). Prints p50/p95 per route and each route's p95 over the trivial route's, measured in the same
 * run (the goal: within 3x).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROUNDS = arg('rounds', 3);
const UPLOADS = arg('uploads', 20);
const GETS = arg('gets', 200);
const PORT = arg('port', 3917);
const BASE = `http://127.0.0.1:${PORT}`;

/** The top-level files of a demo surface folder (what a user uploads), as (relative path, bytes). */
function demoFolder(name: string): [string, Uint8Array][] {
  const dir = path.join(root, 'data', 'demo', name);
  return readdirSync(dir)
    .filter((f) => /^(POSCAR|LOCPOT\.gz|labels\.csv|meta\.json)$/.test(f))
    .map((f) => [f, new Uint8Array(readFileSync(path.join(dir, f)))]);
}

async function uploadFolder(
  datasetId: string,
  folder: string,
  files: [string, Uint8Array][],
): Promise<{ status: number; jobId: string; extractJobId: string | null }> {
  const form = new FormData();
  for (const [rel, bytes] of files)
    form.append('file', new Blob([new Uint8Array(bytes)]), encodeURIComponent(`${folder}/${rel}`));
  const res = await fetch(`${BASE}/api/datasets/${datasetId}/uploads`, { method: 'POST', body: form });
  const body = (await res.json()) as { jobId?: string; extractJobId?: string | null };
  return { status: res.status, jobId: body.jobId ?? '', extractJobId: body.extractJobId ?? null };
}

async function waitJob(id: string): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const res = await fetch(`${BASE}/api/jobs/${id}`);
    const { job } = (await res.json()) as { job: { status: string; error: string | null } };
    if (job.status === 'done') return;
    if (job.status === 'failed') throw new Error(`job ${id} failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${id} did not finish`);
}

async function waitForServer(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${BASE}/api/datasets`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not start');
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

async function main(): Promise<void> {
  if (process.argv.includes('--build') || !existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.log('bench:load: building (npm run build)...');
    const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-load-'));
  const server = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `file:${path.join(dir, 'load.db')}`,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      EPDI_UPLOAD_TMP: path.join(dir, 'tmp'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverLog = '';
  server.stdout!.on('data', (d) => (serverLog += d));
  server.stderr!.on('data', (d) => (serverLog += d));
  try {
    await waitForServer(server);
    const created = await fetch(`${BASE}/api/datasets`, {
      method: 'POST',
      body: JSON.stringify({ name: 'load', settings: {} }),
    });
    const datasetId = ((await created.json()) as { dataset: { id: string } }).dataset.id;
    const demo = readdirSync(path.join(root, 'data', 'demo')).filter((d) =>
      existsSync(path.join(root, 'data', 'demo', d, 'LOCPOT.gz')),
    );
    console.log(`bench:load: seeding ${demo.length} demo surfaces (${demo.join(', ')})`);
    let jobId = '';
    for (const name of demo) {
      const up = await uploadFolder(datasetId, name, demoFolder(name));
      if (up.status !== 201) throw new Error(`seed upload of ${name} answered ${up.status}`);
      if (up.extractJobId) await waitJob(up.extractJobId);
      jobId ||= up.jobId;
    }
    const { surfaces } = (await (await fetch(`${BASE}/api/datasets/${datasetId}/surfaces`)).json()) as {
      surfaces: { id: string }[];
    };
    const routes: Record<string, string> = {
      'trivial GET /api/jobs/[id]': `${BASE}/api/jobs/${jobId}`,
      'dataset page': `${BASE}/datasets/${datasetId}`,
      'surface page': `${BASE}/datasets/${datasetId}/surfaces/${surfaces[0].id}`,
      'profiles API': `${BASE}/api/datasets/${datasetId}/profiles`,
    };
    // Warm each route once (first renders compile nothing in production, but fill module caches).
    for (const url of Object.values(routes)) await timed(url);

    const samples = new Map<string, number[]>(Object.keys(routes).map((k) => [k, []]));
    const bad = new Map<string, number>();
    const ws2 = demoFolder(demo.includes('WS2') ? 'WS2' : demo[0]);
    const t0 = performance.now();
    const uploads = Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const u0 = performance.now();
        const up = await uploadFolder(datasetId, `WS2-load-${i}`, ws2);
        if (up.status !== 201) throw new Error(`upload ${i} answered ${up.status}`);
        return performance.now() - u0;
      }),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(routes);
      await Promise.all(
        Array.from({ length: GETS }, async (_, i) => {
          const name = names[i % names.length];
          const r = await timed(routes[name]);
          if (r.status !== 200) bad.set(name, (bad.get(name) ?? 0) + 1);
          samples.get(name)!.push(r.ms);
        }),
      );
    }
    const uploadMs = (await uploads).sort((a, b) => a - b);
    const elapsed = (performance.now() - t0) / 1000;
    const trivial = [...samples.get('trivial GET /api/jobs/[id]')!].sort((a, b) => a - b);
    const trivialP95 = quantile(trivial, 0.95);
    console.log(
      `\n${ROUNDS} rounds of ${GETS} concurrent GETs during ${UPLOADS} concurrent uploads (${elapsed.toFixed(1)} s)`,
    );
    console.log('route                          n     p50 ms    p95 ms   p95 / trivial p95   non-200');
    for (const [name, list] of samples) {
      const s = [...list].sort((a, b) => a - b);
      const p95 = quantile(s, 0.95);
      console.log(
        `${name.padEnd(28)} ${String(s.length).padStart(4)} ${quantile(s, 0.5).toFixed(0).padStart(9)} ${p95.toFixed(0).padStart(9)} ${(p95 / trivialP95).toFixed(2).padStart(19)} ${String(bad.get(name) ?? 0).padStart(9)}`,
      );
    }
    console.log(
      `uploads                      ${String(uploadMs.length).padStart(4)} ${quantile(uploadMs, 0.5).toFixed(0).padStart(9)} ${quantile(uploadMs, 0.95).toFixed(0).padStart(9)}`,
    );
  } catch (err) {
    console.error(serverLog.slice(-4000));
    throw err;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
