import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import {
  FormatError,
  VolumetricParser,
  chargeDensityPerA3,
  formatVaspNumber,
  parseVolumetric,
  parseVolumetricStream,
  writeVolumetric,
  writeVolumetricChunks,
} from '@/lib/formats';
import type { Structure } from '@/lib/structure/structure';
import { fixture, hasShared, shared, thrown } from './helpers';

function planarAverageC(data: Float32Array, dims: [number, number, number]): number[] {
  const [nx, ny, nz] = dims;
  const out: number[] = [];
  for (let k = 0; k < nz; k++) {
    let s = 0;
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) s += data[i + nx * (j + ny * k)];
    out.push(s / (nx * ny));
  }
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, Math.min(bytes.length, p + size));
}

describe.skipIf(!hasShared)('MacroDensity CHGCAR.test (values asserted upstream in tests/unit_tests.py)', () => {
  const v = hasShared ? parseVolumetric(shared('macrodensity/CHGCAR.test'), { fileName: 'CHGCAR.test' }) : undefined!;
  test('ngx 56, charge[0] and charge[56^3 - 1], lattice[0][0] = 2.715', () => {
    expect(v.kind).toBe('CHGCAR');
    expect(v.dims).toEqual([56, 56, 56]);
    expect(v.grid.data[0]).toBeCloseTo(-7.6010173913, 5);
    expect(v.grid.data[56 ** 3 - 1]).toBeCloseTo(-4.4496715627, 5);
    expect(v.structure.lattice[0][0]).toBeCloseTo(2.715, 10);
    expect(v.augmentationSkipped).toBe(true);
    expect(v.spin).toBeUndefined();
  });
  test('electrons = sum / N = 8.0000 (4 places); e/A^3 integrates to the same', () => {
    let s = 0;
    for (const x of v.grid.data) s += x;
    expect(s / v.grid.data.length).toBeCloseTo(8.0, 4);
    const rho = chargeDensityPerA3(v.grid);
    let t = 0;
    for (const x of rho.data) t += x;
    // reference_values_numpy.txt: volume 40.025752 A^3
    expect((t * 40.025752) / rho.data.length).toBeCloseTo(8.0, 3);
  });
  test('planar average along c matches reference_values_numpy.txt', () => {
    const pa = planarAverageC(v.grid.data, v.dims);
    [10.258749, 10.783063, 11.284091, 11.737034, 12.118077].forEach((x, k) => expect(pa[k]).toBeCloseTo(x, 4));
    const max = Math.max(...pa);
    expect(max).toBeCloseTo(12.647301, 4);
    expect(pa.indexOf(max)).toBe(7);
  });
});

