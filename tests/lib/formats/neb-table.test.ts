import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseNebRun } from '@/lib/formats';
import { formatNebTable, nebTable } from '@/lib/formats/neb-table';
import { hasShared, repoRoot, shared } from './helpers';

/** Every file under `dir`, keyed by its path relative to the repository (what a caller hands parseNebRun). */
function readTree(dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const folder of readdirSync(dir)) {
    const sub = path.join(dir, folder);
    if (!statSync(sub).isDirectory()) continue;
    for (const name of readdirSync(sub)) out[path.relative(repoRoot, path.join(sub, name))] = readFileSync(path.join(sub, name));
  }
  return out;
}

const FIXTURE = path.join(repoRoot, 'tests/fixtures/neb/li-hop-3atoms');

/*
 * tests/fixtures/neb/li-hop-3atoms: Li + 2 S in a hexagonal cell a = (6, 0, 0), b = (-3, 3 sqrt3, 0), c = (0, 0, 10)
 * (|a| = |b| = 6 A), 4 images. Fractional positions of the images read (CONTCAR for 01 and 02, POSCAR for 00 and 03):
 *        Li                  S1              S2
 *   00   (0.95, 0.00, 0.7)   (0.5, 0, 0.4)   (0.5, 0.5, 0.50)
 *   01   (0.05, 0.00, 0.7)   same            (0.5, 0.5, 0.58)
 *   02   (0.05, 0.25, 0.7)   same            (0.5, 0.5, 0.66)
 *   03   (0.25, 0.25, 0.7)   same            (0.5, 0.5, 0.50)
 * Steps by hand (minimum image; only Li and S2 move):
 *   00 -> 01: Li crosses the a boundary: du = 0.05 - 0.95 = -0.9 -> +0.1 under minimum image, 0.1 * 6 = 0.6 A (5.4 A
 *             without it); S2 dz = 0.08 * 10 = 0.8 A; step sqrt(0.6^2 + 0.8^2) = 1.0 A
 *   01 -> 02: Li dv = 0.25 along b, 1.5 A; S2 0.8 A; step sqrt(1.5^2 + 0.8^2) = 1.7 A
 *   02 -> 03: Li du = 0.2 along a, 1.2 A; S2 -1.6 A; step sqrt(1.2^2 + 1.6^2) = 2.0 A
 * -> cumulative 0, 1.0, 2.7, 4.7 A; s = 0, 1/4.7, 2.7/4.7, 1.
 * Energies (last ionic step of each OUTCAR, 02 gzipped; 01 has two steps, -99.7 then -99.8):
 *   energy(sigma->0) = -100.0, -99.8, -99.55, -99.9 -> relative 0, 0.2, 0.45, 0.1; max at 02;
 *   forward = 0.45 eV, backward = -99.55 - (-99.9) = 0.35 eV.
 *   free energy TOTEN = -100.01, -99.79, -99.54, -99.90 -> forward 0.47 eV, backward 0.36 eV.
 * Cross-checked once with ASE (minimum image by ase.geometry.find_mic), in tests/fixtures/neb/li-hop-3atoms:
 *   /usr/bin/python3 -c "import ase.io,numpy as np,os; from ase.geometry import find_mic; r=lambda i:ase.io.read(
 *   f'{i:02d}/CONTCAR' if os.path.exists(f'{i:02d}/CONTCAR') else f'{i:02d}/POSCAR',format='vasp'); im=[r(i) for i in
 *   range(4)]; c=[0]; [c.append(c[-1]+np.linalg.norm(find_mic(b.positions-a.positions,a.cell)[0])) for a,b in
 *   zip(im,im[1:])]; print(c)"   -> [0, 1.0000000000000002, 2.7000000000000006, 4.700000000000001]
 * (ASE's vasp-out reader refuses these minimal OUTCARs, "Incomplete OUTCAR": it needs the POTCAR and ion headers.)
 */
