import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { hopProfile } from '@/lib/profile/profile';
import { compareNeb } from '@/lib/profile/neb-compare';
import {
  barrierCsvRow,
  barriersCsv,
  csvColumnsDoc,
  csvSidecar,
  csvSidecarName,
  csvStream,
  formatCsvCell,
  formatCsvNumber,
  nebCsvRows,
  profileCsvRows,
  profilesCsv,
  sitesCsv,
  type HopContext,
  type SiteCsvRow,
} from '@/lib/profile/csv';
import { buildJsonExport, sha256Hex } from '@/lib/profile/export-json';
import type { MuLiReference } from '@/lib/profile/binding';

const muLi: MuLiReference = { kind: 'bcc', muLiEv: -1.9 };

const profile = hopProfile({
  id: 'h1',
  from: { energyEv: -1.2, source: 'dft', site: 'T_M-1' },
  saddle: { energyEv: -0.9, source: 'predicted', sigmaEv: 0.04, site: 'bridge-1' },
  to: { energyEv: -1.1, source: 'dft', site: 'H-1' },
});
const ctx: HopContext = { dataset: 'demo', surface: 'V@TiS2', host: 'TiS2', dopant: 'V', hop: 'h1', modelId: 'm1' };
const neb = { s: [0, 0.25, 0.5, 0.75, 1], energyEv: [-1.2, -1.0, -0.88, -0.97, -1.1] };

/** papaparse with no comment handling: the files must read as plain RFC 4180. */
function parse(text: string): Papa.ParseResult<Record<string, unknown>> {
  return Papa.parse<Record<string, unknown>>(text, { header: true, skipEmptyLines: true, dynamicTyping: true });
}

