/**
 * training-sites.csv in model zips: a model trained on one dataset, exported, names its training sites by the user's
 * labels.csv names (read back with Python's csv module and pandas, checked against the labels.csv the surfaces were
 * uploaded with, parsed by Python too); imported into a second dataset uploaded from the same folders (other
 * database ids), every training site is found by (surface, site name).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, datasetWithSurfaces, setupTempDatabase } from './helpers';
import { labelledSurfaceFiles } from './training-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: trainServer } = await import('@/app/api/datasets/[id]/models/train-server/route');
const { POST: importRoute } = await import('@/app/api/datasets/[id]/models/import/route');
const { GET: exportRoute } = await import('@/app/api/models/[id]/export/route');
const modelRoute = await import('@/app/api/models/[id]/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { db } = await import('@/lib/server/db');

const PYTHON = '/usr/bin/python3';
const pandasAvailable = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import pandas'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!pandasAvailable) console.warn('models-training-sites.test: no pandas for /usr/bin/python3; pandas checks skipped');

/**
 * Two surfaces from the same synthetic folder, each labels.csv renamed to the user's own names: a comma and quotes
 * in some (RFC 4180 quoting), the same names in both surfaces (so only (surface, site) identifies a site).
 */
const SURFACES = ['MoS2-V', 'MoS2-V copy'];
function userName(appId: string, i: number): string {
  return i % 3 === 0 ? `Li "hollow", ${appId.toLowerCase()}` : i % 3 === 1 ? `my site ${i}` : `s${i}@${appId}`;
}
function folders(): [string, string][] {
  return SURFACES.flatMap((name) =>
    labelledSurfaceFiles(name).files.map(([p, c]): [string, string] => {
      if (!p.endsWith('labels.csv')) return [p, c];
      const [head, ...rows] = c.trimEnd().split('\n');
      const renamed = rows.map((r, i) => {
        const [id, ...rest] = r.split(',');
        return [`"${userName(id, i).replace(/"/g, '""')}"`, ...rest].join(',');
      });
      return [p, [head, ...renamed].join('\n') + '\n'];
    }),
  );
}
const FILES = folders();

async function waitForJob(id: string): Promise<{ status: string; error: string | null; result: unknown }> {
  for (let i = 0; i < 1200; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

type PyRow = Record<string, string>;
interface PyOut {
  csv: { header: string[]; rows: PyRow[] };
  pandas: { columns: string[]; dtypes: Record<string, string>; records: Record<string, string | number | null>[] } | null;
  labels: Record<string, { site: string; kind: string; x: number; y: number; eb: number }[]>;
}

/**
 * Python reads the exported zip's training-sites.csv (csv.DictReader and pandas.read_csv, no options) and the
 * uploaded labels.csv files (csv.DictReader), computing E_b = E_total - E_slab - mu_Li from meta.json itself.
 */
const READER = String.raw`
import csv, io, json, sys, zipfile
zip_path, folder, use_pandas = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
text = zipfile.ZipFile(zip_path).read('training-sites.csv').decode('utf-8')
reader = csv.DictReader(io.StringIO(text, newline=''))
out = {'csv': {'header': reader.fieldnames, 'rows': list(reader)}, 'pandas': None, 'labels': {}}
if use_pandas:
    import pandas as pd
    df = pd.read_csv(io.StringIO(text))
    out['pandas'] = {'columns': list(df.columns), 'dtypes': {k: str(v) for k, v in df.dtypes.items()},
                     'records': json.loads(df.to_json(orient='records'))}
for name in sys.argv[4:]:
    meta = json.load(open(f'{folder}/{name}/meta.json'))
    with open(f'{folder}/{name}/labels.csv', newline='') as f:
        out['labels'][name] = [{'site': r['site'], 'kind': r['kind'], 'x': float(r['x']), 'y': float(r['y']),
                                'eb': float(r['E_total_eV']) - meta['E_slab_eV'] - meta['mu_Li_eV']}
                               for r in csv.DictReader(f)]
print(json.dumps(out))
`;

let datasetA = '';
let datasetB = '';
let modelId = '';
let exported = new Uint8Array();
let py: PyOut;

beforeAll(async () => {
  datasetA = await datasetWithSurfaces('trained here', FILES, { pixels: 16 });
  datasetB = await datasetWithSurfaces('imported there', FILES, { pixels: 16 });
  const res = await trainServer(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ spec: { type: 'mep-linear' }, protocol: { kind: 'none' } }) }),
    ctx({ id: datasetA }),
  );
  expect(res.status).toBe(202);
  const job = await waitForJob((await res.json()).jobId);
  expect(job.error).toBeNull();
  modelId = (job.result as { modelId: string }).modelId;
  exported = new Uint8Array(await (await exportRoute(new Request('http://x'), ctx({ id: modelId }))).arrayBuffer());
  const zipPath = path.join(temp.dir, 'model.zip');
  writeFileSync(zipPath, exported);
  for (const [p, c] of FILES) {
    const file = path.join(temp.dir, 'folders', p);
    execFileSync('mkdir', ['-p', path.dirname(file)]);
    writeFileSync(file, c);
  }
  py = JSON.parse(
    execFileSync(PYTHON, ['-c', READER, zipPath, path.join(temp.dir, 'folders'), pandasAvailable ? '1' : '0', ...SURFACES], {
      encoding: 'utf8',
    }),
  ) as PyOut;
}, 240_000);

