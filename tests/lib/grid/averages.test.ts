import { describe, expect, test } from 'vitest';
import type { Mat3 } from '../../../lib/math/mat3';
import {
  ballRule,
  createSampler,
  cylinderAverage,
  gaussLegendre,
  lebedev50Rule,
  planarAverage,
  sphereAverage,
  type Grid3D,
} from '../../../lib/grid';
import { gaussianSphereAverage, sampleModelOnGrid, type GaussianPotentialModel } from '../../fixtures/synthetic';

describe('quadrature rules', () => {
  const { directions: d, weights: w } = lebedev50Rule();
  const moment = (f: (x: number, y: number, z: number) => number): number => {
    let s = 0;
    for (let p = 0; p < w.length; p++) s += w[p] * f(d[3 * p], d[3 * p + 1], d[3 * p + 2]);
    return s;
  };
  // Sphere moments: <x^2a y^2b z^2c> = (2a-1)!!(2b-1)!!(2c-1)!! / (2a+2b+2c+1)!!
  test.each([
    ['1', () => 1, 1],
    ['x^2', (x: number) => x * x, 1 / 3],
    ['x^4', (x: number) => x ** 4, 1 / 5],
    ['x^2 y^2', (x: number, y: number) => x * x * y * y, 1 / 15],
    ['x^2 y^2 z^2', (x: number, y: number, z: number) => x * x * y * y * z * z, 1 / 105],
    ['x^6', (x: number) => x ** 6, 1 / 7],
    ['x^4 y^2 z^4', (x: number, y: number, z: number) => x ** 4 * y * y * z ** 4, 9 / 10395],
    ['x^10', (x: number) => x ** 10, 1 / 11],
    ['x^3 y (odd)', (x: number, y: number) => x ** 3 * y, 0],
  ] as const)('Lebedev-50 integrates %s exactly', (_name, f, exact) => {
    expect(moment(f as (x: number, y: number, z: number) => number)).toBeCloseTo(exact, 13);
  });

  test('Gauss-Legendre integrates x^(2n-1) and x^(2n-2) exactly', () => {
    const { nodes, weights } = gaussLegendre(5);
    let s8 = 0;
    for (let i = 0; i < 5; i++) s8 += weights[i] * nodes[i] ** 8;
    expect(s8).toBeCloseTo(2 / 9, 13);
  });

  test('the ball rule gives <r^2> = 3R^2/5', () => {
    const rule = ballRule(1.3);
    let s = 0;
    for (let p = 0; p < rule.weights.length; p++) s += rule.weights[p] * (rule.offsets[3 * p] ** 2 + rule.offsets[3 * p + 1] ** 2 + rule.offsets[3 * p + 2] ** 2);
    expect(s).toBeCloseTo((3 * 1.3 ** 2) / 5, 12);
  });
});

const CELL: Mat3 = [
  [8, 0, 0],
  [-4, 6.9282, 0],
  [0, 0, 10],
];

function analyticGrid(dims: [number, number, number], f: (u: number, v: number, w: number) => number): Grid3D {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = f(i / nx, j / ny, k / nz);
  return { dims, lattice: CELL, data };
}

describe('averages', () => {
  test('planar average along c of g(w) + in-plane cosines is g(w) (cosines average out on the grid)', () => {
    const g = (w: number): number => 2 + Math.sin(2 * Math.PI * w) + 0.3 * Math.cos(6 * Math.PI * w);
    const grid = analyticGrid([12, 10, 16], (u, v, w) => g(w) + Math.cos(2 * Math.PI * u) * Math.sin(4 * Math.PI * v) + Math.cos(2 * Math.PI * (u + v)));
    const avg = planarAverage(grid, 2);
    expect(avg.length).toBe(16);
    for (let k = 0; k < 16; k++) expect(avg[k]).toBeCloseTo(g(k / 16), 5);
    const alongA = planarAverage(grid, 0);
    // Along a: mean over (v, w) of the field = mean of g + cos(2 pi u) * 0 + 0 = mean g.
    for (let i = 0; i < 12; i++) expect(alongA[i]).toBeCloseTo(2, 5);
  });

  test.each(['ball', 'shell'] as const)('%s average of a single Gaussian on the grid matches the closed form', (mode) => {
    const model: GaussianPotentialModel = {
      lattice: CELL,
      centres: [[1.0, 2.0, 5.0]],
      amplitudesEv: [-5],
      sigmasA: [0.7],
      offsetEv: 0,
      dipoleStepEv: 0,
      slabCentreFrac: 0.5,
      vacuumMiddleFrac: 0,
    };
    const grid = sampleModelOnGrid(model, [64, 64, 80]);
    const s = createSampler(grid, 'tricubic');
    for (const [centre, d] of [
      [[1.0, 2.0, 5.0], 0],
      [[1.0, 2.0, 6.2], 1.2],
      [[1.6, 2.8, 4.5], Math.hypot(0.6, 0.8, 0.5)],
    ] as [[number, number, number], number][]) {
      const exact = gaussianSphereAverage(-5, 0.7, d, 1.0, mode);
      // Tolerance 2e-3 eV on wells of -5 eV: grid spacing 0.125 A (tricubic ~1e-3) plus Lebedev-50 truncation.
      expect(Math.abs(sphereAverage(s, centre, 1.0, { mode }) - exact)).toBeLessThan(2e-3);
    }
  });

  test('cylinder average along c of cos(2 pi w) equals cos(k z0) sin(kL/2)/(kL/2)', () => {
    const grid = analyticGrid([8, 8, 64], (_u, _v, w) => Math.cos(2 * Math.PI * w));
    const s = createSampler(grid, 'tricubic');
    const k = (2 * Math.PI) / 10;
    const z0 = 3.1;
    const L = 4;
    const exact = (Math.cos(k * z0) * Math.sin((k * L) / 2)) / ((k * L) / 2);
    expect(cylinderAverage(s, [0.5, 0.5, z0], [0, 0, 1], 1.0, L, undefined)).toBeCloseTo(exact, 3);
  });
});
