import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import { findSites } from '@/lib/surface';
import type { Structure } from '@/lib/structure/structure';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: createDataset } = await import('@/app/api/datasets/route');
const { PATCH: patchDataset } = await import('@/app/api/datasets/[id]/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { GET: surfaceRoute } = await import('@/app/api/surfaces/[id]/route');
const { GET: profilesRoute } = await import('@/app/api/datasets/[id]/profiles/route');
const { GET: exportCsv } = await import('@/app/api/datasets/[id]/export/[file]/route');
const { GET: exportJson } = await import('@/app/api/datasets/[id]/export.json/route');
const { db } = await import('@/lib/server/db');

/*
 * Hand-chosen energies (meta.json: E_slab = -188.0 eV, mu_Li = -1.9 eV, so E_b = E_total + 189.9):
 *   hollow A (T_M, start of hop-0)  E_total -190.5  ->  E_b -0.6
 *   bridge S (saddle of hop-0)      E_total -190.0  ->  E_b -0.1
 *   hollow B (H, end of hop-0)      E_total -190.3  ->  E_b -0.4
 * so hop-0 (and every hop whose three sites are symmetry-equivalent to A, S, B) has forward barrier 0.5 eV and
 * backward barrier 0.3 eV. A fourth label gives E_b_eV only (-0.45 eV, no E_total) on another H site.
 * NEB run n1 along A -> S -> B with images at E_total -190.5, -190.3, -190.05, -190.2, -190.3: NEB forward barrier
 * -190.05 - (-190.5) = 0.45 eV, barrier error 0.5 - 0.45 = 0.05 eV.
 */
const E_SLAB = -188.0;
const MU = -1.9;

let datasetId = '';
let surfaceId = '';
let hop0Sites: { from: string; saddle: string; to: string } = { from: '', saddle: '', to: '' };
let ebOnlySite = '';

type Row = Record<string, string | number | null>;

function parseCsv(text: string): { fields: string[]; rows: Row[] } {
  // Plain RFC 4180, header on line 1: no reader options needed.
  const r = Papa.parse<Row>(text, { header: true, skipEmptyLines: true, dynamicTyping: true });
  expect(r.errors).toEqual([]);
  return { fields: r.meta.fields ?? [], rows: r.data };
}

/** The JSON sidecar of an export file (`barriers.json` beside `barriers.csv`), as text. */
async function sidecar(file: string, query = ''): Promise<string> {
  const json = file.replace(/\.csv$/, '.json');
  const res = await exportCsv(new Request(`http://x/export/${json}${query}`), ctx({ id: datasetId, file: json }));
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

async function waitForJob(id: string): Promise<{ status: string; error: string | null }> {
  for (let i = 0; i < 600; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

async function getCsv(file: string, query = ''): Promise<{ res: Response; text: string }> {
  const res = await exportCsv(new Request(`http://x/export/${file}${query}`), ctx({ id: datasetId, file }));
  return { res, text: await res.text() };
}

/** Image of `p` nearest to `q` in the plane (a, b translations -1..1). */
function nearestImage(p: number[], q: number[], lattice: number[][]): [number, number, number] {
  let best: [number, number, number] = [p[0], p[1], p[2]];
  let bestD = Infinity;
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const c: [number, number, number] = [
        p[0] + i * lattice[0][0] + j * lattice[1][0],
        p[1] + i * lattice[0][1] + j * lattice[1][1],
        p[2],
      ];
      const d = Math.hypot(c[0] - q[0], c[1] - q[1]);
      if (d < bestD) [best, bestD] = [c, d];
    }
  }
  return best;
}

function withLi(structure: Structure, li: number[]): Structure {
  return {
    comment: 'slab + Li',
    lattice: structure.lattice,
    species: [...structure.species, 'Li'],
    positions: [...structure.positions, [li[0], li[1], li[2]]],
  };
}

beforeAll(async () => {
  const res = await createDataset(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'profiles', settings: { pixels: 8 } }) }),
  );
  datasetId = (await res.json()).dataset.id;

  const { files, structure } = smallSurfaceFiles('MoS2-V');
  const found = findSites(structure, { heightA: 1.5 });
  const hop = found.hops[0];
  const [a, s, b] = [found.sites[hop.from], found.sites[hop.via], found.sites[hop.to]];
  hop0Sites = { from: a.id, saddle: s.id, to: b.id };
  const other = found.sites.find((x) => x.kind === 'H' && x.group !== b.group)!;
  ebOnlySite = other.id;
  const labels = [
    'site,kind,x,y,z,E_total_eV,E_b_eV,method',
    `A,${a.kind},${a.position.join(',')},-190.5,,test`,
    `S,${s.kind},${s.position.join(',')},-190.0,,test`,
    `B,${b.kind},${b.position.join(',')},-190.3,,test`,
    `Q,${other.kind},${other.position.join(',')},,-0.45,test`,
  ].join('\n');
  const lattice = structure.lattice as number[][];
  const pa = [...a.position];
  const ps = nearestImage([...s.position], pa, lattice);
  const pb = nearestImage([...b.position], ps, lattice);
  const mid = (p: number[], q: number[]) => p.map((v, k) => (v + q[k]) / 2);
  const images = [pa, mid(pa, ps), ps, mid(ps, pb), pb];
  const energies = [-190.5, -190.3, -190.05, -190.2, -190.3];
  const neb: [string, string][] = images.flatMap((li, i): [string, string][] => [
    [`MoS2-V/neb/n1/0${i}/POSCAR`, writePoscar(withLi(structure, li))],
    [`MoS2-V/neb/n1/0${i}/energy`, `${energies[i]}\n`],
  ]);
  // Run-level files beside the images (scripts/dft's summary.json, VTST's neb.dat) come along and are skipped.
  neb.push(
    ['MoS2-V/neb/n1/summary.json', JSON.stringify({ energies_eV: energies })],
    ['MoS2-V/neb/n1/neb.dat', '0 0.0 0.0 0.0 0\n'],
  );
  const all = [...files.filter(([p]) => !p.endsWith('labels.csv')), ['MoS2-V/labels.csv', labels + '\n'], ...neb] as [
    string,
    string,
  ][];
  const { body, contentType } = await encodeForm(multipart(all));
  const up = await upload(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetId }),
  );
  expect(up.status).toBe(201);
  const result = await up.json();
  surfaceId = result.surfaces[0].id;
  const job = await waitForJob(result.extractJobId);
  expect(job.error).toBeNull();
});

