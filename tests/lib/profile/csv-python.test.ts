/**
 * The three CSV exports read by Python with no options: csv.DictReader (always; python3 is on every machine) and
 * pandas.read_csv (when pandas is installed). Expected values are written out by hand below: what a reader should
 * see in each cell, RFC 4180 unquoted and with formula starts neutralised by a leading single quote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  barriersCsv,
  profilesCsv,
  sitesCsv,
  type BarrierCsvRow,
  type ProfileCsvRow,
  type SiteCsvRow,
} from '@/lib/profile/csv';

const PYTHON = '/usr/bin/python3';

function hasPandas(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import pandas'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const pandasAvailable = hasPandas();
if (!pandasAvailable) {
  console.warn(`csv-python.test: '${PYTHON} -c "import pandas"' failed; the pandas.read_csv checks are skipped`);
}

const profiles: ProfileCsvRow[] = [
  {
    dataset: 'demo, "v2"',
    surface: '-V@TiS2',
    host: 'TiS2',
    dopant: 'V',
    hop: 'h,1',
    s: 0,
    energyEv: -1.2,
    sigmaEv: null,
    source: 'dft',
    modelId: null,
  },
  {
    dataset: 'demo, "v2"',
    surface: '-V@TiS2',
    host: 'TiS2',
    dopant: null,
    hop: 'h,1',
    s: 0.5,
    energyEv: -0.9,
    sigmaEv: 0.04,
    source: 'predicted',
    modelId: '@m1',
  },
];

const barriers: BarrierCsvRow[] = [
  {
    dataset: 'demo',
    surface: '+V@TiS2',
    hop: 'hop-0',
    fromSite: '=A1+B1',
    fromSiteId: 'T_M-0',
    saddleSite: 'S "one", 1',
    saddleSiteId: 'bridge-3',
    toSite: 'B\nsecond line',
    toSiteId: 'H-2',
    eFromEv: -1.2,
    eSaddleEv: -0.9,
    eToEv: -1.1,
    barrierForwardEv: 0.3,
    barrierBackwardEv: 0.2,
    sigmaEv: null,
    source: 'dft',
    nebBarrierEv: 0.32,
    errorEv: -0.02,
  },
];

const sites: SiteCsvRow[] = [
  {
    dataset: 'demo',
    surface: 'V@TiS2',
    site: '-1',
    siteId: 'T_M-0',
    kind: 'T_M',
    xA: -1.5,
    yA: 0.866,
    zA: 11.62,
    zPlaneA: 11.5,
    mepV: -3.25,
    ebEv: -1.2,
    ebPredEv: null,
    sigmaEv: null,
    distToDopantA: 3.2,
  },
  {
    dataset: 'demo',
    surface: 'V@TiS2',
    site: '@home\tx',
    siteId: 'H-1',
    kind: 'H',
    xA: 0,
    yA: 1e-7,
    zA: 11.5,
    zPlaneA: 11.5,
    mepV: null,
    ebEv: null,
    ebPredEv: -1.1,
    sigmaEv: 0.03,
    distToDopantA: null,
  },
];

/** Reads every `<name>.csv` of a folder; prints {name: {header, rows}} (csv.DictReader) and, with pandas,
 * {name: {columns, dtypes, records}} (pandas.read_csv(path), no options; NaN as null). */
const READER = String.raw`
import csv, json, sys
folder, use_pandas = sys.argv[1], sys.argv[2] == '1'
out = {'csv': {}, 'pandas': {}}
for name in ('profiles', 'barriers', 'sites'):
    p = f'{folder}/{name}.csv'
    with open(p, newline='', encoding='utf-8') as f:
        r = csv.DictReader(f)
        rows = list(r)
        out['csv'][name] = {'header': r.fieldnames, 'rows': rows}
    if use_pandas:
        import pandas as pd
        df = pd.read_csv(p)
        records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
                   for rec in df.astype(object).to_dict('records')]
        out['pandas'][name] = {'columns': list(df.columns), 'dtypes': {k: str(v) for k, v in df.dtypes.items()},
                               'records': records}
print(json.dumps(out))
`;

interface PyOut {
  csv: Record<string, { header: string[]; rows: Record<string, string>[] }>;
  pandas: Record<
    string,
    { columns: string[]; dtypes: Record<string, string>; records: Record<string, string | number | null>[] }
  >;
}

