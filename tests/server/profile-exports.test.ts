/**
 * GET /api/datasets/[id]/export/<name>.csv and its sidecar <name>.json on a small seeded dataset: plain RFC 4180
 * (header on line 1), the user's label name beside the canonical site id, and provenance in the sidecar.
 *
 * Seed: the doped 3x3 MoS2 of ./surface-files.ts with one label of our own, named `=a,1` (a formula start and a comma)
 * on the T_M site above the first metal, with a relaxed Li z 1.62 A above the top S layer (the extraction plane is
 * at 1.5 A, the default), E_total -190.5 eV; meta.json E_slab -188 eV, mu_Li -1.9 eV, so E_b = -0.6 eV.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSites } from '@/lib/surface';
import { ctx, datasetWithSurfaces, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { GET: exportFile } = await import('@/app/api/datasets/[id]/export/[file]/route');
const { GET: exportJson } = await import('@/app/api/datasets/[id]/export.json/route');

const SITES_HEADER =
  'dataset,surface,site,site_id,kind,x_A,y_A,z_A,z_plane_A,mep_eV,E_b_eV,E_b_pred_eV,sigma_eV,dist_to_dopant_A';
const BARRIERS_HEADER =
  'dataset,surface,hop,from_site,from_site_id,saddle_site,saddle_site_id,to_site,to_site_id,E_from_eV,E_saddle_eV,' +
  'E_to_eV,barrier_forward_eV,barrier_backward_eV,sigma_eV,source,neb_barrier_eV,error_eV';

const { files, structure } = smallSurfaceFiles('MoS2-V');
const topZ = Math.max(...structure.positions.map((p) => p[2]));
const metal = structure.positions[0];
const labelZ = topZ + 1.62;
const labels = `site,kind,x,y,z,E_total_eV,method\n"=a,1",T_M,${metal[0]},${metal[1]},${labelZ},-190.5,test\n`;
const seeded: [string, string][] = files.map(([p, c]) => [p, p.endsWith('labels.csv') ? labels : c]);
const poscar = files.find(([p]) => p.endsWith('POSCAR'))![1];
/** The canonical id of the site the label sits on: the T_M hollow nearest the metal in the plane. */
const labelledSite = findSites(structure, { heightA: 1.5 })
  .sites.filter((s) => s.kind === 'T_M')
  .sort(
    (a, b) =>
      Math.hypot(a.position[0] - metal[0], a.position[1] - metal[1]) -
      Math.hypot(b.position[0] - metal[0], b.position[1] - metal[1]),
  )[0];

let datasetId = '';

beforeAll(async () => {
  datasetId = await datasetWithSurfaces('exports', seeded);
});

async function get(file: string): Promise<Response> {
  return exportFile(new Request(`http://x/api/datasets/${datasetId}/export/${file}`), ctx({ id: datasetId, file }));
}

describe('export/<name>.csv', () => {
  it('sites.csv: header on line 1, readable with no options, user name beside the canonical id', async () => {
    const res = await get('sites.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sites.csv"');
    const text = await res.text();
    expect(text.split('\n')[0]).toBe(SITES_HEADER);
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.dataset === 'exports' && r.surface === 'MoS2-V')).toBe(true);
    expect(rows.every((r) => /^(T_M|H|H_X|T_X|bridge|other)-\d+$/.test(r.site_id))).toBe(true);
    // The extraction plane: 1.5 A above the top S layer, for every site.
    for (const r of rows) expect(Number(r.z_plane_A)).toBeCloseTo(topZ + 1.5, 6);

    const row = rows.find((r) => r.site_id === labelledSite.id)!;
    expect(row.kind).toBe('T_M');
    expect(Number(row.E_b_eV)).toBeCloseTo(-0.6, 9); // -190.5 + 188 + 1.9
    expect(row.site).toBe("'=a,1"); // the user's name, formula start neutralised (the comma was quoted)
    expect(Number(row.z_A)).toBeCloseTo(labelZ, 6); // the label's relaxed Li z, not the plane
    const unlabelled = rows.filter((r) => r.E_b_eV === '');
    expect(unlabelled.length).toBeGreaterThan(0);
    for (const r of unlabelled) {
      expect(r.site).toBe(r.site_id);
      expect(r.z_A).toBe(r.z_plane_A);
    }
  });

  it('barriers.csv and profiles.csv start with their header', async () => {
    expect((await (await get('barriers.csv')).text()).split('\n')[0]).toBe(BARRIERS_HEADER);
    expect((await (await get('profiles.csv')).text()).split('\n')[0]).toBe(
      'dataset,surface,host,dopant,hop,s,energy_eV,sigma_eV,source,model_id',
    );
  });

  it.each(['nothing.csv', 'sites.txt', 'sites', 'nothing.json', 'export.json'])('404 for %s', async (file) => {
    const res = await get(file);
    expect(res.status).toBe(404);
  });
});

describe('export/<name>.json sidecar', () => {
  it('sites.json: format, dataset, the mu_Li record, every column with its unit, input file hashes', async () => {
    const res = await get('sites.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sites.json"');
    const sidecar = await res.json();
    expect(sidecar.format).toBe('epdi-lab sites.csv v2');
    expect(sidecar.file).toBe('sites.csv');
    expect(sidecar.dataset).toBe('exports');
    // No mu_Li typed for the dataset: the value comes from meta.json (lib/pipeline/mu-li.ts).
    expect(sidecar.muLi).toMatchObject({ muLiEv: -1.9, source: 'meta.json' });
    expect(['bcc', 'atom', 'custom']).toContain(sidecar.muLi.kind);
    expect(sidecar.muLi.description).toMatch(/mu_Li = -1\.9(0*) eV/);
    expect(sidecar.model).toBeNull();
    expect(sidecar.columns.map((c: { name: string }) => c.name).join(',')).toBe(SITES_HEADER);
    const z = sidecar.columns.find((c: { name: string }) => c.name === 'z_plane_A');
    expect(z.unit).toBe('Angstrom');
    expect(z.description).toMatch(/plane/);
    const sha = createHash('sha256').update(poscar).digest('hex');
    expect(sidecar.files).toContainEqual(expect.objectContaining({ path: 'MoS2-V/POSCAR', sha256: sha }));
    expect(Number.isNaN(Date.parse(sidecar.generatedAt))).toBe(false);
  });

  it('profiles.json and barriers.json describe their own columns; export.json carries the same provenance', async () => {
    const barriers = await (await get('barriers.json')).json();
    expect(barriers.format).toBe('epdi-lab barriers.csv v2');
    expect(barriers.columns.map((c: { name: string }) => c.name).join(',')).toBe(BARRIERS_HEADER);
    const profiles = await (await get('profiles.json')).json();
    expect(profiles.columns.find((c: { name: string }) => c.name === 's').unit).toBe('dimensionless');

    const all = await (
      await exportJson(new Request(`http://x/api/datasets/${datasetId}/export.json`), ctx({ id: datasetId }))
    ).json();
    expect(all.provenance.muLi).toEqual(barriers.muLi);
    expect(all.provenance.files).toEqual(barriers.files);
    expect(all.columns.sites.map((c: { name: string }) => c.name).join(',')).toBe(SITES_HEADER);
    const site = all.sites.find((s: { site_id: string }) => s.site_id === labelledSite.id);
    expect(site.E_b_eV).toBeCloseTo(-0.6, 9);
  });
});
