/**
 * `npm run bench:upload`: peak memory of the server-side upload path on a large potential file, in the same run as a
 * reference (the bare Float32 grid), against the goal peak <= 1.5 x grid + 100 MB.
 *
 * Writes (once, cached under os.tmpdir()) a LOCPOT (default) or, with `--format cube`, a Gaussian cube of a 3x3 MoS2
 * slab on --dims NX,NY,NZ (default 180,180,360: about 210 MB of LOCPOT text, 180 MB of cube), then streams it as a
 * multipart body through `importUpload` (what POST /api/datasets/[id]/uploads runs: busboy to a temporary file,
 * streaming parse, chunked store in one transaction) into a temporary SQLite database, and waits for the extraction
 * job (sites, MEPs, EPDIs). RSS is sampled every 20 ms.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCubeChunks } from '../lib/formats/cube';
import { writeVolumetricChunks } from '../lib/formats/volumetric';
import { buildMX2Slab } from '../tests/fixtures/synthetic';

const args = process.argv.slice(2);
const dimsArg = args[args.indexOf('--dims') + 1];
const dims = (args.includes('--dims') ? dimsArg.split(',').map(Number) : [180, 180, 360]) as [number, number, number];
const format = args.includes('--format') ? args[args.indexOf('--format') + 1] : 'locpot';
if (format !== 'locpot' && format !== 'cube') throw new Error(`--format ${format}: expected locpot or cube`);

async function generate(file: string): Promise<void> {
  const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const z = k / nz - 0.5;
        data[i + nx * (j + ny * k)] =
          -12 *
          Math.exp(-z * z * 120) *
          (1 + 0.3 * Math.cos((6 * Math.PI * i) / nx) * Math.cos((6 * Math.PI * j) / ny));
      }
  const out = createWriteStream(`${file}.part`);
  const chunks =
    format === 'cube'
      ? writeCubeChunks(structure, { dims, lattice: structure.lattice, data })
      : writeVolumetricChunks(structure, dims, [data]);
  for (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  renameSync(`${file}.part`, file);
}

/** A multipart body streamed from disk, as a browser sends it. */
function multipartStream(file: string, name: string): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = `----bench${Date.now()}`;
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(name)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  // Pull-based, like a request body arriving from the network: the next chunk is read only when asked for.
  const chunks = (async function* () {
    yield head;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
    yield tail;
  })();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function main(): Promise<void> {
  const file = path.join(os.tmpdir(), `epdi-bench-upload-${dims.join('x')}.${format === 'cube' ? 'cube' : 'LOCPOT'}`);
  if (args.includes('--generate-only')) return generate(file);
  if (!existsSync(file)) {
    console.log(`writing ${file} ...`);
    // In a child process, so that the measured process starts clean.
    execFileSync(process.execPath, ['--import', 'tsx', __filename, '--generate-only', '--dims', dims.join(','), '--format', format], {
      stdio: 'inherit',
    });
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-bench-upload-'));
  process.env.DATABASE_URL = `file:${path.join(work, 'bench.db')}`;
  process.env.EPDI_UPLOAD_TMP = path.join(work, 'tmp');
  execFileSync(process.execPath, [path.join('node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
    stdio: 'pipe',
  });
  const { db } = await import('../lib/server/db');
  const { importUpload } = await import('../lib/server/upload/import-upload');
  const dataset = await db.dataset.create({ data: { name: 'bench', settingsJson: '{}' } });

  global.gc?.();
  const baselineMB = process.memoryUsage().rss / 2 ** 20;
  let peakMB = baselineMB;
  const sampler = setInterval(() => (peakMB = Math.max(peakMB, process.memoryUsage().rss / 2 ** 20)), 20);

  const { body, contentType } = multipartStream(file, format === 'cube' ? 'MoS2-V/potential.cube' : 'MoS2-V/LOCPOT');
  const t0 = performance.now();
  const result = await importUpload(dataset.id, body, contentType);
  const uploadSeconds = (performance.now() - t0) / 1000;
  const uploadPeakMB = peakMB;
  for (;;) {
    const job = await db.job.findUniqueOrThrow({ where: { id: result.extractJobId! } });
    if (job.status === 'done' || job.status === 'failed') {
      if (job.status === 'failed') throw new Error(`extraction failed: ${job.error}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  const fileMB = statSync(file).size / 2 ** 20;
  const gridMB = (dims[0] * dims[1] * dims[2] * 4) / 2 ** 20;
  const goalMB = 1.5 * gridMB + 100;
  const rows = [
    [`${format === 'cube' ? 'cube' : 'LOCPOT'} text`, `${fileMB.toFixed(0)} MB`],
    ['Float32 grid (reference)', `${gridMB.toFixed(0)} MB`],
    ['process RSS before upload', `${baselineMB.toFixed(0)} MB`],
    [
      'upload + parse + store',
      `${uploadSeconds.toFixed(1)} s (${(fileMB / uploadSeconds).toFixed(0)} MB/s), peak RSS ${uploadPeakMB.toFixed(0)} MB, +${(uploadPeakMB - baselineMB).toFixed(0)} MB`,
    ],
    [
      '... + extraction job',
      `${totalSeconds.toFixed(1)} s, peak RSS ${peakMB.toFixed(0)} MB, +${(peakMB - baselineMB).toFixed(0)} MB`,
    ],
    [
      'goal: 1.5 x grid + 100 MB',
      `${goalMB.toFixed(0)} MB; peak increase / goal = ${((peakMB - baselineMB) / goalMB).toFixed(2)}`,
    ],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(28)} ${v}`);
  await db.$disconnect();
  rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