describe('profiles.csv', () => {
  const text = [...profilesCsv([...profileCsvRows(ctx, profile), ...nebCsvRows(ctx, neb)])].join('');

  test('line 1 is the header: no comment line, no byte-order mark, every line ends with \\n', () => {
    expect(text.split('\n')[0]).toBe('dataset,surface,host,dopant,hop,s,energy_eV,sigma_eV,source,model_id');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\r');
    expect(text).not.toMatch(/^#/m);
  });

  test('reads back with papaparse: every column, unit header and row count', () => {
    const r = parse(text);
    expect(r.errors).toEqual([]);
    expect(r.meta.fields).toEqual([
      'dataset',
      'surface',
      'host',
      'dopant',
      'hop',
      's',
      'energy_eV',
      'sigma_eV',
      'source',
      'model_id',
    ]);
    expect(r.data).toHaveLength(21 + 5);
    const row10 = r.data[10];
    expect(row10).toEqual({
      dataset: 'demo',
      surface: 'V@TiS2',
      host: 'TiS2',
      dopant: 'V',
      hop: 'h1',
      s: 0.5,
      energy_eV: -0.9,
      sigma_eV: 0.04,
      source: 'predicted',
      model_id: 'm1',
    });
    for (let i = 0; i < 21; i++) {
      expect(r.data[i].s as number).toBeCloseTo(profile.s[i], 9);
      expect(r.data[i].energy_eV as number).toBeCloseTo(profile.energyEv[i], 9);
      expect(r.data[i].sigma_eV as number).toBeCloseTo(profile.sigmaEv![i], 9);
    }
    const nebRows = r.data.slice(21);
    expect(nebRows.map((d) => d.source)).toEqual(['neb', 'neb', 'neb', 'neb', 'neb']);
    expect(nebRows.map((d) => d.energy_eV)).toEqual(neb.energyEv);
    expect(nebRows.map((d) => d.sigma_eV)).toEqual([null, null, null, null, null]); // empty cell = not available
    expect(nebRows.map((d) => d.model_id)).toEqual([null, null, null, null, null]);
  });
});

describe('barriers.csv', () => {
  test('reads back with papaparse, with and without an NEB', () => {
    const cmp = compareNeb(neb, profile);
    const ids = { from: 'T_M-4', saddle: 'bridge-7', to: 'H-2' };
    const rows = [barrierCsvRow(ctx, profile, cmp, ids), barrierCsvRow({ ...ctx, hop: 'h2' }, profile)];
    const r = parse([...barriersCsv(rows)].join(''));
    expect(r.errors).toEqual([]);
    expect(r.meta.fields).toEqual([
      'dataset',
      'surface',
      'hop',
      'from_site',
      'from_site_id',
      'saddle_site',
      'saddle_site_id',
      'to_site',
      'to_site_id',
      'E_from_eV',
      'E_saddle_eV',
      'E_to_eV',
      'barrier_forward_eV',
      'barrier_backward_eV',
      'sigma_eV',
      'source',
      'neb_barrier_eV',
      'error_eV',
    ]);
    expect(r.data).toHaveLength(2);
    expect(r.data[0]).toEqual({
      dataset: 'demo',
      surface: 'V@TiS2',
      hop: 'h1',
      from_site: 'T_M-1',
      from_site_id: 'T_M-4',
      saddle_site: 'bridge-1',
      saddle_site_id: 'bridge-7',
      to_site: 'H-1',
      to_site_id: 'H-2',
      E_from_eV: -1.2,
      E_saddle_eV: -0.9,
      E_to_eV: -1.1,
      barrier_forward_eV: 0.3,
      barrier_backward_eV: 0.2,
      sigma_eV: 0.04,
      source: 'predicted',
      neb_barrier_eV: 0.32, // -0.88 - (-1.2)
      error_eV: -0.02, // 0.30 - 0.32
    });
    expect(r.data[1].neb_barrier_eV).toBeNull();
    expect(r.data[1].error_eV).toBeNull();
    // Without canonical ids, the knots' names stand for both.
    expect([r.data[1].from_site, r.data[1].from_site_id, r.data[1].to_site_id]).toEqual(['T_M-1', 'T_M-1', 'H-1']);
  });
});

/** A site row with the given overrides (every other field filled). */
function siteRow(over: Partial<SiteCsvRow>): SiteCsvRow {
  return {
    dataset: 'demo',
    surface: 'V@TiS2',
    site: 'T_M-1',
    siteId: 'T_M-1',
    kind: 'T_M',
    xA: 0,
    yA: 0,
    zA: 11.5,
    zPlaneA: 11.5,
    mepV: null,
    ebEv: null,
    ebPredEv: null,
    sigmaEv: null,
    distToDopantA: null,
    ...over,
  };
}

describe('sites.csv', () => {
  test('quotes awkward text and reads back every column', () => {
    const rows: SiteCsvRow[] = [
      siteRow({
        site: 'T_M,1',
        siteId: 'T_M-0',
        xA: 1.5,
        yA: 0.866,
        zA: 11.62,
        mepV: -3.25,
        ebEv: -1.2,
        ebPredEv: -1.18,
        sigmaEv: 0.02,
        distToDopantA: 3.2,
      }),
      siteRow({ site: '#2 "odd"', siteId: 'H-3', kind: 'H', yA: 1.732, ebPredEv: -1.1, sigmaEv: 0.03 }),
      siteRow({ site: 'multi\nline', siteId: 'bridge-5', kind: 'bridge', xA: -0, yA: 1e-7, zPlaneA: null }),
    ];
    const text = [...sitesCsv(rows)].join('');
    expect(text.split('\n')[0]).toBe(
      'dataset,surface,site,site_id,kind,x_A,y_A,z_A,z_plane_A,mep_eV,E_b_eV,E_b_pred_eV,sigma_eV,dist_to_dopant_A',
    );
    const r = parse(text);
    expect(r.errors).toEqual([]);
    expect(r.data).toHaveLength(3);
    expect(r.data[0]).toEqual({
      dataset: 'demo',
      surface: 'V@TiS2',
      site: 'T_M,1',
      site_id: 'T_M-0',
      kind: 'T_M',
      x_A: 1.5,
      y_A: 0.866,
      z_A: 11.62,
      z_plane_A: 11.5,
      mep_eV: -3.25,
      E_b_eV: -1.2,
      E_b_pred_eV: -1.18,
      sigma_eV: 0.02,
      dist_to_dopant_A: 3.2,
    });
    expect(r.data[1].site).toBe('#2 "odd"');
    expect(r.data[1].mep_eV).toBeNull();
    expect(r.data[2].site).toBe('multi\nline');
    expect(r.data[2].x_A).toBe(0);
    expect(r.data[2].y_A).toBe(1e-7);
    expect(r.data[2].z_plane_A).toBeNull();
  });
});

describe('cell formatting', () => {
  test.each([
    [0.30000000000000004, '0.3'],
    [-0, '0'],
    [Number.NaN, ''],
    [null, ''],
    [1234567.891234, '1234567.891'],
    [-5.773159728e-15, '0'],
    [1e-7, '1e-7'],
    [-1.5, '-1.5'], // a number is never neutralised, negative or not
    [-2e-7, '-2e-7'],
  ])('number %s -> %s', (v, s) => expect(formatCsvNumber(v)).toBe(s));

  test.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    [' lead', '" lead"'],
    ['#x', '"#x"'],
    ['V@TiS2', 'V@TiS2'], // only a leading formula character counts
    // OWASP CSV injection: = + - @ tab CR at the start get a leading single quote (then RFC 4180 quoting if needed)
    ['=1+1', "'=1+1"],
    ['+41', "'+41"],
    ['-1', "'-1"], // text that looks like a negative number is still text
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=a,b', `"'=a,b"`],
  ])('text %j -> %j', (v, s) => expect(formatCsvCell(v)).toBe(s));
});

