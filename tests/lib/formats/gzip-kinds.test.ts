import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  parseCube,
  parseCubeStream,
  parseLabelsCsv,
  parseNebRun,
  parseOutcar,
  parseOutcarStream,
  parsePoscar,
  parseVasprun,
  parseVasprunStream,
  parseVolumetric,
  parseVolumetricStream,
  writePoscar,
  writeVolumetric,
} from '@/lib/formats';
import type { Structure } from '@/lib/structure/structure';
import { fixture, repoRoot, thrown } from './helpers';

/**
 * Every file kind the app reads gives the same value from its gzip-compressed bytes (node:zlib, independent of the
 * fflate inflater the readers use) as from the plain bytes, whatever the file is named: readers sniff the 1f 8b magic.
 */

const slab: Structure = {
  comment: 'MoS2 slab',
  lattice: [
    [3.16, 0, 0],
    [-1.58, 2.7366, 0],
    [0, 0, 20],
  ],
  species: ['Mo', 'S', 'S'],
  positions: [
    [0, 1.8244, 10],
    [1.58, 0.9122, 8.4],
    [1.58, 0.9122, 11.6],
  ],
};

/** A LOCPOT larger than one 16 KiB inflate slice, so the gzip stream spans many chunks. */
function bigLocpot(): string {
  const dims: [number, number, number] = [8, 8, 60];
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 37) * 3 - 1.25;
  return writeVolumetric(slab, dims, [data]);
}

const vasprun = `<?xml version="1.0" encoding="ISO-8859-1"?>
<modeling>
 <generator>
  <i name="version" type="string">6.3.0 </i>
 </generator>
 <calculation>
  <scstep>
   <energy>
    <i name="e_fr_energy">    -12.50000000 </i>
    <i name="e_wo_entrp">    -12.40000000 </i>
    <i name="e_0_energy">    -12.45000000 </i>
   </energy>
  </scstep>
  <energy>
   <i name="e_fr_energy">    -12.50000000 </i>
   <i name="e_wo_entrp">    -12.40000000 </i>
   <i name="e_0_energy">    -12.45000000 </i>
  </energy>
 </calculation>
</modeling>
`;

const enc = (s: string | Buffer): Uint8Array =>
  typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(s);

/** An async source of `bytes` in pieces: a 1-byte first chunk (the magic split across chunks), then `size`. */
async function* chunked(bytes: Uint8Array, size = 997): AsyncGenerator<Uint8Array> {
  if (bytes.length) yield bytes.subarray(0, 1);
  for (let p = 1; p < bytes.length; p += size) yield bytes.subarray(p, Math.min(bytes.length, p + size));
}

type Reader = (bytes: Uint8Array, fileName: string) => unknown;

const kinds: [string, string, () => Uint8Array, Reader][] = [
  ['POSCAR (VASP 5, CRLF)', 'POSCAR', () => enc(fixture('POSCAR.crlf')), (b, f) => parsePoscar(b, { fileName: f })],
  [
    'POSCAR (VASP 4)',
    'POSCAR',
    () => enc(fixture('POSCAR.vasp4')),
    (b, f) => parsePoscar(b, { fileName: f, species: ['W', 'Se'] }),
  ],
  ['CONTCAR', 'CONTCAR', () => enc(writePoscar(slab)), (b, f) => parsePoscar(b, { fileName: f })],
  ['LOCPOT', 'LOCPOT', () => enc(fixture('LOCPOT.forms')), (b, f) => parseVolumetric(b, { fileName: f })],
  ['LOCPOT (many chunks)', 'LOCPOT', () => enc(bigLocpot()), (b, f) => parseVolumetric(b, { fileName: f })],
  ['CHGCAR', 'CHGCAR', () => enc(bigLocpot()), (b, f) => parseVolumetric(b, { fileName: f })],
  ['cube', 'pot.cube', () => enc(fixture('hand.cube')), (b, f) => parseCube(b, { fileName: f })],
  ['OUTCAR', 'OUTCAR', () => enc(fixture('OUTCAR.steps')), (b, f) => parseOutcar(b, { fileName: f })],
  ['vasprun.xml', 'vasprun.xml', () => enc(vasprun), (b, f) => parseVasprun(b, { fileName: f })],
  ['labels.csv', 'labels.csv', () => enc(fixture('labels.csv')), (b, f) => parseLabelsCsv(b, { fileName: f })],
];