let dir = '';
let out: PyOut;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-csv-'));
  writeFileSync(path.join(dir, 'profiles.csv'), [...profilesCsv(profiles)].join(''));
  writeFileSync(path.join(dir, 'barriers.csv'), [...barriersCsv(barriers)].join(''));
  writeFileSync(path.join(dir, 'sites.csv'), [...sitesCsv(sites)].join(''));
  const text = execFileSync(PYTHON, ['-c', READER, dir, pandasAvailable ? '1' : '0'], { encoding: 'utf8' });
  out = JSON.parse(text) as PyOut;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Python's csv.DictReader", () => {
  it('reads profiles.csv: header on line 1, quoted commas and quotes, formula starts neutralised', () => {
    const { header, rows } = out.csv.profiles;
    expect(header).toEqual([
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
    expect(rows).toEqual([
      {
        dataset: 'demo, "v2"',
        surface: "'-V@TiS2",
        host: 'TiS2',
        dopant: 'V',
        hop: 'h,1',
        s: '0',
        energy_eV: '-1.2',
        sigma_eV: '',
        source: 'dft',
        model_id: '',
      },
      {
        dataset: 'demo, "v2"',
        surface: "'-V@TiS2",
        host: 'TiS2',
        dopant: '',
        hop: 'h,1',
        s: '0.5',
        energy_eV: '-0.9',
        sigma_eV: '0.04',
        source: 'predicted',
        model_id: "'@m1",
      },
    ]);
  });

  it('reads barriers.csv with user names beside canonical ids, a line break inside a cell', () => {
    const { header, rows } = out.csv.barriers;
    expect(header).toEqual([
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
    expect(rows).toEqual([
      {
        dataset: 'demo',
        surface: "'+V@TiS2",
        hop: 'hop-0',
        from_site: "'=A1+B1",
        from_site_id: 'T_M-0',
        saddle_site: 'S "one", 1',
        saddle_site_id: 'bridge-3',
        to_site: 'B\nsecond line',
        to_site_id: 'H-2',
        E_from_eV: '-1.2',
        E_saddle_eV: '-0.9',
        E_to_eV: '-1.1',
        barrier_forward_eV: '0.3',
        barrier_backward_eV: '0.2',
        sigma_eV: '',
        source: 'dft',
        neb_barrier_eV: '0.32',
        error_eV: '-0.02',
      },
    ]);
  });

  it('reads sites.csv: negative numbers stay numbers, text that looks like one is neutralised', () => {
    const { header, rows } = out.csv.sites;
    expect(header).toEqual([
      'dataset',
      'surface',
      'site',
      'site_id',
      'kind',
      'x_A',
      'y_A',
      'z_A',
      'z_plane_A',
      'mep_eV',
      'E_b_eV',
      'E_b_pred_eV',
      'sigma_eV',
      'dist_to_dopant_A',
    ]);
    expect(rows.map((r) => [r.site, r.site_id, r.x_A, r.y_A, r.z_A, r.z_plane_A, r.mep_eV, r.E_b_eV])).toEqual([
      ["'-1", 'T_M-0', '-1.5', '0.866', '11.62', '11.5', '-3.25', '-1.2'],
      ["'@home\tx", 'H-1', '0', '1e-7', '11.5', '11.5', '', ''],
    ]);
    expect(rows[1].E_b_pred_eV).toBe('-1.1');
    expect(rows[0].dist_to_dopant_A).toBe('3.2');
  });
});

describe.skipIf(!pandasAvailable)('pandas.read_csv with no options', () => {
  it('reads the header of every file and numeric columns as numbers', () => {
    expect(out.pandas.profiles.columns).toEqual(out.csv.profiles.header);
    expect(out.pandas.barriers.columns).toEqual(out.csv.barriers.header);
    expect(out.pandas.sites.columns).toEqual(out.csv.sites.header);
    for (const c of ['s', 'energy_eV', 'sigma_eV']) expect(out.pandas.profiles.dtypes[c]).toBe('float64');
    for (const c of ['E_from_eV', 'barrier_forward_eV', 'error_eV'])
      expect(out.pandas.barriers.dtypes[c]).toBe('float64');
    for (const c of ['x_A', 'y_A', 'z_A', 'z_plane_A', 'mep_eV', 'E_b_eV']) {
      expect(out.pandas.sites.dtypes[c]).toBe('float64');
    }
  });

  it('reads the values: quoted text, empty cells as NaN, negative numbers', () => {
    expect(out.pandas.profiles.records.map((r) => [r.dataset, r.surface, r.hop, r.energy_eV, r.sigma_eV])).toEqual([
      ['demo, "v2"', "'-V@TiS2", 'h,1', -1.2, null],
      ['demo, "v2"', "'-V@TiS2", 'h,1', -0.9, 0.04],
    ]);
    expect(out.pandas.barriers.records[0]).toMatchObject({
      from_site: "'=A1+B1",
      saddle_site: 'S "one", 1',
      to_site: 'B\nsecond line',
      to_site_id: 'H-2',
      barrier_forward_eV: 0.3,
      sigma_eV: null,
      error_eV: -0.02,
    });
    expect(out.pandas.sites.records.map((r) => [r.site, r.x_A, r.y_A, r.z_A, r.mep_eV])).toEqual([
      ["'-1", -1.5, 0.866, 11.62, -3.25],
      ["'@home\tx", 0, 1e-7, 11.5, null],
    ]);
  });
});