describe('streaming', () => {
  test('rows are pulled lazily and a web stream yields the same bytes', async () => {
    let pulled = 0;
    function* rows(): Generator<ReturnType<typeof barrierCsvRow>> {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield barrierCsvRow({ ...ctx, hop: `h${i}` }, profile);
      }
    }
    const lines = barriersCsv(rows());
    lines.next();
    lines.next();
    lines.next();
    expect(pulled).toBe(2); // header and two rows: only two rows built so far
    const text = await new Response(csvStream(barriersCsv(rows()))).text();
    expect(parse(text).data).toHaveLength(1000);
  });
});

describe('JSON export', () => {
  test('same records as the CSV, keyed by column names, with provenance', async () => {
    const sha = await sha256Hex(new TextEncoder().encode('abc'));
    // FIPS 180-2 test vector for "abc"
    expect(sha).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const j = buildJsonExport({
      dataset: 'demo',
      muLi,
      model: { id: 'm1', backbone: 'mobilenet_v2', head: 'ridge' },
      settings: { samples: 21 },
      files: [{ path: 'V@TiS2/labels.csv', sha256: sha, bytes: 3 }],
      generatedAt: '2025-01-01T00:00:00.000Z',
      profiles: profileCsvRows(ctx, profile),
      barriers: [barrierCsvRow(ctx, profile)],
    });
    expect(j.schemaVersion).toBe(2);
    expect(j.provenance.muLi?.description).toBe('bcc Li (mu_Li = -1.9 eV)');
    expect(j.provenance.files[0].sha256).toBe(sha);
    expect(j.profiles).toHaveLength(21);
    expect(j.profiles[10]).toMatchObject({
      s: 0.5,
      energy_eV: -0.9,
      sigma_eV: 0.04,
      source: 'predicted',
      model_id: 'm1',
    });
    expect(j.barriers[0]).toMatchObject({ barrier_forward_eV: profile.barrierForwardEv, neb_barrier_eV: null });
    expect(j.sites).toEqual([]);
    expect(j.columns.barriers.map((c) => c.name)).toContain('error_eV');
    expect(j.columns.sites.find((c) => c.name === 'z_plane_A')?.unit).toBe('Angstrom');
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('JSON sidecar', () => {
  const sidecar = csvSidecar('sites', {
    dataset: 'demo',
    muLi: { kind: 'custom', muLiEv: -1.8654, note: "from the surfaces' meta.json" },
    model: { id: 'm1', name: 'densenet ridge' },
    files: [{ path: 'V@TiS2/POSCAR', sha256: 'ab'.repeat(32), bytes: 10 }],
    notes: ['E_b of 3 sites copied from symmetry-equivalent labelled sites'],
    generatedAt: '2025-01-01T00:00:00.000Z',
  });

  test('is named after its CSV and says the format, dataset, mu_Li record, model, files and notes', () => {
    expect(csvSidecarName('sites')).toBe('sites.json');
    expect(csvSidecarName('profiles')).toBe('profiles.json');
    expect(sidecar.format).toBe('epdi-lab sites.csv v2');
    expect(sidecar.file).toBe('sites.csv');
    expect(sidecar.dataset).toBe('demo');
    expect(sidecar.muLi).toEqual({
      kind: 'custom',
      muLiEv: -1.8654,
      source: null,
      note: "from the surfaces' meta.json",
      description: "custom (mu_Li = -1.8654 eV; from the surfaces' meta.json)",
    });
    expect(sidecar.model).toEqual({ id: 'm1', name: 'densenet ridge' });
    expect(sidecar.files).toEqual([{ path: 'V@TiS2/POSCAR', sha256: 'ab'.repeat(32), bytes: 10 }]);
    expect(sidecar.notes).toEqual(['E_b of 3 sites copied from symmetry-equivalent labelled sites']);
    expect(sidecar.generatedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(sidecar.csv).toMatchObject({ delimiter: ',', header: true, formulaPrefix: "'" });
    expect(JSON.parse(JSON.stringify(sidecar))).toEqual(sidecar);
  });

  test('lists every column of the CSV header with its unit and a description', () => {
    const header = [...sitesCsv([])][0].trimEnd().split(',');
    expect(sidecar.columns.map((c) => c.name)).toEqual(header);
    const unit = Object.fromEntries(sidecar.columns.map((c) => [c.name, c.unit]));
    expect(unit).toEqual({
      dataset: null,
      surface: null,
      site: null,
      site_id: null,
      kind: null,
      x_A: 'Angstrom',
      y_A: 'Angstrom',
      z_A: 'Angstrom',
      z_plane_A: 'Angstrom',
      mep_eV: 'eV',
      E_b_eV: 'eV',
      E_b_pred_eV: 'eV',
      sigma_eV: 'eV',
      dist_to_dopant_A: 'Angstrom',
    });
    expect(sidecar.columns.every((c) => c.description.length > 5)).toBe(true);
    expect(csvColumnsDoc('profiles').find((c) => c.name === 's')?.unit).toBe('dimensionless');
    expect(csvColumnsDoc('barriers').map((c) => c.name)).toEqual([...barriersCsv([])][0].trimEnd().split(','));
  });

  test("takes the app's mu_Li record {kind, valueEv, source, note} with the app's own description", () => {
    const record = { kind: 'bcc', valueEv: -1.9045, source: 'dataset', note: null };
    expect(csvSidecar('profiles', { dataset: 'd', muLi: record, muLiDescription: 'bcc Li, -1.9045 eV' }).muLi).toEqual({
      kind: 'bcc',
      muLiEv: -1.9045,
      source: 'dataset',
      note: null,
      description: 'bcc Li, -1.9045 eV',
    });
    expect(csvSidecar('profiles', { dataset: 'd', muLi: record }).muLi?.description).toBe(
      'bcc (mu_Li = -1.9045 eV; dataset)',
    );
    const unset = csvSidecar('profiles', { dataset: 'd', muLi: { kind: 'bcc', valueEv: null, source: 'none' } });
    expect(unset.muLi).toMatchObject({ kind: 'bcc', muLiEv: null, source: 'none' });
    expect(unset.notes).toEqual(['binding energies are on an unknown or mixed mu_Li reference']);
  });

  test('an unknown mu_Li and a bare model id are said so', () => {
    const s = csvSidecar('barriers', { dataset: 'x', modelId: 'm7', note: 're-referenced' });
    expect(s.muLi).toBeNull();
    expect(s.model).toEqual({ id: 'm7', name: null });
    expect(s.notes).toEqual(['re-referenced', 'binding energies are on an unknown or mixed mu_Li reference']);
    expect(Number.isNaN(Date.parse(s.generatedAt))).toBe(false);
  });
});
