import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { run } from '@/cli/commands/inspect';

const FIXTURE = path.resolve(__dirname, '../../fixtures/neb/li-hop-3atoms');
const tmp = mkdtempSync(path.join(tmpdir(), 'epdi-inspect-neb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run `epdi inspect` with console output captured. */
async function inspect(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await run(parseArgs(argv));
    const text = (m: typeof log): string => m.mock.calls.map((c) => String(c[0])).join('\n');
    return { code, out: text(log), err: text(error) };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A copy of the fixture NEB folder, changed by `edit`. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = path.join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  edit(dir);
  return dir;
}

describe('epdi inspect <NEB folder>', () => {
  // Expected numbers derived by hand in tests/lib/formats/neb-table.test.ts (fixture li-hop-3atoms).
  test('prints the neb.dat table: distance, s, energy(sigma->0), E - E_00, and both barriers', async () => {
    const r = await inspect(FIXTURE);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`${FIXTURE}: NEB, 4 images; energies: energy(sigma->0) of each OUTCAR (or its 'energy' file)`);
    const rows = lines.slice(2, 6).map((l) => l.trim().split(/\s+/).slice(0, 5));
    expect(rows).toEqual([
      ['00', '0.000000', '0.000000', '-100.000000', '0.000000'],
      ['01', '1.000000', '0.212766', '-99.800000', '0.200000'],
      ['02', '2.700000', '0.574468', '-99.550000', '0.450000'],
      ['03', '4.700000', '1.000000', '-99.900000', '0.100000'],
    ]);
    expect(r.out).toContain('forward barrier  (max - E_00): 0.450000 eV (highest image 02)');
    expect(r.out).toContain('backward barrier (max - E_03): 0.350000 eV');
  });

  test('--json gives the same numbers', async () => {
    const r = await inspect(FIXTURE, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ file: FIXTURE, format: 'neb', energy: 'energy(sigma->0)', maxImage: 2 });
    expect(j.images).toHaveLength(4);
    [0, 1, 2.7, 4.7].forEach((d, i) => expect(j.images[i].distanceAngstrom).toBeCloseTo(d, 10));
    [0, 1 / 4.7, 2.7 / 4.7, 1].forEach((s, i) => expect(j.images[i].s).toBeCloseTo(s, 10));
    expect(j.images.map((x: { energyEv: number }) => x.energyEv)).toEqual([-100, -99.8, -99.55, -99.9]);
    expect(j.images[2].energyFile).toBe(path.join(FIXTURE, '02/OUTCAR.gz'));
    expect(j.forwardBarrierEv).toBeCloseTo(0.45, 10);
    expect(j.backwardBarrierEv).toBeCloseTo(0.35, 10);
  });

  test('--energy free reads free energy TOTEN', async () => {
    const j = JSON.parse((await inspect(FIXTURE, '--json', '--energy', 'free')).out);
    expect(j.energy).toBe('free energy TOTEN');
    expect(j.forwardBarrierEv).toBeCloseTo(0.47, 10);
    expect(j.backwardBarrierEv).toBeCloseTo(0.36, 10);
  });

  const noStep = ' vasp.6.3.0\n  free energy    TOTEN  =      -99.00000000 eV\n  (killed during the first SCF)\n';
  test.each([
    ['a missing image (00, 01, 03)', 'gap', (d: string) => rmSync(path.join(d, '02'), { recursive: true }), (d: string) => `${d}/02: expected image folders 00..03 without gaps`],
    ['an image without OUTCAR or energy', 'no-outcar', (d: string) => rmSync(path.join(d, '01/OUTCAR')), (d: string) => `${d}/01/OUTCAR: expected an OUTCAR or an energy file`],
    [
      'an OUTCAR without a finished ionic step',
      'unfinished',
      (d: string) => writeFileSync(path.join(d, '01/OUTCAR'), noStep),
      (d: string) => `${d}/01/OUTCAR: expected an OUTCAR with a finished ionic step`,
    ],
    ['an image without structure', 'no-poscar', (d: string) => rmSync(path.join(d, '03/POSCAR')), (d: string) => `${d}/03/POSCAR: expected CONTCAR or POSCAR`],
    ['a single image', 'single', (d: string) => ['01', '02', '03'].forEach((f) => rmSync(path.join(d, f), { recursive: true })), (d: string) => `${d}/00: expected folders 00 and 01 at least`],
  ])('%s: a message naming the folder or file, exit code 1, no stack trace', async (_name, dirName, edit, message) => {
    const dir = variant(dirName, edit);
    const r = await inspect(dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`epdi inspect: ${message(dir)}`);
    expect(r.err).not.toMatch(/\n\s+at /);
    const j = await inspect(dir, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ file: dir, error: { code: 'missing_file', message: message(dir) } });
  });

  test('a folder with no image folders says so (and points at NEB folders inside), instead of EISDIR', async () => {
    const dir = path.join(tmp, 'surface');
    mkdirSync(path.join(dir, 'neb'), { recursive: true });
    cpSync(FIXTURE, path.join(dir, 'neb/H-H'), { recursive: true });
    writeFileSync(path.join(dir, 'labels.csv'), 'site,kind,x,y,z,E_total_eV\n');
    let r = await inspect(dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `epdi inspect: ${dir}: expected image folders 00..NN (epdi inspect reads one file, or one NEB folder); NEB folders inside: ${path.join(dir, 'neb/H-H')}`,
    );
    r = await inspect(path.join(dir, 'neb'));
    expect(r.err).toContain(`NEB folders inside: ${path.join(dir, 'neb/H-H')}`);
    expect((await inspect(path.join(dir, 'neb/H-H'))).code).toBe(0);
  });

  test('a path that does not exist', async () => {
    const r = await inspect(path.join(tmp, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`epdi inspect: ${path.join(tmp, 'nowhere')}: no such file or folder`);
  });
});
