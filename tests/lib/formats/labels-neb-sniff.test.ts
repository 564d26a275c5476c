import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { FormatError, formatErrorMessage, parseLabelsCsv, parseNebRun, sniffFormat, writeLabelsCsv, writePoscar } from '@/lib/formats';
import type { Structure } from '@/lib/structure/structure';
import { fixture, hasShared, shared, thrown } from './helpers';

describe('labels.csv', () => {
  test('typed rows, optional columns, quoted fields, extra columns kept, comments skipped', () => {
    const rows = parseLabelsCsv(fixture('labels.csv'), { fileName: 'labels.csv' });
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ site: 'hM1', kind: 'T_M', x: 1, y: 2, z: 13.5, totalEnergyEv: -401.25, method: 'relax', extra: { surface: 'MoS2' }, line: 3 });
    expect(rows[0].bindingEnergyEv).toBeUndefined();
    expect(rows[1].note).toBe('hollow, empty');
    expect(rows[2]).toMatchObject({ kind: 'bridge', bindingEnergyEv: -0.2, note: 'the "saddle"' });
    expect(rows[2].totalEnergyEv).toBeUndefined();
    const back = parseLabelsCsv(writeLabelsCsv(rows));
    expect(back.map(({ line: _l, ...r }) => r)).toEqual(rows.map(({ line: _l, ...r }) => r));
  });
  const head = 'site,kind,x,y,z,E_total_eV\n';
  test.each([
    ['missing column', 'site,kind,x,y,E_total_eV\n', 'bad_header', 1],
    ['unknown kind', `${head}a,top,0,0,0,-1\n`, 'bad_value', 2],
    ['bad number', `${head}a,H,0,zero,0,-1\n`, 'bad_number', 2],
    ['NaN energy', `${head}a,H,0,0,0,NaN\n`, 'bad_number', 2],
    ['no energy', `${head}a,H,0,0,0,\n`, 'bad_value', 2],
    ['wrong field count (CRLF)', `${head}a,H,0,0,0,-1\r\nb,H,0,0\r\n`.replace(head, head.replace('\n', '\r\n')), 'wrong_count', 3],
    ['duplicate site', `${head}a,H,0,0,0,-1\na,H,1,0,0,-1\n`, 'bad_value', 3],
    ['unterminated quote', `${head}"a,H,0,0,0,-1\n`, 'unexpected_eof', 2],
  ])('%s', (_n, text, code, line) => {
    const e = thrown(() => parseLabelsCsv(text, { fileName: 'labels.csv' }));
    expect(e.code).toBe(code);
    expect(e.line).toBe(line);
  });
});

const base: Structure = {
  comment: 'Li hop',
  lattice: [
    [10, 0, 0],
    [0, 10, 0],
    [0, 0, 10],
  ],
  species: ['Li', 'S'],
  positions: [
    [0.5, 5, 5],
    [5, 5, 5],
  ],
};
const moved = (dx: number): Structure => ({ ...base, positions: [[(0.5 + dx + 10) % 10, 5, 5], [5, 5, 5]] });

