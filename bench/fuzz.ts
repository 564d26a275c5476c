/**
 * `npm run fuzz`: >= 100,000 mutated inputs over every reader (volumetric plain and gzip, POSCAR, cube, OUTCAR,
 * vasprun, labels), seeded from the hand-made fixtures and, when present, the real files in ../shared. Exits 1 on any
 * failure (an exception that is not a FormatError). Options: --runs N (total, default 120000), --seed S.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { writeVolumetric } from '../lib/formats';
import { fuzz } from '../tests/lib/formats/fuzz-core';

const args = process.argv.slice(2);
const opt = (k: string, d: number): number => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const total = opt('runs', 120_000);
const seed = opt('seed', 1);
const root = path.resolve(__dirname, '..');
const fx = (n: string): Uint8Array => new Uint8Array(readFileSync(path.join(root, 'tests/fixtures/formats', n)));
const sharedDir = path.resolve(root, '../shared/fixtures/vasp');
const sh = (n: string): Uint8Array[] => (existsSync(path.join(sharedDir, n)) ? [new Uint8Array(readFileSync(path.join(sharedDir, n)))] : []);

const s = { comment: 'fuzz', lattice: [[3, 0, 0], [0, 3, 0], [0, 0, 3]] as never, species: ['Mo', 'S'], positions: [[0, 0, 0], [1, 1, 1]] as never };
const g = Float32Array.from({ length: 60 }, (_, i) => Math.cos(i) * 10 ** ((i % 9) - 4));
const vol = new TextEncoder().encode(writeVolumetric(s, [3, 4, 5], [g, g]));
const cut = (b: Uint8Array[]): Uint8Array[] => b.map((x) => x.subarray(0, Math.min(x.length, 8000)));

const plan: [string, Uint8Array[]][] = [
  ['volumetric', [vol, fx('LOCPOT.forms'), ...sh('macrodensity/PARCHG.test')]],
  ['volumetric', [gzipSync(vol)]],
  ['poscar', [fx('POSCAR.vasp4'), fx('POSCAR.crlf'), ...sh('macrodensity/POSCAR.test')]],
  ['cube', [fx('hand.cube')]],
  ['outcar', [fx('OUTCAR.steps'), ...cut(sh('macrodensity/OUTCAR.test'))]],
  ['vasprun', cut(sh('mos2-5x5/mos2/pristine-mos2/vasprun.xml')).concat([new TextEncoder().encode('<?xml?><modeling><calculation><energy><i name="e_fr_energy"> -1.0 </i></energy></calculation></modeling>\n')])],
  ['labels', [fx('labels.csv')]],
];
const per = Math.ceil(total / plan.length);
let failed = 0;
let runs = 0;
const t0 = performance.now();
for (const [reader, seeds] of plan) {
  const rep = fuzz(reader, seeds, per, 600_000, seed + runs);
  runs += rep.runs;
  failed += rep.failures.length;
  console.log(`${reader.padEnd(11)} runs ${String(rep.runs).padStart(7)}  ok ${String(rep.ok).padStart(6)}  ${(rep.ms / 1000).toFixed(1)} s  errors ${JSON.stringify(rep.formatErrors)}`);
  for (const f of rep.failures) console.log(`  FAILURE ${f.error}\n  input: ${JSON.stringify(f.input)}`);
}
console.log(`total ${runs} mutated inputs in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${failed} failures`);
process.exit(failed ? 1 : 0);