interface SiteJson {
  id: string;
  name: string;
  kind: string;
  symmetryGroup: number | null;
}
interface HopJson {
  name: string;
  from: string;
  saddle: string;
  to: string;
}

/** Hops (one per saddle, lowest running number) whose three sites all have a labelled symmetry-equivalent. */
async function expectedDftHops(): Promise<string[]> {
  const { surface } = await (await surfaceRoute(new Request('http://x'), ctx({ id: surfaceId }))).json();
  const sites = new Map<string, SiteJson>(surface.sites.map((s: SiteJson) => [s.id, s]));
  const byName = new Map<string, SiteJson>(surface.sites.map((s: SiteJson) => [s.name, s]));
  const key = (s: SiteJson) => `${s.kind}#${s.symmetryGroup}`;
  const labelled = new Set([hop0Sites.from, hop0Sites.saddle, hop0Sites.to].map((n) => key(byName.get(n)!)));
  const num = (h: HopJson) => Number(h.name.split('-')[1]);
  const perSaddle = new Map<string, HopJson>();
  for (const h of surface.hops as HopJson[]) {
    const prev = perSaddle.get(h.saddle);
    if (!prev || num(h) < num(prev)) perSaddle.set(h.saddle, h);
  }
  return [...perSaddle.values()]
    .filter((h) => [h.from, h.saddle, h.to].every((id) => labelled.has(key(sites.get(id)!))))
    .map((h) => h.name)
    .sort();
}