describe.skipIf(!hasShared)('MacroDensity LOCPOT.test (32^3, numbers from reference_values_numpy.txt)', () => {
  const bytes = hasShared ? shared('macrodensity/LOCPOT.test') : new Uint8Array();
  test('dims, first/last, min/max/mean, planar average', () => {
    const v = parseVolumetric(bytes, { fileName: 'LOCPOT.test' });
    expect(v.kind).toBe('LOCPOT');
    expect(v.units).toBe('eV');
    expect(v.dims).toEqual([32, 32, 32]);
    expect(v.structure.species).toEqual(['Zn', 'S']);
    const d = v.grid.data;
    expect(d[0]).toBeCloseTo(-2.050412843, 5);
    expect(d[d.length - 1]).toBeCloseTo(-4.04917006, 5);
    expect(Math.min(...d)).toBeCloseTo(-102.173996, 4);
    expect(Math.max(...d)).toBeCloseTo(6.564685, 5);
    const pa = planarAverageC(d, v.dims);
    [0.145556, 0.737717, 1.069323, 1.377554, 1.667605].forEach((x, k) => expect(pa[k]).toBeCloseTo(x, 5));
    expect(pa.indexOf(Math.max(...pa))).toBe(13);
  });
  test('the same grid from 1-byte, 7-byte and 64 KiB chunks, and from gzip', async () => {
    const ref = parseVolumetric(bytes).grid.data;
    for (const size of [1, 7, 65536]) {
      const v = await parseVolumetricStream(chunks(bytes, size), { fileName: 'LOCPOT' });
      expect(v.grid.data).toEqual(ref);
    }
    const gz = gzipSync(bytes);
    expect(parseVolumetric(gz).grid.data).toEqual(ref);
    expect((await parseVolumetricStream(chunks(gz, 999))).grid.data).toEqual(ref);
  });
  test('progress reaches the total', async () => {
    const seen: number[] = [];
    await parseVolumetricStream(chunks(bytes, 4096), { totalBytes: bytes.length, onProgress: (c) => seen.push(c) });
    expect(seen[seen.length - 1]).toBe(bytes.length);
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe.skipIf(!hasShared)('MacroDensity PARCHG.test: 10 values per line and a second grid', () => {
  test('both grids read: the file repeats 1..9,0', () => {
    const v = parseVolumetric(shared('macrodensity/PARCHG.test'), { fileName: 'PARCHG.test' });
    expect(v.dims).toEqual([5, 5, 5]);
    expect(v.structure.positions).toHaveLength(135);
    const expected = Array.from({ length: 125 }, (_, i) => (i + 1) % 10);
    expect([...v.grid.data]).toEqual(expected);
    expect(v.spin && [...v.spin.data]).toEqual(expected);
  });
});

describe('number forms (hand-made LOCPOT.forms)', () => {
  test('E, e, D, missing-E Fortran exponent, integer, tabs', () => {
    const v = parseVolumetric(fixture('LOCPOT.forms'), { fileName: 'LOCPOT.forms' });
    expect(v.dims).toEqual([3, 2, 1]);
    expect([...v.grid.data]).toEqual([1.2345678901, -0.5, 0.0015, 250, -0, 7].map(Math.fround));
  });
  test.each([
    [0, ' 0.00000000000E+00'],
    [-7.6010173913, ' -.76010173913E+01'],
    [-0, ' -.00000000000E+00'],
    [0.054060303633, ' 0.54060303633E-01'],
    [1.5e-120, ' 0.15000000000-119'],
    [1.2345e100, ' 0.12345000000+101'],
    [9.99999999999e99, ' 0.10000000000+101'], // 12 digits round up
  ])('formatVaspNumber(%s) = %j', (x, s) => expect(formatVaspNumber(x)).toBe(s));
});

const header = 'bad\n1.0\n2 0 0\n0 2 0\n0 0 2\nH\n1\nDirect\n0 0 0\n\n';
const gridText = (dims: string, values: string) => `${header}${dims}\n${values}\n`;

describe('bad volumetric input gives a typed FormatError with a line', () => {
  test.each([
    ['truncated data', gridText('2 2 1', '1.0 2.0 3.0 '), 'unexpected_eof', 13],
    ['a grid larger than the bytes left', gridText('2 2 2', '1 2 3 4 5\n6 7'), 'too_large', 11],
    ['too many values on the last line', gridText('2 2 1', '1 2 3 4 5'), 'wrong_count', 12],
    ['a word among numbers', gridText('2 1 1', '1.0 abc'), 'bad_number', 12],
    ['NaN', gridText('2 1 1', '1.0\nNaN'), 'bad_number', 13],
    ['Infinity', gridText('2 1 1', 'Infinity 1'), 'bad_number', 12],
    ['***** overflow', gridText('2 1 1', '1.0 *****'), 'bad_number', 12],
    ['float32 overflow', gridText('2 1 1', '1.0 1.0E+50'), 'bad_number', 12],
    ['zero dimension', gridText('2 0 1', '1'), 'bad_value', 11],
    ['negative dimension', gridText('2 -1 1', '1'), 'bad_value', 11],
    ['two dimensions', gridText('2 1', '1'), 'bad_header', 11],
    ['non-integer dimension', gridText('2 1.5 1', '1'), 'bad_header', 11],
    ['header cut', header.slice(0, 30), 'unexpected_eof', 8],
    ['binary garbage', '\x00\x01\x02\xff\xfe garbage\n', 'bad_header', 1],
    ['CRLF and tabs are fine, but a missing value is not', gridText('3 1 1', '1\t2').replace(/\n/g, '\r\n'), 'unexpected_eof', 13],
  ])('%s', (_n, text, code, line) => {
    const e = thrown(() => parseVolumetric(text, { fileName: 'LOCPOT' }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.code).toBe(code);
    expect(e.line).toBe(line);
    expect(e.fileName).toBe('LOCPOT');
  });

  test('CRLF and tabs read correctly', () => {
    const v = parseVolumetric(gridText('3 1 1', '1\t2\r\n 3').replace(/\n/g, '\r\n'));
    expect([...v.grid.data]).toEqual([1, 2, 3]);
  });

  test('a 10^10-point header is refused before allocating (maxPoints and bytes present)', () => {
    const text = gridText('10000 10000 100', '1 2 3');
    const e = thrown(() => parseVolumetric(text, { maxPoints: 1e12 }));
    expect(e.code).toBe('too_large');
    expect(e.line).toBe(11);
    const p = new VolumetricParser({ maxPoints: 1e6 });
    expect(thrown(() => p.push(new TextEncoder().encode(text))).code).toBe('too_large');
  });

  test('a gzip bomb stops at the decompression cap', () => {
    const bomb = gzipSync(new TextEncoder().encode(`${gridText('1000 1000 100', '')}${' 0'.repeat(4_000_000)}`));
    const e = thrown(() => parseVolumetric(bomb, { maxDecompressedBytes: 1_000_000 }));
    expect(e.code).toBe('too_large');
  });

  test('a corrupt or truncated gzip stream is an error, not a hang', () => {
    const gz = gzipSync(new TextEncoder().encode(gridText('2 1 1', '1 2')));
    const e = thrown(() => parseVolumetric(gz.subarray(0, gz.length - 12)));
    expect(['unexpected_eof', 'bad_header']).toContain(e.code);
  });
});

const structure: Structure = {
  comment: 'round trip',
  lattice: [
    [3.2, 0, 0],
    [-1.6, 2.77128, 0],
    [0, 0, 20],
  ],
  species: ['Mo', 'S', 'S'],
  positions: [
    [0, 0, 10],
    [1.6, 0.92376, 11.56],
    [1.6, 0.92376, 8.44],
  ],
};

/** Every spelling a Fortran program (or a person) may use for a value. */
function spell(x: number, form: number): string {
  const m = Math.abs(x).toExponential(12);
  const [mant, e] = m.split('e');
  const ex = Number(e);
  const sign = x < 0 ? '-' : '';
  switch (form) {
    case 0:
      return formatVaspNumber(x).trim();
    case 1:
      return `${sign}${mant}e${ex}`;
    case 2:
      return `${sign}${mant}D${ex >= 0 ? '+' : '-'}${Math.abs(ex)}`;
    case 3: {
      const digits = mant.replace('.', '');
      return `${sign}0.${digits}${ex + 1 >= 0 ? '+' : '-'}${String(Math.abs(ex + 1)).padStart(3, '0')}`; // 0.123-045
    }
    default:
      return String(x);
  }
}

describe('volumetric write -> read round trip (fast-check)', () => {
  test('random odd grids written by writeVolumetric read back bit-exact as float32', () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.boolean())
      .chain(([nx, ny, nz, spin]) =>
        fc.record({
          dims: fc.constant([nx, ny, nz] as [number, number, number]),
          grids: fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: nx * ny * nz, maxLength: nx * ny * nz }), {
            minLength: spin ? 2 : 1,
            maxLength: spin ? 2 : 1,
          }),
          perLine: fc.constantFrom(5, 10, 1, 3),
        }),
      );
    fc.assert(
      fc.property(arb, ({ dims, grids, perLine }) => {
        const f32 = grids.map((g) => Float32Array.from(g));
        const v = parseVolumetric(writeVolumetric(structure, dims, f32, { perLine }));
        expect(v.dims).toEqual(dims);
        expect(v.grid.data).toEqual(f32[0]);
        if (f32.length > 1) expect(v.spin!.data).toEqual(f32[1]);
        else expect(v.spin).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  test('the chunked writer splits only at line ends, at most linesPerChunk value lines a chunk, per grid', () => {
    const dims: [number, number, number] = [3, 4, 2]; // 24 values: 5 lines of 5, the last with 4
    const grids = [Float32Array.from({ length: 24 }, (_, i) => i - 7.5), Float32Array.from({ length: 24 }, (_, i) => i / 3)];
    const parts = [...writeVolumetricChunks(structure, dims, grids, { linesPerChunk: 2 })];
    expect(parts.join('')).toBe(writeVolumetric(structure, dims, grids));
    const valueChunks = parts.filter((p) => p.startsWith(' 0.') || p.startsWith(' -.'));
    // per grid: 5 value lines in chunks of 2, 2 and 1
    expect(valueChunks.map((c) => c.split('\n').length - 1)).toEqual([2, 2, 1, 2, 2, 1]);
    for (const c of valueChunks) for (const line of c.split('\n').slice(0, -1)) expect(line.length % 18).toBe(0);
    expect(parseVolumetric(parts.join('')).spin!.data).toEqual(grids[1]);
  });

  test('every number form, mixed per value, reads as the float32 of the value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1e30, max: 1e30, noNaN: true }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(' ', '\t', '\n', '\r\n', '  ')), {
          minLength: 1,
          maxLength: 40,
        }),
        (vals) => {
          const body = vals.map(([x, f, sep]) => `${spell(x, f)}${sep}`).join('');
          const v = parseVolumetric(`${header}${vals.length} 1 1\n${body}\n`);
          const want = vals.map(([x]) => Math.fround(Number(x.toExponential(12))));
          [...v.grid.data].forEach((got, i) => {
            const w = want[i];
            expect(Math.abs(got - w)).toBeLessThanOrEqual(Math.abs(w) * 1.2e-7);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