describe('training-sites.csv in an exported model zip', () => {
  it('has the documented header and one row per training site', () => {
    expect(py.csv.header).toEqual(['surface', 'site', 'app_site', 'kind', 'x_A', 'y_A', 'E_b_eV', 'db_id']);
    // labelledSurfaceFiles labels every hollow (18) and 12 bridges per surface: 30 training sites each.
    expect(py.csv.rows).toHaveLength(60);
    expect(Object.values(py.labels).map((l) => l.length)).toEqual([30, 30]);
  });

  it("names every training site by the user's labels.csv name, with its kind, position and E_b", () => {
    for (const surface of SURFACES) {
      const rows = py.csv.rows.filter((r) => r.surface === surface);
      const labels = py.labels[surface];
      expect(rows.map((r) => r.site).sort()).toEqual(labels.map((l) => l.site).sort());
      for (const l of labels) {
        const r = rows.find((x) => x.site === l.site)!;
        expect(r.kind).toBe(l.kind);
        // The labels sit on the sites (labelledSurfaceFiles writes the site positions to 6 decimals).
        expect(Number(r.x_A)).toBeCloseTo(l.x, 5);
        expect(Number(r.y_A)).toBeCloseTo(l.y, 5);
        expect(Number(r.E_b_eV)).toBeCloseTo(l.eb, 6);
        // The app's own name is another one (T_M-.., H-.., bridge-..), of the same kind.
        expect(r.app_site).toMatch(new RegExp(`^${l.kind}-\\d+$`));
        expect(r.app_site).not.toBe(r.site);
      }
    }
  });

  it("lists exactly the model's training ids (meta.json trainIds) in db_id", () => {
    const meta = JSON.parse(strFromU8(unzipSync(exported)['meta.json'])) as { trainIds: string[] };
    expect(py.csv.rows.map((r) => r.db_id).sort()).toEqual([...meta.trainIds].sort());
  });

  it.skipIf(!pandasAvailable)('reads the same with pandas.read_csv and no options', () => {
    const pd = py.pandas!;
    expect(pd.columns).toEqual(py.csv.header);
    for (const c of ['x_A', 'y_A', 'E_b_eV']) expect(pd.dtypes[c]).toBe('float64');
    expect(pd.records.map((r) => [r.surface, r.site, r.kind])).toEqual(py.csv.rows.map((r) => [r.surface, r.site, r.kind]));
    expect(pd.records.map((r) => r.E_b_eV)).toEqual(py.csv.rows.map((r) => Number(r.E_b_eV)));
  });
});

