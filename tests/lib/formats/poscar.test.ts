import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parsePoscar, writePoscar, FormatError } from '@/lib/formats';
import type { Structure } from '@/lib/structure/structure';
import type { Mat3, Vec3 } from '@/lib/math/mat3';
import { fixture, hasShared, shared, thrown } from './helpers';

describe.skipIf(!hasShared)('real MoS2 5x5 POSCAR/CONTCAR (water-ice-group)', () => {
  test.each(['POSCAR', 'CONTCAR'])('reads %s: Mo25 S50, a = 15.625 A, c = 20 A', (name) => {
    const r = parsePoscar(shared(`mos2-5x5/mos2/pristine-mos2/${name}`), { fileName: name });
    const s = r.structure;
    expect(s.species.filter((x) => x === 'Mo')).toHaveLength(25);
    expect(s.species.filter((x) => x === 'S')).toHaveLength(50);
    expect(s.lattice[0][0]).toBeCloseTo(15.625, 10);
    expect(s.lattice[1]).toEqual([-7.8125, 13.531646934, 0]);
    expect(s.lattice[2][2]).toBeCloseTo(20, 10);
    // First atom: Direct 0.0666666588 0.1333333198 0.185987973 -> Cartesian by hand (row vector times lattice).
    const f = [0.0666666588, 0.1333333198, 0.185987973];
    expect(s.positions[0][0]).toBeCloseTo(f[0] * 15.625 + f[1] * -7.8125, 6);
    expect(s.positions[0][1]).toBeCloseTo(f[1] * 13.531646934, 6);
    expect(s.positions[0][2]).toBeCloseTo(f[2] * 20, 6);
    expect(r.speciesSource).toBe('file');
  });

  test('CONTCAR velocities block is ignored', () => {
    const r = parsePoscar(shared('mos2-5x5/mos2/pristine-mos2/CONTCAR'));
    expect(r.structure.positions).toHaveLength(75);
  });
});

describe('POSCAR variants', () => {
  test('VASP 4: species from the comment, negative scale = volume, selective dynamics, velocities ignored', () => {
    const r = parsePoscar(fixture('POSCAR.vasp4'), { fileName: 'POSCAR.vasp4' });
    expect(r.speciesSource).toBe('comment');
    expect(r.structure.species).toEqual(['Mo', 'S', 'S']);
    // raw volume 64, target 512 -> scale 2: a = 8 A.
    expect(r.structure.lattice[0][0]).toBeCloseTo(8, 12);
    expect(r.structure.positions[1]).toEqual([4, 4, 2]);
    expect(r.structure.selectiveDynamics).toEqual([
      [false, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  test('caller species win over the comment for VASP 4', () => {
    const r = parsePoscar(fixture('POSCAR.vasp4'), { species: ['W', 'Se'] });
    expect(r.structure.species).toEqual(['W', 'Se', 'Se']);
    expect(r.speciesSource).toBe('caller');
  });

  test('CRLF, tabs, Cartesian with scale 2, POTCAR suffix Li_sv', () => {
    const r = parsePoscar(fixture('POSCAR.crlf'));
    expect(r.structure.species).toEqual(['Li', 'O']);
    expect(r.coordinates).toBe('cartesian');
    expect(r.structure.lattice[1]).toEqual([0, 10, 0]);
    expect(r.structure.positions[1]).toEqual([5, 5, 5]);
  });

  test('VASP 4 without species anywhere gets placeholders, or an error when required', () => {
    const text = 'no species here\n1.0\n3 0 0\n0 3 0\n0 0 3\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n';
    expect(parsePoscar(text).structure.species).toEqual(['X1', 'X1']);
    expect(thrown(() => parsePoscar(text, { requireSpecies: true })).code).toBe('bad_header');
  });
});

describe('POSCAR bad input', () => {
  const good = 'c\n1.0\n3 0 0\n0 3 0\n0 0 3\nSi\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n';
  test.each([
    ['truncated positions', good.split('\n').slice(0, 9).join('\n'), 'unexpected_eof', 10],
    ['non-number lattice', good.replace('0 3 0', '0 x 0'), 'bad_number', 4],
    ['NaN coordinate', good.replace('0.5 0.5 0.5', 'NaN 0.5 0.5'), 'bad_number', 10],
    ['counts mismatch species', good.replace('Si\n2', 'Si O\n2'), 'wrong_count', 7],
    ['negative count', good.replace('Si\n2', 'Si\n-2'), 'bad_header', 7],
    ['degenerate lattice', good.replace('0 0 3', '0 0 0'), 'bad_value', 3],
    ['zero scale', good.replace('1.0', '0'), 'bad_value', 2],
    ['bad species line', good.replace('Si\n', 'S1!\n'), 'bad_header', 6],
  ])('%s', (_name, text, code, line) => {
    const e = thrown(() => parsePoscar(text, { fileName: 'POSCAR' }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.code).toBe(code);
    expect(e.line).toBe(line);
    expect(e.fileName).toBe('POSCAR');
  });
});

const finite = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const vec = (lo: number, hi: number) => fc.tuple(finite(lo, hi), finite(lo, hi), finite(lo, hi));

describe('POSCAR write -> read round trip (fast-check)', () => {
  test('random structures survive Direct and Cartesian writing', () => {
    const arb = fc.record({
      lattice: fc.tuple(vec(-2, 2), vec(-2, 2), vec(-2, 2)).map(([a, b, c]) => [
        [8 + a[0], a[1], a[2]],
        [b[0], 7 + b[1], b[2]],
        [c[0], c[1], 15 + c[2]],
      ] as Mat3),
      atoms: fc.array(fc.tuple(fc.constantFrom('Mo', 'S', 'Li', 'V', 'Te'), vec(0, 1), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean())), { minLength: 1, maxLength: 30 }),
      cartesian: fc.boolean(),
      selective: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ lattice, atoms, cartesian, selective }) => {
        const positions = atoms.map(([, f]) => [0, 1, 2].map((k) => f[0] * lattice[0][k] + f[1] * lattice[1][k] + f[2] * lattice[2][k]) as Vec3);
        const s: Structure = { comment: 'fc', lattice, species: atoms.map((a) => a[0]), positions };
        if (selective) s.selectiveDynamics = atoms.map((a) => a[2]);
        const back = parsePoscar(writePoscar(s, { cartesian })).structure;
        expect(back.species).toEqual(s.species);
        expect(back.selectiveDynamics).toEqual(s.selectiveDynamics);
        back.positions.forEach((p, i) => p.forEach((x, k) => expect(Math.abs(x - positions[i][k])).toBeLessThan(1e-9)));
        back.lattice.forEach((r, i) => r.forEach((x, k) => expect(x).toBeCloseTo(lattice[i][k], 12)));
      }),
      { numRuns: 200 },
    );
  });
});
