import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { hopProfile } from '@/lib/profile/profile';
import {
  compareNeb,
  imageDistanceAngstrom,
  nebBindingEnergies,
  nebPathCoordinate,
  summarizeNebComparisons,
} from '@/lib/profile/neb-compare';
import { ProfileError } from '@/lib/profile/errors';

// Predicted hop: E_A = 0 (DFT), E_S = 0.3 (predicted, s_S = 0.5), E_B = 0. Its PCHIP at s = 0, 0.25, 0.5, 0.75, 1 is
// 0, 0.225, 0.3, 0.225, 0 (hand derivation in pchip.test.ts).
const predicted = hopProfile({
  id: 'h1',
  from: { energyEv: 0, source: 'dft', site: 'T1' },
  saddle: { energyEv: 0.3, source: 'predicted', site: 'B1' },
  to: { energyEv: 0, source: 'dft', site: 'T2' },
});

// Hand-made 5-image NEB: E = 0, 0.20, 0.32, 0.21, 0. Errors (pred - NEB) = 0, +0.025, -0.02, +0.015, 0:
// MAE = 0.06 / 5 = 0.012 eV; max 0.025 eV; RMSE = sqrt((0.025^2 + 0.02^2 + 0.015^2) / 5) = sqrt(0.00125 / 5);
// NEB barrier 0.32, barrier error 0.30 - 0.32 = -0.02.
const neb = { hop: 'h1', s: [0, 0.25, 0.5, 0.75, 1], energyEv: [0, 0.2, 0.32, 0.21, 0] };

describe('compareNeb', () => {
  test('reproduces the hand-computed MAE, max error and barrier error of a 5-image NEB', () => {
    const c = compareNeb(neb, predicted);
    expect(c.images).toBe(5);
    c.errorsEv.forEach((e, i) => expect(e).toBeCloseTo([0, 0.025, -0.02, 0.015, 0][i], 13));
    expect(c.maeEv).toBeCloseTo(0.012, 13);
    expect(c.maxAbsErrorEv).toBeCloseTo(0.025, 13);
    expect(c.rmseEv).toBeCloseTo(Math.sqrt(0.00125 / 5), 13);
    expect(c.nebBarrierForwardEv).toBeCloseTo(0.32, 13);
    expect(c.nebBarrierBackwardEv).toBeCloseTo(0.32, 13);
    expect(c.barrierErrorEv).toBeCloseTo(-0.02, 13);
    expect(c.hop).toBe('h1');
  });

  test('never evaluates the prediction outside [0, 1]', () => {
    expect(() => compareNeb({ s: [0, 0.5, 1.05], energyEv: [0, 0.3, 0] }, predicted)).toThrow(RangeError);
  });

  test('overall: pooled over images, barrier errors averaged over hops', () => {
    const c1 = compareNeb(neb, predicted);
    // A second hop with a perfect 3-image NEB: errors 0, 0, 0 and barrier error 0.
    const c2 = compareNeb({ s: [0, 0.5, 1], energyEv: [0, 0.3, 0] }, predicted);
    const o = summarizeNebComparisons([c1, c2]);
    expect(o.hops).toBe(2);
    expect(o.points).toBe(8);
    expect(o.maeEv).toBeCloseTo(0.06 / 8, 13);
    expect(o.maxAbsErrorEv).toBeCloseTo(0.025, 13);
    expect(o.barrierMaeEv).toBeCloseTo(0.01, 13);
    expect(o.barrierMaxAbsErrorEv).toBeCloseTo(0.02, 13);
    expect(() => summarizeNebComparisons([])).toThrow(ProfileError);
  });
});

describe('NEB path coordinate and energies', () => {
  test('cumulative distances normalised to [0, 1]', () => {
    expect(nebPathCoordinate([1, 1, 2])).toEqual([0, 0.25, 0.5, 1]);
    expect(() => nebPathCoordinate([0, 0])).toThrow(ProfileError);
    expect(() => nebPathCoordinate([1, 0, 1])).toThrow(/coincide/);
  });

  test('image distance uses the minimum image', () => {
    const lattice = [
      [4, 0, 0],
      [0, 4, 0],
      [0, 0, 10],
    ];
    // Li from x = 0.95 to x = 0.05 (fractional) moves 0.1 * 4 = 0.4 A across the boundary, not 3.6 A.
    expect(imageDistanceAngstrom([0.95, 0, 0.5], [0.05, 0, 0.5], lattice)).toBeCloseTo(0.4, 12);
    // Two atoms: sqrt(0.3^2 + 0.4^2) = 0.5 A
    expect(imageDistanceAngstrom([0, 0, 0, 0.5, 0.5, 0.5], [0, 0.075, 0, 0.5, 0.5, 0.54], lattice)).toBeCloseTo(
      0.5,
      12,
    );
  });

  test('image totals go onto the binding-energy scale', () => {
    const e = nebBindingEnergies([-101.9, -101.58], -100, { kind: 'bcc', muLiEv: -1.9 });
    expect(e[0]).toBeCloseTo(0, 12);
    expect(e[1]).toBeCloseTo(0.32, 12);
  });
});

/*
 * The fixture folders tests/fixtures/profile/surface-mini/neb/T1-T2/00..04 (POSCAR + minimal OUTCAR) hold the same NEB as VASP would
 * write it. A deliberately tiny reader here (Direct POSCAR, `energy(sigma->0)` line) keeps this test independent of
 * lib/formats; the CLI uses the real readers.
 */
function readImage(dir: string): { frac: number[]; lattice: number[][]; totalEv: number } {
  const poscar = readFileSync(path.join(dir, 'POSCAR'), 'utf8').split('\n');
  const scale = Number(poscar[1]);
  const lattice = poscar.slice(2, 5).map((l) =>
    l
      .trim()
      .split(/\s+/)
      .map((v) => Number(v) * scale),
  );
  const count = poscar[6]
    .trim()
    .split(/\s+/)
    .map(Number)
    .reduce((a, b) => a + b, 0);
  const frac = poscar.slice(8, 8 + count).flatMap((l) => l.trim().split(/\s+/).slice(0, 3).map(Number));
  const outcar = readFileSync(path.join(dir, 'OUTCAR'), 'utf8');
  const m = [...outcar.matchAll(/energy\(sigma->0\)\s*=\s*(-?\d+\.\d+)/g)].pop();
  return { frac, lattice, totalEv: Number(m![1]) };
}

describe('NEB fixture folders 00..04', () => {
  test('give s = 0, 0.25, 0.5, 0.75, 1 and the hand-computed MAE 0.012 eV', () => {
    const root = path.join(__dirname, '../../fixtures/profile/surface-mini/neb/T1-T2');
    const images = ['00', '01', '02', '03', '04'].map((d) => readImage(path.join(root, d)));
    const steps = images.slice(1).map((im, i) => imageDistanceAngstrom(images[i].frac, im.frac, im.lattice));
    steps.forEach((d) => expect(d).toBeCloseTo(0.8, 10));
    const s = nebPathCoordinate(steps);
    [0, 0.25, 0.5, 0.75, 1].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
    const energyEv = nebBindingEnergies(
      images.map((im) => im.totalEv),
      -100,
      { kind: 'bcc', muLiEv: -1.9 },
    );
    const c = compareNeb({ hop: 'h1', s, energyEv }, predicted);
    expect(c.maeEv).toBeCloseTo(0.012, 10);
    expect(c.barrierErrorEv).toBeCloseTo(-0.02, 10);
  });
});