describe('NEB run', () => {
  test('orders images, prefers CONTCAR, reads OUTCAR or energy, reaction coordinate under minimum image', () => {
    const outcar = fixture('OUTCAR.steps');
    const files = {
      'neb/a/00/POSCAR': writePoscar(base),
      'neb/a/00/energy': '-10.0\n',
      'neb/a/01/POSCAR': writePoscar(base),
      'neb/a/01/CONTCAR': writePoscar(moved(-1)), // crosses the boundary: 0.5 -> 9.5 is 1 A under minimum image
      'neb/a/01/OUTCAR.gz': gzipSync(outcar),
      'neb/a/02/POSCAR': writePoscar(moved(-4)),
      'neb/a/02/energy': ' -9.5 ',
    };
    const run = parseNebRun(files);
    expect(run.images.map((i) => i.folder)).toEqual(['00', '01', '02']);
    expect(run.images[1].structureFile).toBe('neb/a/01/CONTCAR');
    expect(run.images.map((i) => i.energyEv)).toEqual([-10, -13.29, -9.5]);
    // by hand: steps 1 A and 3 A -> cumulative 0, 1, 4 -> s = 0, 0.25, 1; RMS over 2 atoms = d / sqrt(2)
    run.distanceAngstrom.forEach((d, i) => expect(d).toBeCloseTo([0, 1, 4][i], 10));
    run.reactionCoordinate.forEach((s, i) => expect(s).toBeCloseTo([0, 0.25, 1][i], 10));
    expect(run.rmsStepAngstrom[2]).toBeCloseTo(3 / Math.SQRT2, 10);
  });
  test('errors name the missing folder or file', () => {
    const e1 = thrown(() => parseNebRun({ '00/POSCAR': writePoscar(base), '00/energy': '1', '02/POSCAR': writePoscar(base), '02/energy': '1' }));
    expect(e1.code).toBe('missing_file');
    expect(e1.fileName).toBe('01');
    const e2 = thrown(() => parseNebRun({ '00/POSCAR': writePoscar(base), '00/energy': '1', '01/POSCAR': writePoscar(base) }));
    expect(e2.fileName).toBe('01/OUTCAR');
    expect(formatErrorMessage(e2 as FormatError)).toBe('01/OUTCAR: expected an OUTCAR or an energy file');
    const e3 = thrown(() => parseNebRun({ '00/energy': '1', '01/POSCAR': writePoscar(base), '01/energy': '2' }));
    expect(e3.fileName).toBe('00/POSCAR');
  });
});

describe('sniffFormat: name and content', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const poscar = writePoscar(base);
  test.each([
    ['POSCAR', poscar, 'poscar', 'both'],
    ['upload.bin', poscar, 'poscar', 'content'],
    ['LOCPOT', `${poscar}\n  2 1 1\n 1.0 2.0\n`, 'volumetric', 'both'],
    ['weird-name', `${poscar}\n  2 1 1\n 1.0 2.0\n`, 'volumetric', 'content'],
    ['OUTCAR', ' vasp.6.4.2 18Apr23\n running on 16 total cores\n', 'outcar', 'both'],
    ['vasprun.xml', '<?xml version="1.0"?>\n<modeling>\n', 'vasprun', 'both'],
    ['labels.csv', 'site,kind,x,y,z,E_total_eV\n', 'labels-csv', 'both'],
    ['energy', '-401.25\n', 'neb-energy', 'both'],
    ['meta.json', '{"host": "MoS2"}', 'meta-json', 'both'],
    ['pot.cube', fixture('hand.cube').toString(), 'cube', 'both'],
    ['CHGCAR', '', 'volumetric', 'name'],
    ['random.dat', 'hello world\nthis is text\n', 'unknown', 'none'],
    ['LOCPOT', '\x00\x01\x02binary', 'unknown', 'content'],
  ])('%s -> %s', (name, text, format, by) => {
    const r = sniffFormat(name, enc(text));
    expect(r.format).toBe(format);
    expect(r.by).toBe(by);
  });
  test('gzip-wrapped files are sniffed through the compression', () => {
    const r = sniffFormat('LOCPOT.gz', gzipSync(enc(`${poscar}\n  2 1 1\n 1.0 2.0\n`)));
    expect(r).toEqual({ format: 'volumetric', gzip: true, by: 'both' });
  });
  test.skipIf(!hasShared)('real files', () => {
    expect(sniffFormat('x', shared('macrodensity/CHGCAR.test').subarray(0, 4096)).format).toBe('volumetric');
    expect(sniffFormat('x', shared('mos2-5x5/mos2/pristine-mos2/OUTCAR').subarray(0, 4096)).format).toBe('outcar');
    expect(sniffFormat('CONTCAR', shared('mos2-5x5/mos2/pristine-mos2/CONTCAR')).format).toBe('poscar');
  });
});

describe('formatErrorMessage', () => {
  test('file, line, expected, got', () => {
    const e = new FormatError('bad_header', 'bad grid dimensions', { fileName: 'LOCPOT', line: 12, expected: '3 grid dimensions', got: 'abc' });
    expect(formatErrorMessage(e)).toBe("LOCPOT line 12: expected 3 grid dimensions, got 'abc'");
    expect(formatErrorMessage(new FormatError('unknown_format', 'not a VASP file'))).toBe('not a VASP file');
  });
});
