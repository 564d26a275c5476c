/**
 * `npm run bench:parse`: times LOCPOT readers on the same ~200 MB file in the same run.
 *
 * Generates (once, cached under os.tmpdir()) a 180x180x360 LOCPOT of a MoS2-like slab cell with a smooth potential
 * (VASP E format, 5 per line) and its .gz, then runs each reader in its own process (so peak RSS is its own):
 *   ours (Node, plain stream), ours (Node, .gz stream, fflate), pymatgen Locpot.from_file, ASE VaspChargeDensity
 * (the Python ones through /usr/bin/python3 when importable). Prints MB/s, peak RSS and the ratio ours/pymatgen.
 * Options: --dims NX,NY,NZ (default 180,180,360), --skip-python, --skip-gz.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync, renameSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { parseVolumetricStream, writeVolumetricChunks } from '../lib/formats';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  const v = await parseVolumetricStream(
    (async function* () {
      for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) yield c as Uint8Array;
    })(),
    { fileName: path.basename(file), totalBytes: statSync(file).size },
  );
  const s = (performance.now() - t0) / 1000;
  const d = v.grid.data;
  console.log(JSON.stringify({ mode, seconds: s, peakRssMB: process.resourceUsage().maxRSS / 1024, first: d[0], last: d[d.length - 1], n: d.length }));
}

async function generate(file: string, dims: [number, number, number]): Promise<void> {
  const [nx, ny, nz] = dims;
  const c = 20 * 1.5;
  const structure = {
    comment: `bench slab ${dims.join('x')}`,
    lattice: [[15.95, 0, 0], [-7.975, 13.8131, 0], [0, 0, c]] as [[number, number, number], [number, number, number], [number, number, number]],
    species: ['Mo', 'S', 'S'],
    positions: [[0, 0, 15], [0, 1.842, 16.56], [0, 1.842, 13.44]] as [number, number, number][],
  };
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const z = k / nz - 0.5;
        data[i + nx * (j + ny * k)] = -20 * Math.exp(-z * z * 80) * (1 + 0.2 * Math.cos((2 * Math.PI * i) / nx) * Math.cos((2 * Math.PI * j) / ny)) + 4.5;
      }
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp);
  for (const chunk of writeVolumetricChunks(structure, dims, [data])) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  renameSync(tmp, file);
}

const PY_PYMATGEN = `
import sys, time, resource
t=time.time()
from pymatgen.io.vasp.outputs import Locpot
l=Locpot.from_file(sys.argv[1])
d=l.data['total']
s=time.time()-t
import json; print(json.dumps({'seconds': s, 'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, 'first': float(d[0,0,0]), 'last': float(d[-1,-1,-1]), 'n': int(d.size)}))
`;
const PY_ASE = `
import sys, time, resource
t=time.time()
from ase.calculators.vasp import VaspChargeDensity
c=VaspChargeDensity(sys.argv[1])
d=c.chg[-1]
s=time.time()-t
import json; print(json.dumps({'seconds': s, 'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, 'first': float(d[0,0,0]), 'last': float(d[-1,-1,-1]), 'n': int(d.size)}))
`;

interface Row {
  reader: string;
  seconds?: number;
  peakRssMB?: number;
  first?: number;
  last?: number;
  note?: string;
}

function runPython(code: string, file: string, label: string): Row {
  if (!existsSync('/usr/bin/python3')) return { reader: label, note: 'no /usr/bin/python3' };
  const r = spawnSync('/usr/bin/python3', ['-c', code, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { reader: label, ...JSON.parse(line) };
  } catch {
    return { reader: label, note: `not run: ${(r.stderr || 'no output').trim().split('\n').pop()}` };
  }
}

async function main(): Promise<void> {
  if (args[0] === '--child') return child(args[1], args[2]);
  const dims = (opt('dims') ?? '180,180,360').split(',').map(Number) as [number, number, number];
  const file = path.join(os.tmpdir(), `epdi-bench-LOCPOT-${dims.join('x')}`);
  if (!existsSync(file)) {
    console.log(`generating ${file} ...`);
    await generate(file, dims);
  }
  const gz = `${file}.gz`;
  if (!args.includes('--skip-gz') && !existsSync(gz)) {
    console.log(`compressing ${gz} ...`);
    await pipeline(createReadStream(file), createGzip({ level: 6 }), createWriteStream(`${gz}.part`));
    renameSync(`${gz}.part`, gz);
  }
  const size = statSync(file).size;
  const gridMB = (dims[0] * dims[1] * dims[2] * 4) / 2 ** 20;
  console.log(`file ${file}: ${(size / 1e6).toFixed(1)} MB, grid ${dims.join('x')} (${gridMB.toFixed(0)} MiB float32)`);
  const rows: Row[] = [];
  const node = (mode: string, f: string): Row => {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', mode, f], { encoding: 'utf8' });
    try {
      return { reader: `ours (Node, ${mode})`, ...JSON.parse(r.stdout.trim().split('\n').pop() ?? '') };
    } catch {
      return { reader: `ours (Node, ${mode})`, note: r.stderr.trim().split('\n').pop() };
    }
  };
  rows.push(node('plain', file));
  if (!args.includes('--skip-gz')) rows.push(node('gz', gz));
  if (!args.includes('--skip-python')) {
    rows.push(runPython(PY_PYMATGEN, file, 'pymatgen Locpot.from_file'));
    rows.push(runPython(PY_ASE, file, 'ASE VaspChargeDensity'));
  }
  const py = rows.find((r) => r.reader.startsWith('pymatgen'))?.seconds;
  const ours = rows[0].seconds;
  console.log(`\n${'reader'.padEnd(28)} ${'s'.padStart(7)} ${'MB/s'.padStart(8)} ${'peak RSS MB'.padStart(12)}  first / last value`);
  for (const r of rows) {
    if (r.seconds === undefined) {
      console.log(`${r.reader.padEnd(28)} ${r.note}`);
      continue;
    }
    console.log(
      `${r.reader.padEnd(28)} ${r.seconds.toFixed(2).padStart(7)} ${(size / 1e6 / r.seconds).toFixed(1).padStart(8)} ${r.peakRssMB!.toFixed(0).padStart(12)}  ${r.first} / ${r.last}`,
    );
  }
  if (py && ours) console.log(`\nspeed-up ours/pymatgen: ${(py / ours).toFixed(1)}x (goal >= 5x)`);
  const rss = rows[0].peakRssMB;
  if (rss) console.log(`memory: ours peak ${rss.toFixed(0)} MB vs goal ${(1.5 * gridMB + 100).toFixed(0)} MB (1.5 x grid + 100)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