describe('profiles from the database', () => {
  it('exports barriers.csv with the hand-computed barriers of every hop whose sites are labelled (by symmetry)', async () => {
    const { res, text } = await getCsv('barriers.csv', '?model=none');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="barriers.csv"');
    const { fields, rows } = parseCsv(text);
    const comment = await sidecar('barriers.csv', '?model=none');
    expect(comment).toContain('"format":"epdi-lab barriers.csv v2"');
    expect(comment).toContain('"dataset":"profiles"');
    expect(comment).toContain('bcc Li, mu_Li = -1.9000 eV');
    expect(comment).toContain('by symmetry');
    expect(fields).toEqual([
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
    const expected = await expectedDftHops();
    expect(expected).toContain('hop-0');
    expect(rows.map((r) => r.hop as string).sort()).toEqual(expected);
    for (const r of rows) {
      expect(r.dataset).toBe('profiles');
      expect(r.surface).toBe('MoS2-V');
      expect(r.source).toBe('dft');
      expect(r.E_from_eV as number).toBeCloseTo(-190.5 - E_SLAB - MU, 9);
      expect(r.E_saddle_eV as number).toBeCloseTo(-190.0 - E_SLAB - MU, 9);
      expect(r.E_to_eV as number).toBeCloseTo(-190.3 - E_SLAB - MU, 9);
      expect(r.barrier_forward_eV as number).toBeCloseTo(0.5, 9);
      expect(r.barrier_backward_eV as number).toBeCloseTo(0.3, 9);
      expect(r.sigma_eV).toBeNull();
    }
    const h0 = rows.find((r) => r.hop === 'hop-0')!;
    // The user's label names (labels.csv A, S, B), the app's ids beside them.
    expect([h0.from_site, h0.saddle_site, h0.to_site]).toEqual(['A', 'S', 'B']);
    expect([h0.from_site_id, h0.saddle_site_id, h0.to_site_id]).toEqual([
      hop0Sites.from,
      hop0Sites.saddle,
      hop0Sites.to,
    ]);
    // The NEB run sits on hop-0: barrier -190.05 - (-190.5) = 0.45 eV, error 0.5 - 0.45.
    expect(h0.neb_barrier_eV as number).toBeCloseTo(0.45, 9);
    expect(h0.error_eV as number).toBeCloseTo(0.05, 9);
    expect(rows.filter((r) => r.neb_barrier_eV !== null)).toHaveLength(1);
  });

  it('reports the other hops as incomplete instead of inventing energies', async () => {
    const res = await profilesRoute(new Request('http://x/profiles?model=none'), ctx({ id: datasetId }));
    expect(res.status).toBe(200);
    const { profiles } = await res.json();
    const surface = profiles.surfaces[0];
    expect(surface.hops.length + surface.incomplete.length).toBe(27); // 27 bridges, one hop each
    expect(surface.incomplete.length).toBeGreaterThan(0);
    for (const h of surface.incomplete) expect(h.missing.length).toBeGreaterThan(0);
    const h0 = surface.hops.find((h: { hop: string }) => h.hop === 'hop-0');
    expect(h0.knots.map((k: { origin: string }) => k.origin)).toEqual(['label', 'label', 'label']);
    expect(h0.s).toHaveLength(21);
    expect(h0.neb.name).toBe('n1');
    expect(h0.neb.comparison.nebBarrierForwardEv).toBeCloseTo(0.45, 9);
    const bySymmetry = surface.hops.find((h: { hop: string }) => h.hop !== 'hop-0');
    if (bySymmetry)
      expect(bySymmetry.knots.some((k: { note: string | null }) => k.note?.startsWith('by symmetry'))).toBe(true);
    expect(profiles.reference).toMatchObject({ kind: 'bcc', muLiEv: MU });
  });

  it('streams profiles.csv with 21 samples per hop plus the NEB images', async () => {
    const { res, text } = await getCsv('profiles.csv', '?model=none');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="profiles.csv"');
    const { fields, rows } = parseCsv(text);
    expect(fields).toEqual([
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
    const hops = (await expectedDftHops()).length;
    expect(rows).toHaveLength(21 * hops + 5);
    const neb = rows.filter((r) => r.source === 'neb');
    expect(neb.map((r) => r.energy_eV as number)).toEqual(
      [-190.5, -190.3, -190.05, -190.2, -190.3].map((e) => expect.closeTo(e - E_SLAB - MU, 9)),
    );
    expect(neb.every((r) => r.hop === 'hop-0')).toBe(true);
    expect(rows.filter((r) => r.hop === 'hop-0' && r.source === 'dft').map((r) => r.s)).toHaveLength(21);
  });

  it('uses the latest model for sites without DFT, with its sigma, and DFT wherever there is a label', async () => {
    const model = await db.model.create({
      data: { datasetId, name: 'test-model', backbone: 'none', head: 'ridge', settingsJson: '{}' },
    });
    const sites = await db.site.findMany({ where: { surfaceId }, select: { id: true, kind: true } });
    // T_M -0.55 +- 0.05, H -0.35 +- 0.05, bridge 0.0 +- 0.1 (eV).
    await db.prediction.createMany({
      data: sites.map((s) => ({
        modelId: model.id,
        siteId: s.id,
        valueEv: s.kind === 'bridge' ? 0 : s.kind === 'T_M' ? -0.55 : -0.35,
        sigmaEv: s.kind === 'bridge' ? 0.1 : 0.05,
      })),
    });
    const { text } = await getCsv('barriers.csv');
    const { rows } = parseCsv(text);
    expect(await sidecar('barriers.csv')).toContain(`"id":"${model.id}"`);
    expect(rows).toHaveLength(27);
    const dftHops = await expectedDftHops();
    for (const r of rows) {
      if (dftHops.includes(r.hop as string)) {
        expect(r.source).toBe('dft');
        expect(r.barrier_forward_eV as number).toBeCloseTo(0.5, 9);
      } else {
        expect(r.source).toBe('predicted');
      }
    }
    // A hop of three predicted sites: barrier 0 - (-0.55), sigma = sqrt(0.1^2 + 0.05^2) (knots in quadrature).
    const allPredicted = rows.find(
      (r) => r.source === 'predicted' && r.E_from_eV === -0.55 && r.E_saddle_eV === 0 && r.E_to_eV === -0.35,
    )!;
    expect(allPredicted).toBeDefined();
    expect(allPredicted.barrier_forward_eV as number).toBeCloseTo(0.55, 9);
    expect(allPredicted.sigma_eV as number).toBeCloseTo(Math.hypot(0.1, 0.05), 9);

    // Percolation, by hand: the ground state is T_M-0 (DFT -0.6 eV, the dopant site); the three saddles around it
    // (-0.1 eV) only form a star, the next ones (all predicted at 0.0 eV) connect the cell to its images.
    const { profiles: json } = await (
      await profilesRoute(new Request('http://x/profiles'), ctx({ id: datasetId }))
    ).json();
    expect(json.surfaces[0].incomplete).toEqual([]);
    expect(json.surfaces[0].percolation.groundSite).toBe('A');
    expect(json.surfaces[0].percolation.thresholdEv).toBeCloseTo(0, 9);
    expect(json.surfaces[0].percolation.barrierEv).toBeCloseTo(0.6, 9);
    // Saddles to compute next: one entry per predicted bridge group (0.0 +- 0.1 eV), ranked by the expected change of
    // that barrier (lib/profile/next-saddle.ts has the hand-derived cases); a group the percolation needs moves it.
    const next = json.surfaces[0].nextSaddles as {
      symmetryGroup: string;
      meanEv: number;
      sigmaEv: number;
      expectedChangeEv: number;
    }[];
    const predictedGroups = new Set(
      json.surfaces[0].hops
        .filter((h: { knots: { source: string }[] }) => h.knots[1].source === 'predicted')
        .map(
          (h: { knots: { siteId: string }[] }) =>
            json.surfaces[0].sites.find((x: { id: string }) => x.id === h.knots[1].siteId).symmetryGroup,
        ),
    );
    expect(new Set(next.map((n) => Number(n.symmetryGroup)))).toEqual(predictedGroups);
    expect(next.every((n) => n.meanEv === 0 && n.sigmaEv === 0.1)).toBe(true);
    expect(next.map((n) => n.expectedChangeEv)).toEqual([...next.map((n) => n.expectedChangeEv)].sort((a, b) => b - a));
    expect(next[0].expectedChangeEv).toBeGreaterThan(0.01);

    const profiles = parseCsv((await getCsv('profiles.csv')).text).rows;
    const predictedRows = profiles.filter((r) => r.source === 'predicted');
    expect(predictedRows.every((r) => r.model_id === model.id && typeof r.sigma_eV === 'number')).toBe(true);

    const sitesCsv = parseCsv((await getCsv('sites.csv')).text);
    expect(sitesCsv.fields).toEqual([
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
    expect(sitesCsv.rows).toHaveLength(45);
    const a = sitesCsv.rows.find((r) => r.surface === 'MoS2-V' && r.site_id === hop0Sites.from)!;
    expect(a.E_b_eV as number).toBeCloseTo(-0.6, 9);
    expect(a.E_b_pred_eV).toBe(-0.55);
    expect(a.sigma_eV).toBe(0.05);
  });

  it('names the end sites that lie above a saddle of theirs (not local minima)', async () => {
    // Bridges predicted at -1.0 eV, below the predicted T_M (-0.55) and H (-0.35): an unlabelled H sits 650 meV above
    // its saddles, an unlabelled T_M 450 meV.
    const model = await db.model.create({
      data: { datasetId, name: 'downhill', backbone: 'none', head: 'ridge', settingsJson: '{}' },
    });
    const sites = await db.site.findMany({ where: { surfaceId }, select: { id: true, kind: true } });
    await db.prediction.createMany({
      data: sites.map((s) => ({
        modelId: model.id,
        siteId: s.id,
        valueEv: s.kind === 'bridge' ? -1 : s.kind === 'T_M' ? -0.55 : -0.35,
        sigmaEv: 0.05,
      })),
    });
    const { profiles: json } = await (
      await profilesRoute(new Request(`http://x/profiles?model=${model.id}`), ctx({ id: datasetId }))
    ).json();
    const note = (json.notes as string[]).find((n) => n.includes('not local minima'))!;
    expect(note).toContain('(650.0 meV above a saddle)');
    expect(note).toContain('(450.0 meV above a saddle)');
    await db.model.delete({ where: { id: model.id } });
  });

  it('selects surfaces and models by id and answers 404 for unknown ones', async () => {
    const sel = await getCsv('barriers.csv', `?surfaces=${surfaceId}&model=none`);
    expect(sel.res.status).toBe(200);
    expect((await getCsv('barriers.csv', '?surfaces=nope')).res.status).toBe(404);
    expect((await getCsv('barriers.csv', '?model=nope')).res.status).toBe(404);
    expect((await getCsv('nothing.csv')).res.status).toBe(404);
    const missing = await profilesRoute(new Request('http://x/profiles'), ctx({ id: 'no-such-dataset' }));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('no_dataset');
    const badSamples = await profilesRoute(new Request('http://x/profiles?samples=1'), ctx({ id: datasetId }));
    expect(badSamples.status).toBe(422);
  });

  it('exports JSON with provenance: reference, model, settings and the SHA-256 of every uploaded file', async () => {
    const res = await exportJson(new Request('http://x/export.json?model=none'), ctx({ id: datasetId }));
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.provenance.muLi).toMatchObject({ kind: 'bcc', muLiEv: MU });
    expect(out.provenance.model).toBeNull();
    expect(out.provenance.settings.samples).toBe(21);
    const paths = out.provenance.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['MoS2-V/POSCAR', 'MoS2-V/LOCPOT', 'MoS2-V/labels.csv', 'MoS2-V/neb/n1/02/energy']),
    );
    expect(out.provenance.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(out.barriers.length).toBe((await expectedDftHops()).length);
    expect(out.nebSummary.hops).toBe(1);
    expect(
      out.surfaces[0].percolatingBarrierEv === null || typeof out.surfaces[0].percolatingBarrierEv === 'number',
    ).toBe(true);
  });
});

describe('switching the mu_Li reference', () => {
  it('rejects a bad body with 422 and an unknown dataset with 404', async () => {
    const bad = await patchDataset(
      new Request('http://x', { method: 'PATCH', body: JSON.stringify({ muLiReference: 'moon', muLiEv: 1 }) }),
      ctx({ id: datasetId }),
    );
    expect(bad.status).toBe(422);
    const notNumber = await patchDataset(
      new Request('http://x', { method: 'PATCH', body: JSON.stringify({ muLiReference: 'bcc', muLiEv: 'x' }) }),
      ctx({ id: datasetId }),
    );
    expect(notNumber.status).toBe(422);
    const unknown = await patchDataset(
      new Request('http://x', { method: 'PATCH', body: JSON.stringify({ muLiReference: 'bcc', muLiEv: -1.9 }) }),
      ctx({ id: 'no-such-dataset' }),
    );
    expect(unknown.status).toBe(404);
    const notJson = await patchDataset(new Request('http://x', { method: 'PATCH', body: '{' }), ctx({ id: datasetId }));
    expect(notJson.status).toBe(400);
  });

  it('recomputes every binding energy from E_total, shifts E_b-only labels and predictions, keeps barriers, and says so', async () => {
    const res = await patchDataset(
      new Request('http://x', {
        method: 'PATCH',
        body: JSON.stringify({ muLiReference: 'atom', muLiEv: -3.5, note: 'PBE, isolated atom' }),
      }),
      ctx({ id: datasetId }),
    );
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.dataset).toMatchObject({ muLiReference: 'atom', muLiEv: -3.5 });
    expect(out.labelsRecomputed).toBe(3);
    expect(out.labelsShifted).toBe(1);
    expect(out.labelsUnchanged).toBe(0);
    expect(out.predictionsShifted).toBe(45);

    const { rows } = parseCsv((await getCsv('barriers.csv', '?model=none')).text);
    const comment = await sidecar('barriers.csv', '?model=none');
    expect(comment).toContain('isolated Li atom, mu_Li = -3.5000 eV (dataset setting; PBE, isolated atom)');
    expect(comment).toContain('re-referenced');
    const h0 = rows.find((r) => r.hop === 'hop-0')!;
    // E_b = E_total - E_slab - mu_new = -190.5 + 188 + 3.5 = 1.0 eV; barriers unchanged.
    expect(h0.E_from_eV as number).toBeCloseTo(1.0, 9);
    expect(h0.E_saddle_eV as number).toBeCloseTo(1.5, 9);
    expect(h0.E_to_eV as number).toBeCloseTo(1.2, 9);
    expect(h0.barrier_forward_eV as number).toBeCloseTo(0.5, 9);
    expect(h0.barrier_backward_eV as number).toBeCloseTo(0.3, 9);
    // NEB images are converted with the same new mu: the NEB barrier is unchanged too.
    expect(h0.neb_barrier_eV as number).toBeCloseTo(0.45, 9);

    const sites = parseCsv((await getCsv('sites.csv')).text).rows;
    // E_b-only label: -0.45 + mu_old - mu_new = -0.45 - 1.9 + 3.5.
    const q = sites.find((r) => r.surface === 'MoS2-V' && r.site_id === ebOnlySite)!;
    expect(q.E_b_eV as number).toBeCloseTo(1.15, 9);
    // Predictions shift by the same 1.6 eV.
    const a = sites.find((r) => r.surface === 'MoS2-V' && r.site_id === hop0Sites.from)!;
    expect(a.E_b_pred_eV as number).toBeCloseTo(-0.55 + 1.6, 9);

    const json = await (await exportJson(new Request('http://x/export.json'), ctx({ id: datasetId }))).json();
    expect(json.provenance.muLi).toMatchObject({ kind: 'atom', muLiEv: -3.5 });
    expect(json.provenance.notes.join(' ')).toContain('re-referenced');
  });
});

describe('epdi profiles --dataset', () => {
  it('writes the same three CSV files as the export endpoints, from the database', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { parseArgs } = await import('@/cli/args');
    const { run } = await import('@/cli/commands/profiles');
    const dir = mkdtempSync(path.join(temp.dir, 'cli-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run(parseArgs(['--dataset', 'profiles', '--csv', path.join(dir, 'profiles.csv')]));
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code).toBe(0);
    expect(printed).toContain('MoS2-V: 27 hops (0 incomplete)');
    for (const file of ['profiles', 'barriers', 'sites']) {
      const fromApi = (await getCsv(`${file}.csv`)).text;
      expect(readFileSync(path.join(dir, `${file}.csv`), 'utf8')).toBe(fromApi);
    }
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(parseArgs(['--dataset', 'nope', '--csv', path.join(dir, 'x.csv')]))).toBe(1);
    expect(
      await run(parseArgs(['--dataset', 'profiles', '--surfaces', 'nope', '--csv', path.join(dir, 'x.csv')])),
    ).toBe(1);
    err.mockRestore();
  });
});

describe('doping effect', () => {
  /**
   * A second dataset with a pristine and a V-doped 3x3 MoS2, every site labelled through one representative per
   * (kind, symmetry group), E_slab = -188 eV, mu_Li = -1.9 eV:
   *   pristine  T_M -0.50, bridge -0.05, H -0.30 eV  ->  every hop 0.45 eV, percolating barrier 0.45 eV;
   *   doped     T_M -0.55, bridge  0.00, H -0.35 eV  ->  every hop 0.55 eV, percolating barrier 0.55 eV;
   * doping effect of V on MoS2: +0.10 eV, +22.2 %.
   */
  function surfaceFolder(name: string, structure: Structure, dopant: string | null, eb: Record<string, number>) {
    const dims: [number, number, number] = [12, 12, 40];
    const grid = sampleModelOnGrid(syntheticPotentialModel(structure), dims);
    const found = findSites(structure, { heightA: 1.5 });
    const seen = new Set<string>();
    const rows = ['site,kind,x,y,z,E_total_eV'];
    for (const site of found.sites) {
      const key = `${site.kind}#${site.group}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(`${site.id},${site.kind},${site.position.join(',')},${eb[site.kind] + E_SLAB + MU}`);
    }
    return [
      [`${name}/POSCAR`, writePoscar(structure)],
      [`${name}/LOCPOT`, writeVolumetric(structure, dims, [grid.data])],
      [`${name}/labels.csv`, rows.join('\n') + '\n'],
      [`${name}/meta.json`, JSON.stringify({ host: 'MoS2', phase: '2H', dopant, E_slab_eV: E_SLAB, mu_Li_eV: MU })],
    ] as [string, string][];
  }

  it('compares the percolating barrier of the doped surface with the pristine one of the same host', async () => {
    const res = await createDataset(
      new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'doping', settings: { pixels: 8 } }) }),
    );
    const id = (await res.json()).dataset.id;
    const files = [
      ...surfaceFolder('MoS2', buildMX2Slab({ phase: '2H' }), null, { T_M: -0.5, bridge: -0.05, H: -0.3 }),
      ...surfaceFolder('MoS2-V', buildMX2Slab({ phase: '2H', dopant: { species: 'V' } }), 'V', {
        T_M: -0.55,
        bridge: 0,
        H: -0.35,
      }),
    ];
    const { body, contentType } = await encodeForm(multipart(files));
    const up = await upload(
      new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
      ctx({ id }),
    );
    expect(up.status).toBe(201);
    expect((await waitForJob((await up.json()).extractJobId)).error).toBeNull();

    const { profiles } = await (await profilesRoute(new Request('http://x/profiles'), ctx({ id }))).json();
    const [pristine, doped] = profiles.surfaces;
    expect([pristine.name, doped.name]).toEqual(['MoS2', 'MoS2-V']);
    expect([pristine.hops.length, pristine.incomplete.length]).toEqual([27, 0]);
    expect([doped.hops.length, doped.incomplete.length]).toEqual([27, 0]);
    expect(pristine.percolation.barrierEv).toBeCloseTo(0.45, 9);
    expect(doped.percolation.barrierEv).toBeCloseTo(0.55, 9);
    expect(profiles.doping).toHaveLength(1);
    const [effect] = profiles.doping;
    expect(effect).toMatchObject({ host: 'MoS2', dopant: 'V', pristineSurface: 'MoS2', dopedSurface: 'MoS2-V' });
    expect(effect.deltaEv).toBeCloseTo(0.1, 9);
    expect(effect.deltaPercent).toBeCloseTo((100 * 0.1) / 0.45, 9);

    const json = await (await exportJson(new Request('http://x/export.json'), ctx({ id }))).json();
    expect(json.doping).toEqual(profiles.doping);
    expect(json.surfaces.map((s: { percolatingBarrierEv: number }) => s.percolatingBarrierEv)).toEqual([
      expect.closeTo(0.45, 9),
      expect.closeTo(0.55, 9),
    ]);
  });
});
