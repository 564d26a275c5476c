import { describe, expect, it } from 'vitest';
import { downsampleGrid, tentWeights } from '@/lib/grid/downsample';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Mat3 } from '@/lib/math/mat3';
import { packFloat32Body, parseFloat32Body } from '@/lib/view/binary-body';
import { epdiWindowCorners, mapTransform, sliceCorners } from '@/lib/view/slice';

const lattice: Mat3 = [
  [4, 0, 0],
  [0, 4, 0],
  [0, 0, 8],
];

function gridOf(dims: [number, number, number], f: (u: number, v: number, w: number) => number): Grid3D {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++)
        data[i + dims[0] * (j + dims[1] * k)] = f(i / dims[0], j / dims[1], k / dims[2]);
  return { dims, lattice, data };
}

describe('downsampleGrid', () => {
  it('keeps a constant, caps every axis and leaves small axes alone', () => {
    const g = downsampleGrid(
      gridOf([64, 10, 100], () => -3.25),
      16,
    );
    expect(g.dims).toEqual([16, 10, 16]);
    expect(g.data.every((v) => Math.abs(v + 3.25) < 1e-5)).toBe(true);
  });

  it('uses symmetric tent weights that sum to 1 (factor 2: 1/4, 1/2, 1/4)', () => {
    const w = tentWeights(12, 6);
    expect(Array.from(w[0].index)).toEqual([11, 0, 1]);
    expect(Array.from(w[0].weight)).toEqual([0.25, 0.5, 0.25]);
    for (const t of tentWeights(100, 7)) expect(t.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('keeps output points at i/m: an odd function stays odd about u = 0', () => {
    const g = downsampleGrid(
      gridOf([64, 1, 1], (u) => Math.sin(2 * Math.PI * u)),
      16,
    );
    expect(g.data[0]).toBeCloseTo(0, 6);
    expect(g.data[8]).toBeCloseTo(0, 6);
    // A cosine of one period loses under 2 % of its amplitude through a tent of half-width 1/16.
    expect(g.data[4]).toBeGreaterThan(0.98);
    expect(g.data[4]).toBeLessThanOrEqual(1);
  });
});

describe('binary bodies', () => {
  it('round-trips a header and Float32 values, padding the header to 4 bytes', () => {
    const values = new Float32Array([1.5, -2.25, 3e-8]);
    const body = packFloat32Body({ width: 3, name: 'x' }, values);
    expect((body.byteLength - 4) % 4).toBe(0);
    const { header, values: back } = parseFloat32Body(body);
    expect(header).toEqual({ width: 3, name: 'x' });
    expect(Array.from(back)).toEqual(Array.from(values));
  });
});

describe('slice geometry', () => {
  const slice = {
    origin: [0, 0, 5] as [number, number, number],
    u: [3, 0, 0] as [number, number, number],
    v: [-1.5, 2.598, 0] as [number, number, number],
    e1: [1, 0, 0] as [number, number, number],
    e2: [0, 1, 0] as [number, number, number],
    width: 30,
    height: 30,
  };

  it('spans the cell face with four corners', () => {
    expect(sliceCorners(slice)[2]).toEqual([1.5, 2.598, 5]);
  });

  it('draws +e2 up and maps image pixels onto the parallelogram', () => {
    const t = mapTransform(slice, { minX: -1.5, minY: 0, maxX: 3, maxY: 2.598 }, 450, 300);
    const [x0, y0] = t.toCanvas(0, 0);
    const [x1, y1] = t.toCanvas(0, 2.598);
    expect(y1).toBeLessThan(y0);
    expect(x1).toBeCloseTo(x0, 9);
    // Image point (30, 30) (the far corner of the image) lands on u + v.
    const [a, b, c, d, e, f] = t.image([0, 0]);
    const far = t.toCanvas(1.5, 2.598);
    expect(a * 30 + c * 30 + e).toBeCloseTo(far[0], 9);
    expect(b * 30 + d * 30 + f).toBeCloseTo(far[1], 9);
  });

  it('rotates EPDI windows by the hop angle', () => {
    const square = epdiWindowCorners(1, 2, 0, 2);
    expect(square[0]).toEqual([0, 1]);
    const rotated = epdiWindowCorners(0, 0, Math.PI / 4, Math.SQRT2);
    expect(rotated[0][0]).toBeCloseTo(0, 12);
    expect(rotated[0][1]).toBeCloseTo(-1, 12);
  });
});