describe('importing the zip into a dataset uploaded from the same folders', () => {
  async function importZip(id: string, zip: Uint8Array) {
    const res = await importRoute(new Request('http://x/import', { method: 'POST', body: new Uint8Array(zip) }), ctx({ id }));
    expect(res.status).toBe(201);
    return (await res.json()).model;
  }

  it('finds every training site by (surface, site name), none by id', async () => {
    const model = await importZip(datasetB, exported);
    expect(model.matchedTrainingSites).toBe(60);
    expect(model.trainingSiteMatch).toEqual({ total: 60, byId: 0, byName: 60, byAppSite: 0, unmatched: 0, csv: true });
    // The model page's listing shows the same.
    const view = (await (await modelRoute.GET(new Request('http://x'), ctx({ id: model.id }))).json()).model;
    expect(view.trainingSiteMatch).toEqual(model.trainingSiteMatch);
    expect(view.trainingSiteCount).toBe(60);
    // Its stored training ids are dataset B's sites, and they carry the same (surface, user name) pairs.
    const row = await db.model.findUniqueOrThrow({ where: { id: model.id }, select: { trainingSiteIdsJson: true } });
    const ids = JSON.parse(row.trainingSiteIdsJson) as string[];
    const sites = await db.site.findMany({
      where: { id: { in: ids } },
      select: { surface: { select: { name: true, datasetId: true } }, labels: { select: { provenance: true } } },
    });
    expect(sites).toHaveLength(60);
    expect(sites.every((s) => s.surface.datasetId === datasetB)).toBe(true);
    const pairs = sites.map((s) => `${s.surface.name}|${JSON.parse(s.labels[0].provenance).site}`).sort();
    expect(pairs).toEqual(py.csv.rows.map((r) => `${r.surface}|${r.site}`).sort());
    // Re-exported from B, the zip keeps the names it was trained with.
    const again = new Uint8Array(await (await exportRoute(new Request('http://x'), ctx({ id: model.id }))).arrayBuffer());
    expect(unzipSync(again)['training-sites.csv']).toEqual(unzipSync(exported)['training-sites.csv']);
  });

  it('finds them by id when imported back into the dataset it was trained on', async () => {
    const model = await importZip(datasetA, exported);
    expect(model.trainingSiteMatch).toEqual({ total: 60, byId: 60, byName: 0, byAppSite: 0, unmatched: 0, csv: true });
  });

  it('falls back on the app site name where a site name is not found (a label renamed in this dataset)', async () => {
    const files = unzipSync(exported);
    const text = strFromU8(files['training-sites.csv']);
    // Rename the user's names of the first surface's sites: only (surface, app_site) still finds them.
    const lines = text.split('\n');
    const renamed = lines.map((l, i) => (i > 0 && l.startsWith('MoS2-V,') ? l.replace(/^MoS2-V,("(?:[^"]|"")*"|[^,]*)/, 'MoS2-V,renamed') : l));
    const zip = zipSync({ ...files, 'training-sites.csv': new TextEncoder().encode(renamed.join('\n')) });
    const model = await importZip(datasetB, zip);
    // No site of MoS2-V is called 'renamed' here: its 30 rows are found by app site name, the copy's 30 by name.
    expect(model.trainingSiteMatch).toEqual({ total: 60, byId: 0, byName: 30, byAppSite: 30, unmatched: 0, csv: true });
  });

  it('refuses a zip whose training-sites.csv is broken (422 naming the file), storing nothing', async () => {
    const files = unzipSync(exported);
    const zip = zipSync({ ...files, 'training-sites.csv': new TextEncoder().encode('surface,site\nMoS2-V,"open quote\n') });
    const before = await db.model.count();
    const res = await importRoute(new Request('http://x/import', { method: 'POST', body: zip }), ctx({ id: datasetB }));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('bad_model_file');
    expect(error.message).toBe('training-sites.csv line 2: expected a closing quote');
    expect(await db.model.count()).toBe(before);
  });

  it('keeps importing old zips without training-sites.csv, matching by id only and saying so', async () => {
    const { ['training-sites.csv']: _csv, ...rest } = unzipSync(exported);
    const old = zipSync(rest);
    const there = await importZip(datasetB, old);
    expect(there.trainingSiteMatch).toEqual({ total: 60, byId: 0, byName: 0, byAppSite: 0, unmatched: 60, csv: false });
    expect(there.trainingSiteCount).toBe(60);
    const here = await importZip(datasetA, old);
    expect(here.trainingSiteMatch).toEqual({ total: 60, byId: 60, byName: 0, byAppSite: 0, unmatched: 0, csv: false });
    // Stored here, the old zip gains the CSV from this dataset's names.
    const back = unzipSync(new Uint8Array(await (await exportRoute(new Request('http://x'), ctx({ id: here.id }))).arrayBuffer()));
    expect(strFromU8(back['training-sites.csv'])).toBe(strFromU8(unzipSync(exported)['training-sites.csv']));
  });
});