const streams: [string, string, () => Uint8Array, (src: AsyncIterable<Uint8Array>, f: string) => Promise<unknown>][] = [
  ['LOCPOT', 'LOCPOT', () => enc(bigLocpot()), (s, f) => parseVolumetricStream(s, { fileName: f })],
  ['cube', 'pot.cube', () => enc(fixture('hand.cube')), (s, f) => parseCubeStream(s, { fileName: f })],
  ['OUTCAR', 'OUTCAR', () => enc(fixture('OUTCAR.steps')), (s, f) => parseOutcarStream(s, { fileName: f })],
  ['vasprun.xml', 'vasprun.xml', () => enc(vasprun), (s, f) => parseVasprunStream(s, { fileName: f })],
];

describe('gzip input, every file kind', () => {
  test.each(kinds)('%s: the .gz bytes parse to the plain value', (_kind, name, plainBytes, read) => {
    const plain = plainBytes();
    const gz = new Uint8Array(gzipSync(plain));
    expect(gz[0]).toBe(0x1f);
    const expected = read(plain, name);
    expect(read(gz, `${name}.gz`)).toEqual(expected);
    // The name does not matter: the magic decides.
    expect(read(gz, name)).toEqual(expected);
  });

  test.each(streams)('%s stream: gzip chunks parse to the plain value', async (_kind, name, plainBytes, read) => {
    const plain = plainBytes();
    const gz = new Uint8Array(gzipSync(plain));
    const expected = await read(chunked(plain), name);
    expect(await read(chunked(gz), `${name}.gz`)).toEqual(expected);
    expect(await read(chunked(gz, 16), name)).toEqual(expected);
  });

  test('cube stream: the compressed size does not bound the grid (totalBytes is the plain size only)', async () => {
    const plain = enc(fixture('hand.cube'));
    const gz = new Uint8Array(gzipSync(plain));
    const expected = parseCube(plain);
    expect(await parseCubeStream(chunked(gz), { totalBytes: gz.length })).toEqual(expected);
  });

  test('NEB run: every image file gzipped (POSCAR, CONTCAR, OUTCAR, energy) reads as the plain run', () => {
    const dir = path.join(repoRoot, 'tests/fixtures/neb/li-hop-3atoms');
    const plain = new Map<string, Uint8Array>();
    for (const image of readdirSync(dir)) {
      for (const file of readdirSync(path.join(dir, image))) {
        const full = path.join(dir, image, file);
        if (!statSync(full).isFile()) continue;
        const bytes = readFileSync(full);
        // The fixture ships 02/OUTCAR.gz: the plain run gets it inflated by node:zlib.
        if (file.endsWith('.gz')) plain.set(`neb/h/${image}/${file.slice(0, -3)}`, new Uint8Array(gunzipSync(bytes)));
        else plain.set(`neb/h/${image}/${file}`, new Uint8Array(bytes));
      }
    }
    // An end point with an `energy` file instead of an OUTCAR.
    plain.delete('neb/h/03/OUTCAR');
    plain.set('neb/h/03/energy', enc(' -10.25\n'));
    const gz = new Map([...plain].map(([p, b]) => [`${p}.gz`, new Uint8Array(gzipSync(b))]));
    const expected = parseNebRun(plain);
    expect(expected.images[3].energyEv).toBe(-10.25);
    const got = parseNebRun(gz);
    expect(got.images.map((im) => im.energyEv)).toEqual(expected.images.map((im) => im.energyEv));
    expect(got.reactionCoordinate).toEqual(expected.reactionCoordinate);
    expect(got.images.map((im) => im.structure)).toEqual(expected.images.map((im) => im.structure));
  });

  test('a truncated gzip OUTCAR is a FormatError naming the file, not a silent empty run', () => {
    const gz = new Uint8Array(gzipSync(enc(fixture('OUTCAR.steps')))).subarray(0, 60);
    const e = thrown(() => parseOutcar(gz, { fileName: 'sites/a/OUTCAR.gz' }));
    expect(e.name).toBe('FormatError');
    expect(e.fileName).toBe('sites/a/OUTCAR.gz');
  });

  test('an OUTCAR with no finished ionic step: requireFinalEnergy names the last line', async () => {
    const { requireFinalEnergy } = await import('@/lib/formats');
    const text = ' vasp.6.3.0 18Jan22\n running on 4 total cores\n POSCAR = MoS2\n';
    const s = parseOutcar(new Uint8Array(gzipSync(enc(text))), { fileName: 'OUTCAR.gz' });
    const e = thrown(() => requireFinalEnergy(s, 'OUTCAR.gz'));
    expect(e).toMatchObject({ code: 'unexpected_eof', fileName: 'OUTCAR.gz', line: 3 });
  });
});
