import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BOHR_TO_ANGSTROM, CubeParser, HARTREE_TO_EV, parseCube, writeCube, writeCubeChunks } from '@/lib/formats';
import type { Grid3D } from '@/lib/grid/grid3d';
import { fixture, thrown } from './helpers';

describe('Gaussian cube (hand-made: value = 0.001 Ha * file index, z fastest)', () => {
  const c = parseCube(fixture('hand.cube'), { fileName: 'hand.cube' });
  test('Bohr -> Angstrom, non-orthogonal voxel axes, origin-shifted atoms', () => {
    expect(c.grid.dims).toEqual([2, 3, 4]);
    // lattice row k = N_k * v_k * Bohr (by hand)
    expect(c.grid.lattice[0][0]).toBeCloseTo(2 * 0.5 * 0.529177210903, 12);
    expect(c.grid.lattice[1][0]).toBeCloseTo(3 * 0.25 * 0.529177210903, 12);
    expect(c.grid.lattice[1][1]).toBeCloseTo(3 * 0.433012701892219 * 0.529177210903, 12);
    expect(c.grid.lattice[2][2]).toBeCloseTo(4 * 0.75 * 0.529177210903, 12);
    expect(c.structure.species).toEqual(['Mo', 'S']);
    expect(c.structure.positions[1][2]).toBeCloseTo(1.5 * 0.529177210903, 12);
    expect(c.units).toBe('eV');
  });
  test('data transposed to x fastest, Hartree -> eV', () => {
    const [n1, n2, n3] = [2, 3, 4];
    for (let i = 0; i < n1; i++)
      for (let j = 0; j < n2; j++)
        for (let k = 0; k < n3; k++) {
          const fileIndex = k + n3 * (j + n2 * i);
          expect(c.grid.data[i + n1 * (j + n2 * k)]).toBeCloseTo(0.001 * fileIndex * 27.211386245988, 5);
        }
  });
  test('negative voxel counts mean Angstrom; density converts e/Bohr^3 -> e/A^3', () => {
    const text = fixture('hand.cube').toString().replace('\n    2    0.500000', '\n   -2    0.500000');
    const a = parseCube(text, { quantity: 'density' });
    expect(a.angstromInFile).toBe(true);
    expect(a.grid.lattice[0][0]).toBeCloseTo(1.0, 12);
    expect(a.grid.data[1]).toBeCloseTo((0.012 / BOHR_TO_ANGSTROM ** 3), 5);
  });
  test.each([
    ['truncated data', (t: string) => t.slice(0, t.length - 30), 'unexpected_eof'],
    ['extra values', (t: string) => `${t} 1.0\n`, 'wrong_count'],
    ['bad voxel line', (t: string) => t.replace('    3    0.250000', '    3    abc'), 'bad_number'],
    ['zero voxels', (t: string) => t.replace('\n    3    0.25', '\n    0    0.25'), 'bad_value'],
    ['NaN value', (t: string) => t.replace('1.00000E-03', 'nan'), 'bad_number'],
  ])('%s', (_n, mutate, code) => {
    const e = thrown(() => parseCube(mutate(fixture('hand.cube').toString()), { fileName: 'x.cube' }));
    expect(e.code).toBe(code);
    expect(e.line).toBeGreaterThan(0);
  });
});

describe('streaming cube reader', () => {
  const bytes = new Uint8Array(fixture('hand.cube'));
  test.each([1, 2, 7, 64, 4096])('in chunks of %i bytes it reads the hand-made values', (size) => {
    const parser = new CubeParser({ fileName: 'hand.cube' });
    for (let p = 0; p < bytes.length; p += size) parser.push(bytes.subarray(p, Math.min(bytes.length, p + size)));
    const c = parser.finish();
    expect(c.grid.dims).toEqual([2, 3, 4]);
    expect(c.structure.species).toEqual(['Mo', 'S']);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++) expect(c.grid.data[i + 2 * (j + 3 * k)]).toBeCloseTo(0.001 * (k + 4 * (j + 3 * i)) * 27.211386245988, 5);
  });
  test('a header that promises more points than the bytes left is refused before allocating', () => {
    const text = fixture('hand.cube').toString().replace('\n    2    0.500000', '\n 2000    0.500000');
    const e = thrown(() => parseCube(text, { fileName: 'x.cube' }));
    expect(e.code).toBe('too_large');
  });
  test('a file cut inside the header says so', () => {
    const parser = new CubeParser({ fileName: 'x.cube' });
    parser.push(bytes.subarray(0, 60));
    expect(thrown(() => parser.finish()).code).toBe('unexpected_eof');
  });
});

describe('cube write -> read round trip (fast-check)', () => {
  test('random odd grids on a skewed cell', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 })).chain((dims) =>
          fc.record({
            dims: fc.constant(dims),
            data: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: dims[0] * dims[1] * dims[2], maxLength: dims[0] * dims[1] * dims[2] }),
          }),
        ),
        ({ dims, data }) => {
          const grid: Grid3D = {
            dims,
            lattice: [
              [3.1, 0, 0],
              [-1.55, 2.68468, 0],
              [0.2, 0.1, 18],
            ],
            data: Float32Array.from(data),
          };
          const s = { comment: 'rt', lattice: grid.lattice, species: ['W', 'Se'], positions: [[0, 0, 9], [1.55, 0.89, 10.6]] as [number, number, number][] };
          const back = parseCube(writeCube(s, grid));
          expect(back.grid.dims).toEqual(dims);
          back.grid.data.forEach((x, i) => expect(Math.abs(x - grid.data[i])).toBeLessThan(1e-6 * (1 + Math.abs(grid.data[i]))));
          back.grid.lattice.forEach((r, i) => r.forEach((x, k) => expect(x).toBeCloseTo(grid.lattice[i][k], 5)));
          expect(back.structure.species).toEqual(['W', 'Se']);
        },
      ),
      { numRuns: 100 },
    );
    expect(HARTREE_TO_EV).toBe(27.211386245988);
  });

  test('the chunked writer splits only at line ends and each chunk holds at most linesPerChunk data lines', () => {
    // 2 x 3 x 7 grid: 6 z rows of 7 values = 6 rows x 2 lines (6 + 1 values) = 12 data lines.
    const dims: [number, number, number] = [2, 3, 7];
    const grid: Grid3D = {
      dims,
      lattice: [
        [3, 0, 0],
        [0, 3, 0],
        [0, 0, 7],
      ],
      data: Float32Array.from({ length: 42 }, (_, i) => i / 10 - 2),
    };
    const s = { comment: 'c', lattice: grid.lattice, species: ['Mo'], positions: [[0, 0, 3.5]] as [number, number, number][] };
    const chunks = [...writeCubeChunks(s, grid, { linesPerChunk: 5 })];
    const header = 2 + 1 + 3 + 1;
    expect(chunks[0].split('\n').length - 1).toBe(header);
    expect(chunks.slice(1).map((c) => c.split('\n').length - 1)).toEqual([5, 5, 2]);
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
    const whole = chunks.join('');
    expect(whole).toBe(writeCube(s, grid));
    const back = parseCube(whole);
    // value (i, j, k) = (i + 2 (j + 3 k)) / 10 - 2, whatever the order of the file
    expect(back.grid.data[1 + 2 * (2 + 3 * 6)]).toBeCloseTo((1 + 2 * (2 + 3 * 6)) / 10 - 2, 6);
  });
});