describe('nebTable: the neb.dat table of a NEB run', () => {
  test('hand-made 3-atom run: cumulative distance under the minimum image, s, energies, barriers', () => {
    const t = nebTable(parseNebRun(readTree(FIXTURE)));
    expect(t.images.map((r) => r.folder)).toEqual(['00', '01', '02', '03']);
    expect(t.images.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    const dist = [0, 1.0, 2.7, 4.7];
    t.images.forEach((r, i) => {
      expect(r.distanceAngstrom).toBeCloseTo(dist[i], 10);
      expect(r.s).toBeCloseTo(dist[i] / 4.7, 10);
    });
    expect(t.totalDistanceAngstrom).toBeCloseTo(4.7, 10);
    expect(t.images.map((r) => r.energyEv)).toEqual([-100.0, -99.8, -99.55, -99.9]);
    [0, 0.2, 0.45, 0.1].forEach((e, i) => expect(t.images[i].relativeEnergyEv).toBeCloseTo(e, 10));
    expect(t.maxImage).toBe(2);
    expect(t.maxEnergyEv).toBe(-99.55);
    expect(t.forwardBarrierEv).toBeCloseTo(0.45, 10);
    expect(t.backwardBarrierEv).toBeCloseTo(0.35, 10);
    // Inner images are read from CONTCAR (their POSCARs are the initial guesses), 02's energy from OUTCAR.gz.
    expect(t.images.map((r) => path.basename(r.structureFile))).toEqual(['POSCAR', 'CONTCAR', 'CONTCAR', 'POSCAR']);
    expect(t.images.map((r) => path.basename(r.energyFile))).toEqual(['OUTCAR', 'OUTCAR', 'OUTCAR.gz', 'OUTCAR']);
  });

  test('free energy TOTEN on request', () => {
    const t = nebTable(parseNebRun(readTree(FIXTURE), { energy: 'free' }));
    expect(t.images.map((r) => r.energyEv)).toEqual([-100.01, -99.79, -99.54, -99.9]);
    expect(t.forwardBarrierEv).toBeCloseTo(0.47, 10);
    expect(t.backwardBarrierEv).toBeCloseTo(0.36, 10);
  });

  test('highest image at an end point: forward = E_N - E_0, backward = 0; ties go to the first image', () => {
    const run = parseNebRun(readTree(FIXTURE));
    const energies = [-1, -0.5, -0.5, 0.25];
    run.images.forEach((im, i) => (im.energyEv = energies[i]));
    const t = nebTable(run);
    expect(t).toMatchObject({ maxImage: 3, forwardBarrierEv: 1.25, backwardBarrierEv: 0 });
    const tie = [-1, 0, 0, -1];
    run.images.forEach((im, i) => (im.energyEv = tie[i]));
    expect(nebTable(run).maxImage).toBe(1);
  });

  test('formatNebTable: one line per image with neb.dat numbers, then the barriers', () => {
    const text = formatNebTable(nebTable(parseNebRun(readTree(FIXTURE))));
    const lines = text.split('\n');
    expect(lines).toHaveLength(1 + 4 + 2);
    expect(lines[2].split(/\s+/).filter(Boolean)).toEqual(['01', '1.000000', '0.212766', '-99.800000', '0.200000', 'CONTCAR,', 'OUTCAR']);
    expect(lines[5]).toBe('forward barrier  (max - E_00): 0.450000 eV (highest image 02)');
    expect(lines[6]).toBe('backward barrier (max - E_03): 0.350000 eV');
  });

  // The real CI-NEB of the demo data (GPAW, ASE's NEB; POSCAR + an `energy` file per image, summary.json beside).
  const DEMO = path.join(repoRoot, 'data/demo/MoS2/neb/bridge-08');
  test.skipIf(!existsSync(DEMO))('demo MoS2 bridge-08 (GPAW CI-NEB): distances as ASE computes them, energies of summary.json', () => {
    const t = nebTable(parseNebRun(readTree(DEMO)));
    // ASE, in data/demo/MoS2/neb/bridge-08: images read with ase.io.read(f'{i:02d}/POSCAR', format='vasp'), steps
    // np.linalg.norm(ase.geometry.find_mic(b.positions - a.positions, a.cell)[0]), cumulated:
    const ase = [0.0, 0.3094831625303873, 0.6146173516155233, 0.8663277690012059, 1.2380142112185823, 1.5494851030484182, 1.8617798685503366];
    t.images.forEach((r, i) => expect(r.distanceAngstrom).toBeCloseTo(ase[i], 9));
    // summary.json holds the generator's unrounded energies; the `energy` files hold them to 6 decimals.
    const summary = JSON.parse(readFileSync(path.join(DEMO, 'summary.json'), 'utf8')) as { energies_eV: number[]; saddle_image: number; E_saddle_NEB_eV: number };
    t.images.forEach((r, i) => expect(Math.abs(r.energyEv - summary.energies_eV[i])).toBeLessThan(1e-6));
    expect(t.maxImage).toBe(summary.saddle_image);
    expect(Math.abs(t.forwardBarrierEv - (summary.E_saddle_NEB_eV - summary.energies_eV[0]))).toBeLessThan(2e-6);
    expect(Math.abs(t.backwardBarrierEv - (summary.E_saddle_NEB_eV - summary.energies_eV[6]))).toBeLessThan(2e-6);
  });

  // A neb.dat written by VTST's nebbarrier.pl (../shared: 5x5 MoS2 + Pt, 13 images) next to the XDATCAR holding the 13
  // final images one after another (each block a full POSCAR). The images become folders 00..12; the energies come
  // from neb.dat's column 3 (no OUTCARs were kept), so only the distance column and the barrier arithmetic are checked.
  test.skipIf(!hasShared)("VTST nebbarrier.pl's neb.dat: the same cumulative distances (column 2) to its 6 decimals", () => {
    const nebDat = shared('mos2-5x5/mos2/neb-mo/neb.dat')
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    const lines = shared('mos2-5x5/mos2/neb-mo/XDATCAR').toString().split('\n');
    const starts = lines.flatMap((l, i) => (lines[i + 7]?.trim() === 'Direct' && i + 7 < lines.length ? [i] : []));
    expect(starts).toHaveLength(nebDat.length);
    const files: Record<string, string> = {};
    starts.forEach((s, k) => {
      const folder = String(k).padStart(2, '0');
      const atoms = lines[s + 6].trim().split(/\s+/).map(Number).reduce((x, y) => x + y, 0);
      files[`neb-mo/${folder}/POSCAR`] = lines.slice(s, s + 8 + atoms).join('\n');
      files[`neb-mo/${folder}/energy`] = String(nebDat[k][2]);
    });
    const t = nebTable(parseNebRun(files));
    expect(t.images).toHaveLength(13);
    t.images.forEach((r, i) => {
      expect(r.index).toBe(nebDat[i][0]);
      expect(Math.abs(r.distanceAngstrom - nebDat[i][1])).toBeLessThanOrEqual(5e-7 + 1e-12);
    });
    expect(t.forwardBarrierEv).toBeCloseTo(0.569856, 9);
    expect(t.backwardBarrierEv).toBeCloseTo(0.569856 - 0.000054, 9);
  });
});
