import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { hopProfile } from '@/lib/profile/profile';
import { compareNeb } from '@/lib/profile/neb-compare';
import {
  barrierCsvRow,
  barriersCsv,
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
const info = { dataset: 'demo, "v2"', muLi, modelId: 'densenet-ridge-1' };

const profile = hopProfile({
  id: 'h1',
  from: { energyEv: -1.2, source: 'dft', site: 'T_M-1' },
  saddle: { energyEv: -0.9, source: 'predicted', sigmaEv: 0.04, site: 'bridge-1' },
  to: { energyEv: -1.1, source: 'dft', site: 'H-1' },
});
const ctx: HopContext = { dataset: 'demo', surface: 'V@TiS2', host: 'TiS2', dopant: 'V', hop: 'h1', modelId: 'm1' };
const neb = { s: [0, 0.25, 0.5, 0.75, 1], energyEv: [-1.2, -1.0, -0.88, -0.97, -1.1] };

function parse(text: string): Papa.ParseResult<Record<string, unknown>> {
  return Papa.parse<Record<string, unknown>>(text, {
    header: true,
    comments: '#',
    skipEmptyLines: true,
    dynamicTyping: true,
  });
}

describe('profiles.csv', () => {
  const text = [...profilesCsv([...profileCsvRows(ctx, profile), ...nebCsvRows(ctx, neb)], info)].join('');

  test('starts with one # provenance line naming dataset, mu_Li, model and units', () => {
    const first = text.split('\n')[0];
    expect(first.startsWith('# epdi-lab profiles.csv v1; ')).toBe(true);
    expect(first).toContain('dataset=demo, "v2"');
    expect(first).toContain('mu_Li=bcc Li (mu_Li = -1.9 eV)');
    expect(first).toContain('model=densenet-ridge-1');
    expect(first).toContain('*_eV = eV');
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
    const rows = [barrierCsvRow(ctx, profile, cmp), barrierCsvRow({ ...ctx, hop: 'h2' }, profile)];
    const r = parse([...barriersCsv(rows, info)].join(''));
    expect(r.errors).toEqual([]);
    expect(r.meta.fields).toEqual([
      'dataset',
      'surface',
      'hop',
      'from_site',
      'saddle_site',
      'to_site',
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
      saddle_site: 'bridge-1',
      to_site: 'H-1',
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
    expect(text0(rows)).toContain('# epdi-lab barriers.csv v1');
  });
});

function text0(rows: ReturnType<typeof barrierCsvRow>[]): string {
  return [...barriersCsv(rows, info)].join('');
}

describe('sites.csv', () => {
  test('quotes awkward text and reads back every column', () => {
    const rows: SiteCsvRow[] = [
      {
        site: 'T_M,1',
        kind: 'T_M',
        xA: 1.5,
        yA: 0.866,
        zA: 11.5,
        mepV: -3.25,
        ebEv: -1.2,
        ebPredEv: -1.18,
        sigmaEv: 0.02,
        distToDopantA: 3.2,
      },
      {
        site: '#2 "odd"',
        kind: 'H',
        xA: 0,
        yA: 1.732,
        zA: 11.5,
        mepV: null,
        ebEv: null,
        ebPredEv: -1.1,
        sigmaEv: 0.03,
        distToDopantA: null,
      },
      {
        site: 'multi\nline',
        kind: 'bridge',
        xA: -0,
        yA: 1e-7,
        zA: 11.5,
        mepV: null,
        ebEv: null,
        ebPredEv: null,
        sigmaEv: null,
        distToDopantA: null,
      },
    ];
    const text = [...sitesCsv(rows, { dataset: 'demo' })].join('');
    expect(text.split('\n')[0]).toContain('mu_Li=unspecified; model=none');
    const r = parse(text);
    expect(r.errors).toEqual([]);
    expect(r.meta.fields).toEqual([
      'site',
      'kind',
      'x_A',
      'y_A',
      'z_A',
      'mep_V',
      'E_b_eV',
      'E_b_pred_eV',
      'sigma_eV',
      'dist_to_dopant_A',
    ]);
    expect(r.data).toHaveLength(3);
    expect(r.data[0]).toEqual({
      site: 'T_M,1',
      kind: 'T_M',
      x_A: 1.5,
      y_A: 0.866,
      z_A: 11.5,
      mep_V: -3.25,
      E_b_eV: -1.2,
      E_b_pred_eV: -1.18,
      sigma_eV: 0.02,
      dist_to_dopant_A: 3.2,
    });
    expect(r.data[1].site).toBe('#2 "odd"');
    expect(r.data[1].mep_V).toBeNull();
    expect(r.data[2].site).toBe('multi\nline');
    expect(r.data[2].x_A).toBe(0);
    expect(r.data[2].y_A).toBe(1e-7);
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
  ])('number %s -> %s', (v, s) => expect(formatCsvNumber(v)).toBe(s));

  test.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    [' lead', '" lead"'],
    ['#x', '"#x"'],
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
    const lines = barriersCsv(rows(), info);
    lines.next();
    lines.next();
    lines.next();
    expect(pulled).toBe(1); // comment, header, first row: only one row built so far
    const text = await new Response(csvStream(barriersCsv(rows(), info))).text();
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
    expect(j.schemaVersion).toBe(1);
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
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
