import { describe, expect, test } from 'vitest';
import { gzipSync, strToU8 } from 'fflate';
import {
  CubeParser,
  FormatError,
  VolumetricParser,
  parseCube,
  parseCubeStream,
  parseVolumetric,
  writeCube,
} from '@/lib/formats';
import { parsePoscar } from '@/lib/formats/poscar';
import type { Structure } from '@/lib/structure/structure';
import { thrown } from './helpers';

/** Issue 15, finding 3: what a small file can make the readers allocate. */

const cell: Structure = {
  comment: 'bounds',
  lattice: [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 20],
  ],
  species: ['Mo', 'S'],
  positions: [
    [0, 0, 10],
    [1.5, 1.5, 11.5],
  ],
};

function header(dims: string): string {
  return `bounds\n1.0\n3 0 0\n0 3 0\n0 0 20\nMo S\n1 1\nDirect\n0 0 0.5\n0.5 0.5 0.575\n\n${dims}\n`;
}

function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

describe('grid allocation follows the data (volumetric)', () => {
  test('a header declaring 400^3 points with 1,000 values behind it allocates no 256 MB grid', () => {
    const parser = new VolumetricParser({ fileName: 'LOCPOT' });
    const before = arrayBufferBytes();
    parser.push(strToU8(header('400 400 400')));
    parser.push(strToU8(`${Array.from({ length: 1000 }, (_, i) => (i * 0.001).toFixed(3)).join(' ')}\n`));
    const grown = arrayBufferBytes() - before;
    // 400^3 float32 = 256 MB when allocated up front (the old reader); the growing grid holds one 4 MiB step.
    expect(grown).toBeLessThan(32 * 1024 ** 2);
    const err = thrown(() => parser.finish());
    expect(err.code).toBe('unexpected_eof');
    expect((err as unknown as FormatError).message).toContain('after 1000 of 64000000 values');
  });

  test('a header declaring 640^3 points (1 GiB of float32) is refused by default before anything is allocated', () => {
    const parser = new VolumetricParser({ fileName: 'LOCPOT' });
    const err = thrown(() => parser.push(strToU8(header('640 640 640'))));
    expect(err.code).toBe('too_large');
    expect(err.line).toBe(12);
  });

  test('a grid of 1,050,000 values (past one 2^20 block) reads back value by value, plain and gzip', () => {
    const dims = [105, 100, 100];
    const n = 105 * 100 * 100;
    // Values i * 0.25 mod 1000 are exact in float32 and in the text.
    const body = Array.from({ length: n }, (_, i) => ((i * 0.25) % 1000).toString()).join(' ');
    const text = `${header(dims.join(' '))}${body}\n`;
    for (const input of [strToU8(text), gzipSync(strToU8(text))]) {
      const v = parseVolumetric(input, { fileName: 'LOCPOT' });
      expect(v.grid.data.length).toBe(n);
      for (const i of [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, n - 1])
        expect(v.grid.data[i]).toBe((i * 0.25) % 1000);
    }
  });
});

describe('grid allocation follows the data (cube)', () => {
  const grid = {
    dims: [4, 3, 5] as [number, number, number],
    lattice: cell.lattice,
    data: Float32Array.from({ length: 60 }, (_, i) => i / 7),
  };

  test('a gzip stream (size unknown) gives the same x-fastest grid as the plain file', async () => {
    const text = writeCube(cell, grid);
    const plain = parseCube(text);
    async function* one(): AsyncGenerator<Uint8Array> {
      yield gzipSync(strToU8(text));
    }
    const streamed = await parseCubeStream(one());
    expect(Array.from(streamed.grid.data)).toEqual(Array.from(plain.grid.data));
    // Independent check of the layout: value i/7 (Hartree) lands at x-fastest index i, in eV.
    expect(streamed.grid.data[7]).toBeCloseTo((7 / 7) * 1, 5);
  });

  test('a cube header declaring 400^3 points allocates nothing up front when its size is unknown', () => {
    const head = writeCube(cell, grid).split('\n').slice(0, 8);
    head[3] = head[3].replace(/^\s*4/, '  400');
    head[4] = head[4].replace(/^\s*3/, '  400');
    head[5] = head[5].replace(/^\s*5/, '  400');
    const parser = new CubeParser({ quantity: 'raw' });
    const before = arrayBufferBytes();
    parser.push(strToU8(`${head.join('\n')}\n1 2 3\n`));
    expect(arrayBufferBytes() - before).toBeLessThan(32 * 1024 ** 2);
    expect(thrown(() => parser.finish()).code).toBe('unexpected_eof');
  });

  test('maxAtoms refuses a cube with more atoms', () => {
    expect(thrown(() => parseCube(writeCube(cell, grid), { maxAtoms: 1 })).code).toBe('too_large');
  });
});

describe('atoms per structure', () => {
  test('maxAtoms refuses a POSCAR declaring more atoms, naming the counts line', () => {
    const text = `big\n1.0\n3 0 0\n0 3 0\n0 0 20\nMo\n1000000\nDirect\n${'0 0 0\n'.repeat(10)}`;
    const err = thrown(() => parsePoscar(text, { fileName: 'POSCAR', maxAtoms: 10_000 }));
    expect(err.code).toBe('too_large');
    expect(err.line).toBe(7);
    expect(err.expected).toBe('between 1 and 10000 atoms');
  });
});
