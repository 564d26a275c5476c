/**
 * Hop profiles, barriers, NEB comparisons and doping effects of a stored dataset (issue 7), assembled from the
 * database for the profiles API, the CSV/JSON exports, the Profiles page and `epdi profiles --dataset`.
 *
 * Knots. Each hop A -> S -> B takes a binding energy (eV, the dataset's mu_Li reference) for each of its three sites,
 * in this order of preference:
 *   1. the site's own DFT label (latest Label row with an E_b; source 'dft');
 *   2. the DFT label of another site of the same kind in the same symmetry group of the same surface (the DFT
 *      generator computes one representative per group; source 'dft', note 'by symmetry from <site>');
 *   3. the chosen model's prediction for the site (source 'predicted', with its sigma), else that model's prediction
 *      for a symmetry-equivalent site;
 * and a hop with a site that has none of these is reported as incomplete: no number is ever invented.
 *
 * Hops. lib/surface stores every bridge twice (A -> B and B -> A); the profile of one is the other reversed, so one
 * direction per saddle is kept: the hop with the lowest running number (hollows[0] -> hollows[1], i.e. T_M -> H on a
 * 2H surface). The forward barrier is then T_M -> H, the backward one H -> T_M.
 *
 * NEB runs. A NebRun is assigned to the hop whose end sites are nearest (in the surface plane, periodic) to the Li of
 * its first and last images, either direction, within `NEB_MATCH_TOLERANCE_A`; ties (the same two hollows joined by
 * several bridges) go to the hop whose saddle is nearest to some image's Li. Image total energies become binding
 * energies with the surface's E_slab and the same mu_Li as the labels (E_i - E_slab - mu_Li).
 *
 * Percolating barrier per surface: lib/profile `percolatingBarrier` over the complete hops (lattice translations from
 * the sites' fractional coordinates). Doping effects: per (host, dopant), the percolating barrier vs the pristine
 * surface of the same host (lib/profile `dopingEffects`).
 */
import { z } from 'zod';
import {
  compareNeb,
  dopingEffects,
  hopProfile,
  percolatingBarrier,
  rankSaddlesByBarrierChange,
  type GraphHop,
  type GraphSite,
  summarizeNebComparisons,
  MU_LI_KINDS,
  type DopingEffect,
  type EnergySource,
  type HopProfile,
  type Knot,
  type MuLiKind,
  type MuLiReference,
  type NebComparison,
  type NebOverall,
  type NebProfile,
  type SigmaMethod,
  type SurfaceBarrier,
} from '@/lib/profile';
import { db } from './db';
import { HttpError } from './http';

/** In-plane distance (Angstrom) within which an NEB end point counts as sitting on a hop's end site. */
export const NEB_MATCH_TOLERANCE_A = 0.5;
export const DEFAULT_SAMPLES = 21;

/** Query of the profiles endpoints: `?surfaces=id,id&model=<id>|none&samples=21`. */
export const profilesQuerySchema = z.object({
  surfaces: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    ),
  /** A model id of the dataset; 'none' for DFT only; omitted = the dataset's latest model, if any. */
  model: z.string().trim().min(1).optional(),
  samples: z.coerce.number().int().min(2).max(1001).default(DEFAULT_SAMPLES),
});
export type ProfilesQuery = z.output<typeof profilesQuerySchema>;

/** Parse the query string of a profiles/export request (a ZodError becomes a 422 in `errorResponse`). */
export function parseProfilesQuery(url: URL): ProfilesQuery {
  const raw: Record<string, string> = {};
  for (const key of ['surfaces', 'model', 'samples']) {
    const v = url.searchParams.get(key);
    if (v !== null) raw[key] = v;
  }
  return profilesQuerySchema.parse(raw);
}

/** Where a knot's energy came from, in more detail than its `source`. */
export type KnotOrigin = 'label' | 'symmetry-label' | 'prediction' | 'symmetry-prediction';

export interface KnotView {
  siteId: string;
  site: string;
  kind: string;
  energyEv: number;
  source: Extract<EnergySource, 'dft' | 'predicted'>;
  sigmaEv: number | null;
  origin: KnotOrigin;
  /** The site whose label or prediction was used, when it is not this site (symmetry). */
  valueFromSite: string | null;
  note: string | null;
}

export interface NebView {
  name: string;
  /** True when the run goes B -> A and was reversed to the hop's direction. */
  reversed: boolean;
  /** Sum of the in-plane distances of the first and last image's Li to the hop's end sites, Angstrom. */
  matchDistanceA: number;
  s: number[];
  /** Binding-energy scale, eV. */
  energyEv: number[];
  /** Null when the hop is incomplete (nothing to compare with). */
  comparison: Omit<NebComparison, 'hop'> | null;
}

export interface HopProfileView {
  hopId: string;
  hop: string;
  surfaceId: string;
  surface: string;
  host: string;
  dopant: string | null;
  knots: [KnotView, KnotView, KnotView];
  sSaddle: number;
  /** Lattice cells (a, b) of the `to` image reached from the `from` site. */
  translation: [number, number];
  s: number[];
  energyEv: number[];
  sigmaEv: number[] | null;
  sigmaMethod: SigmaMethod;
  source: EnergySource;
  barrierForwardEv: number;
  barrierBackwardEv: number;
  barrierForwardSigmaEv: number | null;
  barrierBackwardSigmaEv: number | null;
  maxEnergyEv: number;
  saddleIsMaximum: boolean;
  neb: NebView | null;
}

export interface IncompleteHop {
  hopId: string;
  hop: string;
  from: string;
  saddle: string;
  to: string;
  /** Sites without a DFT label (own or by symmetry) or a prediction. */
  missing: string[];
}

export interface SiteProfileView {
  id: string;
  name: string;
  kind: string;
  position: [number, number, number];
  symmetryGroup: number | null;
  mepV: number | null;
  dopantDistanceA: number | null;
  /** DFT E_b: the site's own label, else a symmetry-equivalent site's (see `dftBySymmetry`). */
  eBindingEv: number | null;
  dftBySymmetry: boolean;
  predictedEv: number | null;
  sigmaEv: number | null;
}

export interface PercolationView {
  barrierEv: number;
  thresholdEv: number;
  groundSite: string;
  bottleneckHop: string;
  winding: number[];
}

export interface NextSaddleView {
  /** A saddle site of the group (hops through any of its symmetry twins move with it). */
  site: string;
  symmetryGroup: string;
  meanEv: number;
  sigmaEv: number;
  expectedChangeEv: number;
}

export interface SourceFile {
  path: string;
  sha256: string;
  bytes?: number;
  role?: string;
}

export interface SurfaceProfiles {
  id: string;
  name: string;
  host: string;
  phase: string | null;
  dopant: string | null;
  eSlabEv: number | null;
  /** mu_Li the NEB energies were converted with (the dataset's, else meta.json's), eV. */
  muLiEv: number | null;
  hops: HopProfileView[];
  incomplete: IncompleteHop[];
  percolation: PercolationView | null;
  /** Predicted saddle groups by the expected change of the percolating barrier if computed, largest first. */
  nextSaddles: NextSaddleView[];
  sites: SiteProfileView[];
  nebUnmatched: { name: string; reason: string }[];
  files: SourceFile[];
  extracted: boolean;
}

export interface ModelView {
  id: string;
  name: string;
  backbone: string;
  head: string;
  createdAt: string;
  settings: unknown;
  metrics: unknown;
  predictions: number;
}

export interface DatasetProfiles {
  dataset: { id: string; name: string; muLiReference: string; muLiEv: number | null; settings: unknown };
  /** The reference every binding energy here is on; null when unknown or mixed (see `notes`). */
  reference: MuLiReference | null;
  model: ModelView | null;
  samples: number;
  surfaces: SurfaceProfiles[];
  doping: DopingEffect[];
  nebSummary: NebOverall | null;
  /** Provenance and caveats for people: re-referencing, symmetry fill-in, incomplete hops, unmatched NEBs. */
  notes: string[];
}

interface SiteRow {
  id: string;
  name: string;
  kind: string;
  x: number;
  y: number;
  z: number;
  fracX: number;
  fracY: number;
  symmetryGroup: number | null;
  mepV: number | null;
  dopantDistanceA: number | null;
  labels: { eBindingEv: number | null; eTotalEv: number | null }[];
}

interface Resolved {
  energyEv: number;
  source: 'dft' | 'predicted';
  sigmaEv: number | null;
  origin: KnotOrigin;
  valueFromSite: string | null;
}

interface NebImageJson {
  index: number;
  s: number;
  energyEv: number;
  li: [number, number, number] | null;
}

const surfaceMetaSchema = z
  .object({ mu_Li_eV: z.number().finite().optional(), mu_Li_reference: z.string().optional() })
  .passthrough();

/** The mu_Li a surface's labels use: the dataset's when set, else its meta.json's (as lib/server/extraction.ts). */
export function effectiveMuLi(datasetMuEv: number | null, metaJson: string): number | null {
  if (datasetMuEv !== null) return datasetMuEv;
  const meta = surfaceMetaSchema.safeParse(safeJson(metaJson));
  return meta.success && meta.data.mu_Li_eV !== undefined ? meta.data.mu_Li_eV : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function hopNumber(name: string): number {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** In-plane distance under the lattice translations -1..1 of a and b (Cartesian Angstrom, slab normal along z). */
export function inPlaneDistanceA(
  p: readonly number[],
  q: readonly number[],
  lattice: readonly (readonly number[])[],
): number {
  let best = Infinity;
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const dx = q[0] + i * lattice[0][0] + j * lattice[1][0] - p[0];
      const dy = q[1] + i * lattice[0][1] + j * lattice[1][1] - p[1];
      best = Math.min(best, Math.hypot(dx, dy));
    }
  }
  return best;
}

/** Cells (a, b) of the image of `to` reached from `from` through `saddle` (fractional, wrapped coordinates). */
export function hopTranslation(
  from: readonly [number, number],
  saddle: readonly [number, number],
  to: readonly [number, number],
): [number, number] {
  // Saddle image next to `from`, then the `to` image next to that saddle image.
  const su = [saddle[0] + Math.round(from[0] - saddle[0]), saddle[1] + Math.round(from[1] - saddle[1])];
  return [Math.round(su[0] - to[0]), Math.round(su[1] - to[1])];
}

function referenceKind(value: string | undefined): MuLiKind {
  return value !== undefined && (MU_LI_KINDS as readonly string[]).includes(value) ? (value as MuLiKind) : 'custom';
}

/** Notes written by `switchMuLi` (Job rows of kind 'rereference'), oldest first. */
async function rereferenceNotes(datasetId: string): Promise<string[]> {
  const jobs = await db.job.findMany({
    where: { datasetId, kind: 'rereference', status: 'done' },
    orderBy: { createdAt: 'asc' },
    select: { message: true },
  });
  return jobs.map((j) => j.message);
}

async function resolveModel(datasetId: string, modelId: string | undefined): Promise<ModelView | null> {
  if (modelId === 'none') return null;
  const select = {
    id: true,
    name: true,
    backbone: true,
    head: true,
    createdAt: true,
    settingsJson: true,
    metricsJson: true,
    _count: { select: { predictions: true } },
  } as const;
  const row = modelId
    ? await db.model.findFirst({ where: { id: modelId, datasetId }, select })
    : await db.model.findFirst({ where: { datasetId }, orderBy: { createdAt: 'desc' }, select });
  if (!row) {
    if (modelId) throw new HttpError(404, 'no_model', `model ${modelId} does not belong to this dataset`);
    return null;
  }
  return {
    id: row.id,
    name: row.name,
    backbone: row.backbone,
    head: row.head,
    createdAt: row.createdAt.toISOString(),
    settings: safeJson(row.settingsJson),
    metrics: safeJson(row.metricsJson),
    predictions: row._count.predictions,
  };
}

/**
 * Assemble the profiles of a dataset (or of `query.surfaces`, ids of its surfaces). Throws HttpError 404 for an
 * unknown dataset, surface or model.
 */
export async function assembleProfiles(
  datasetId: string,
  query: Partial<ProfilesQuery> = {},
): Promise<DatasetProfiles> {
  const samples = query.samples ?? DEFAULT_SAMPLES;
  const dataset = await db.dataset.findUnique({
    where: { id: datasetId },
    select: { id: true, name: true, muLiReference: true, muLiEv: true, settingsJson: true },
  });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  const model = await resolveModel(datasetId, query.model);

  const wanted = query.surfaces && query.surfaces.length > 0 ? query.surfaces : undefined;
  const surfaces = await db.surface.findMany({
    where: { datasetId, ...(wanted ? { id: { in: wanted } } : {}) },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      host: true,
      phase: true,
      dopant: true,
      eSlabEv: true,
      metaJson: true,
      structureJson: true,
      sourceFilesJson: true,
      extractionJson: true,
      sites: {
        select: {
          id: true,
          name: true,
          kind: true,
          x: true,
          y: true,
          z: true,
          fracX: true,
          fracY: true,
          symmetryGroup: true,
          mepV: true,
          dopantDistanceA: true,
          labels: { orderBy: { createdAt: 'desc' }, select: { eBindingEv: true, eTotalEv: true } },
        },
      },
      hops: { select: { id: true, name: true, fromSiteId: true, saddleSiteId: true, toSiteId: true, sSaddle: true } },
      nebRuns: { orderBy: { name: 'asc' }, select: { name: true, imagesJson: true } },
    },
  });
  if (wanted) {
    const found = new Set(surfaces.map((s) => s.id));
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length) {
      throw new HttpError(404, 'no_surface', `surface(s) ${missing.join(', ')} not in dataset ${dataset.name}`);
    }
  }

  const predictions = new Map<string, { valueEv: number; sigmaEv: number | null }>();
  if (model) {
    const rows = await db.prediction.findMany({
      where: { modelId: model.id, site: { surface: { datasetId, ...(wanted ? { id: { in: wanted } } : {}) } } },
      select: { siteId: true, valueEv: true, sigmaEv: true },
    });
    for (const r of rows) predictions.set(r.siteId, { valueEv: r.valueEv, sigmaEv: r.sigmaEv });
  }

  const notes: string[] = [...(await rereferenceNotes(datasetId))];
  const out: SurfaceProfiles[] = [];
  const allComparisons: NebComparison[] = [];
  let symmetryUsed = 0;
  // The HopProfile (with its PCHIP) behind each view, for the NEB comparison.
  const profiles = new Map<HopProfileView, HopProfile>();

  for (const surface of surfaces) {
    const muLiEv = effectiveMuLi(dataset.muLiEv, surface.metaJson);
    const host = surface.host ?? surface.name;
    const lattice = (JSON.parse(surface.structureJson) as { lattice: number[][] }).lattice;
    const byId = new Map<string, SiteRow>(surface.sites.map((s) => [s.id, s]));

    const ownDft = (site: SiteRow): number | null => {
      for (const l of site.labels) {
        if (l.eBindingEv !== null) return l.eBindingEv;
        if (l.eTotalEv !== null && surface.eSlabEv !== null && muLiEv !== null) {
          return l.eTotalEv - surface.eSlabEv - muLiEv;
        }
      }
      return null;
    };
    // Representatives per (kind, symmetry group): the first site in name order with a label / a prediction.
    const sortedSites = [...surface.sites].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    const groupKey = (s: SiteRow): string | null => (s.symmetryGroup === null ? null : `${s.kind}#${s.symmetryGroup}`);
    const dftOf = new Map<string, number>();
    const dftRep = new Map<string, { site: SiteRow; energyEv: number }>();
    const predRep = new Map<string, SiteRow>();
    for (const s of sortedSites) {
      const e = ownDft(s);
      const key = groupKey(s);
      if (e !== null) {
        dftOf.set(s.id, e);
        if (key && !dftRep.has(key)) dftRep.set(key, { site: s, energyEv: e });
      }
      if (key && predictions.has(s.id) && !predRep.has(key)) predRep.set(key, s);
    }

    const resolve = (site: SiteRow): Resolved | null => {
      const own = dftOf.get(site.id);
      if (own !== undefined)
        return { energyEv: own, source: 'dft', sigmaEv: null, origin: 'label', valueFromSite: null };
      const key = groupKey(site);
      const rep = key ? dftRep.get(key) : undefined;
      if (rep) {
        return {
          energyEv: rep.energyEv,
          source: 'dft',
          sigmaEv: null,
          origin: 'symmetry-label',
          valueFromSite: rep.site.name,
        };
      }
      const p = predictions.get(site.id);
      if (p)
        return {
          energyEv: p.valueEv,
          source: 'predicted',
          sigmaEv: p.sigmaEv,
          origin: 'prediction',
          valueFromSite: null,
        };
      const pRep = key ? predRep.get(key) : undefined;
      if (pRep) {
        const q = predictions.get(pRep.id)!;
        return {
          energyEv: q.valueEv,
          source: 'predicted',
          sigmaEv: q.sigmaEv,
          origin: 'symmetry-prediction',
          valueFromSite: pRep.name,
        };
      }
      return null;
    };
    const resolved = new Map<string, Resolved | null>();
    const resolvedOf = (site: SiteRow): Resolved | null => {
      if (!resolved.has(site.id)) resolved.set(site.id, resolve(site));
      return resolved.get(site.id)!;
    };

    const knotView = (site: SiteRow, r: Resolved): KnotView => ({
      siteId: site.id,
      site: site.name,
      kind: site.kind,
      energyEv: r.energyEv,
      source: r.source,
      sigmaEv: r.sigmaEv,
      origin: r.origin,
      valueFromSite: r.valueFromSite,
      note: r.valueFromSite ? `by symmetry from ${r.valueFromSite}` : null,
    });

    // One hop per saddle (see the module doc).
    const canonical = new Map<string, (typeof surface.hops)[number]>();
    for (const h of surface.hops) {
      const prev = canonical.get(h.saddleSiteId);
      if (!prev || hopNumber(h.name) < hopNumber(prev.name)) canonical.set(h.saddleSiteId, h);
    }
    const hops = [...canonical.values()].sort((a, b) => hopNumber(a.name) - hopNumber(b.name));

    const views: HopProfileView[] = [];
    const incomplete: IncompleteHop[] = [];
    const drawable: { hop: (typeof hops)[number]; view: HopProfileView }[] = [];
    for (const h of hops) {
      const a = byId.get(h.fromSiteId)!;
      const s = byId.get(h.saddleSiteId)!;
      const b = byId.get(h.toSiteId)!;
      const ra = resolvedOf(a);
      const rs = resolvedOf(s);
      const rb = resolvedOf(b);
      if (!ra || !rs || !rb) {
        incomplete.push({
          hopId: h.id,
          hop: h.name,
          from: a.name,
          saddle: s.name,
          to: b.name,
          missing: [
            [a, ra],
            [s, rs],
            [b, rb],
          ]
            .filter(([, r]) => !r)
            .map(([site]) => (site as SiteRow).name),
        });
        continue;
      }
      for (const r of [ra, rs, rb]) if (r.origin.startsWith('symmetry')) symmetryUsed++;
      const knot = (site: SiteRow, r: Resolved): Knot => ({
        energyEv: r.energyEv,
        source: r.source,
        ...(r.sigmaEv !== null ? { sigmaEv: r.sigmaEv } : {}),
        site: site.name,
      });
      const profile = hopProfile(
        { id: h.name, from: knot(a, ra), saddle: knot(s, rs), to: knot(b, rb), sSaddle: h.sSaddle },
        { samples },
      );
      const view: HopProfileView = {
        hopId: h.id,
        hop: h.name,
        surfaceId: surface.id,
        surface: surface.name,
        host,
        dopant: surface.dopant,
        knots: [knotView(a, ra), knotView(s, rs), knotView(b, rb)],
        sSaddle: h.sSaddle,
        translation: hopTranslation([a.fracX, a.fracY], [s.fracX, s.fracY], [b.fracX, b.fracY]),
        s: profile.s,
        energyEv: profile.energyEv,
        sigmaEv: profile.sigmaEv,
        sigmaMethod: profile.sigmaMethod,
        source: profile.source,
        barrierForwardEv: profile.barrierForwardEv,
        barrierBackwardEv: profile.barrierBackwardEv,
        barrierForwardSigmaEv: profile.barrierForwardSigmaEv,
        barrierBackwardSigmaEv: profile.barrierBackwardSigmaEv,
        maxEnergyEv: profile.maxEnergyEv,
        saddleIsMaximum: profile.saddleIsMaximum,
        neb: null,
      };
      views.push(view);
      drawable.push({ hop: h, view });
      profiles.set(view, profile);
    }

    // NEB runs.
    const nebUnmatched: { name: string; reason: string }[] = [];
    const taken = new Set<string>();
    for (const run of surface.nebRuns) {
      const images = JSON.parse(run.imagesJson) as NebImageJson[];
      if (images.length < 2) {
        nebUnmatched.push({ name: run.name, reason: 'fewer than two images' });
        continue;
      }
      const first = images[0].li;
      const last = images[images.length - 1].li;
      if (!first || !last) {
        nebUnmatched.push({ name: run.name, reason: 'the first or last image holds no Li atom' });
        continue;
      }
      if (surface.eSlabEv === null || muLiEv === null) {
        nebUnmatched.push({
          name: run.name,
          reason: 'E_slab or mu_Li unknown: image energies cannot be put on the binding-energy scale',
        });
        continue;
      }
      let best: { hop: (typeof hops)[number]; reversed: boolean; cost: number; ends: number } | null = null;
      for (const h of hops) {
        if (taken.has(h.id)) continue;
        const pa = siteXyz(byId.get(h.fromSiteId)!);
        const pb = siteXyz(byId.get(h.toSiteId)!);
        const ps = siteXyz(byId.get(h.saddleSiteId)!);
        const saddleD = Math.min(...images.filter((im) => im.li).map((im) => inPlaneDistanceA(ps, im.li!, lattice)));
        for (const reversed of [false, true]) {
          const d1 = inPlaneDistanceA(reversed ? pb : pa, first, lattice);
          const d2 = inPlaneDistanceA(reversed ? pa : pb, last, lattice);
          if (d1 > NEB_MATCH_TOLERANCE_A || d2 > NEB_MATCH_TOLERANCE_A) continue;
          const cost = d1 + d2 + saddleD;
          if (!best || cost < best.cost - 1e-9) best = { hop: h, reversed, cost, ends: d1 + d2 };
        }
      }
      if (!best) {
        nebUnmatched.push({
          name: run.name,
          reason: `no hop has end sites within ${NEB_MATCH_TOLERANCE_A} A of the first and last image's Li`,
        });
        continue;
      }
      taken.add(best.hop.id);
      const eSlab = surface.eSlabEv;
      const ordered = best.reversed ? [...images].reverse() : images;
      const nebS = ordered.map((im) => (best.reversed ? 1 - im.s : im.s));
      nebS[0] = 0;
      nebS[nebS.length - 1] = 1;
      const neb: NebProfile = {
        hop: best.hop.name,
        s: nebS,
        energyEv: ordered.map((im) => im.energyEv - eSlab - muLiEv),
      };
      const target = drawable.find((d) => d.hop.id === best.hop.id);
      const nebView: NebView = {
        name: run.name,
        reversed: best.reversed,
        matchDistanceA: best.ends,
        s: [...neb.s],
        energyEv: [...neb.energyEv],
        comparison: null,
      };
      if (target) {
        const cmp = compareNeb(neb, profiles.get(target.view)!);
        allComparisons.push(cmp);
        const { hop: _hop, ...rest } = cmp;
        nebView.comparison = rest;
        target.view.neb = nebView;
      } else {
        nebUnmatched.push({
          name: run.name,
          reason: `matched hop ${best.hop.name}, which is incomplete (no energy for some of its sites)`,
        });
      }
    }

    // Percolating barrier over the complete hops.
    let percolation: PercolationView | null = null;
    if (views.length > 0) {
      const graph = hopGraph(views);
      const result = percolatingBarrier(graph.sites, graph.hops);
      if (result) {
        percolation = {
          barrierEv: result.barrierEv,
          thresholdEv: result.thresholdEv,
          groundSite: byId.get(result.groundSite)?.name ?? result.groundSite,
          bottleneckHop: result.bottleneckHop.id ?? '',
          winding: result.winding,
        };
      }
    }

    const nextSaddles = rankPredictedSaddles(views, byId);

    const sites: SiteProfileView[] = sortedSites.map((s) => {
      const key = groupKey(s);
      const own = dftOf.get(s.id);
      const rep = own === undefined && key ? dftRep.get(key) : undefined;
      const p = predictions.get(s.id);
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        position: [s.x, s.y, s.z],
        symmetryGroup: s.symmetryGroup,
        mepV: s.mepV,
        dopantDistanceA: s.dopantDistanceA,
        eBindingEv: own ?? rep?.energyEv ?? null,
        dftBySymmetry: own === undefined && rep !== undefined,
        predictedEv: p?.valueEv ?? null,
        sigmaEv: p?.sigmaEv ?? null,
      };
    });

    const files = (safeJson(surface.sourceFilesJson) as SourceFile[] | null) ?? [];
    out.push({
      id: surface.id,
      name: surface.name,
      host,
      phase: surface.phase,
      dopant: surface.dopant,
      eSlabEv: surface.eSlabEv,
      muLiEv,
      hops: views,
      incomplete,
      percolation,
      nextSaddles,
      sites,
      nebUnmatched,
      files: files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, role: f.role })),
      extracted: surface.extractionJson !== null,
    });
    for (const n of nebUnmatched) notes.push(`${surface.name}: NEB run ${n.name} not compared: ${n.reason}`);
    if (incomplete.length) {
      notes.push(
        `${surface.name}: ${incomplete.length} of ${hops.length} hops incomplete (a site has no DFT label, ` +
          `symmetry-equivalent label or prediction): ${incomplete.map((h) => h.hop).join(' ')}`,
      );
    }
    if (surface.extractionJson === null) notes.push(`${surface.name}: not extracted yet (no sites or hops)`);
    const notMinima = sitesBelowTheirSaddle(views);
    if (notMinima.length) {
      notes.push(
        `${surface.name}: not local minima (a hop from them runs down through its saddle, forward barrier 0): ` +
          notMinima.join(', '),
      );
    }
  }
  if (symmetryUsed > 0) {
    notes.push(
      'DFT energies of sites without a label of their own are copied from a labelled site of the same kind and ' +
        'symmetry group of the same surface (source dft, "by symmetry")',
    );
  }

  const reference = datasetReference(dataset.muLiReference, dataset.muLiEv, surfaces, notes);
  const doping = dopingEffects(
    out
      .filter((s) => s.percolation !== null)
      .map((s): SurfaceBarrier => ({
        surface: s.name,
        host: s.host,
        dopant: s.dopant,
        barrierEv: s.percolation!.barrierEv,
      })),
  );
  return {
    dataset: {
      id: dataset.id,
      name: dataset.name,
      muLiReference: dataset.muLiReference,
      muLiEv: dataset.muLiEv,
      settings: safeJson(dataset.settingsJson),
    },
    reference,
    model,
    samples,
    surfaces: out,
    doping,
    nebSummary: allComparisons.length ? summarizeNebComparisons(allComparisons) : null,
    notes,
  };
}

/** End sites that lie above the saddle of one of their hops (name, by how much in meV), each named once. */
function sitesBelowTheirSaddle(views: readonly HopProfileView[]): string[] {
  const worst = new Map<string, number>();
  for (const v of views) {
    for (const end of [v.knots[0], v.knots[2]]) {
      const drop = end.energyEv - v.knots[1].energyEv;
      if (drop > 0 && drop > (worst.get(end.site) ?? 0)) worst.set(end.site, drop);
    }
  }
  return [...worst].map(([site, drop]) => `${site} (${(drop * 1000).toFixed(1)} meV above a saddle)`);
}

/** The periodic hop graph of complete hops: their end minima and, per hop, its top energy and lattice translation. */
function hopGraph(views: readonly HopProfileView[]): { sites: GraphSite[]; hops: GraphHop[] } {
  const minima = new Map<string, number>();
  for (const v of views) {
    minima.set(v.knots[0].siteId, v.knots[0].energyEv);
    minima.set(v.knots[2].siteId, v.knots[2].energyEv);
  }
  return {
    sites: [...minima].map(([id, energyEv]) => ({ id, energyEv })),
    hops: views.map((v) => ({
      id: v.hop,
      from: v.knots[0].siteId,
      to: v.knots[2].siteId,
      translation: v.translation,
      topEnergyEv: v.maxEnergyEv,
    })),
  };
}

/**
 * Predicted saddles (with sigma) grouped by symmetry, ranked by the expected change of the percolating barrier
 * (lib/profile/next-saddle.ts) over the complete hops.
 */
function rankPredictedSaddles(views: readonly HopProfileView[], byId: ReadonlyMap<string, SiteRow>): NextSaddleView[] {
  const groupOf = (siteId: string): string => {
    const site = byId.get(siteId)!;
    return site.symmetryGroup === null ? `site:${site.id}` : `${site.symmetryGroup}`;
  };
  const predicted = new Map<string, { site: string; means: number[]; sigma: number }>();
  for (const v of views) {
    const saddle = v.knots[1];
    if (saddle.source !== 'predicted' || saddle.sigmaEv === null || !(saddle.sigmaEv > 0)) continue;
    const key = groupOf(saddle.siteId);
    const entry = predicted.get(key) ?? { site: saddle.site, means: [], sigma: 0 };
    entry.means.push(saddle.energyEv);
    entry.sigma = Math.max(entry.sigma, saddle.sigmaEv);
    predicted.set(key, entry);
  }
  if (predicted.size === 0) return [];
  const graph = hopGraph(views);
  const ranked = rankSaddlesByBarrierChange(
    graph.sites,
    graph.hops.map((h, i) => ({
      ...h,
      saddleGroup: groupOf(views[i].knots[1].siteId),
      saddleIsMaximum: views[i].saddleIsMaximum,
    })),
    [...predicted].map(([group, e]) => ({
      group,
      meanEv: e.means.reduce((a, b) => a + b, 0) / e.means.length,
      sigmaEv: e.sigma,
    })),
  );
  return ranked.map((r) => ({
    site: predicted.get(r.group)!.site,
    symmetryGroup: r.group,
    meanEv: r.meanEv,
    sigmaEv: r.sigmaEv,
    expectedChangeEv: r.expectedChangeEv,
  }));
}

function siteXyz(s: SiteRow): [number, number, number] {
  return [s.x, s.y, s.z];
}

/** The dataset's reference, or the common meta.json one of its surfaces; null (with a note) when unknown or mixed. */
function datasetReference(
  kind: string,
  muLiEv: number | null,
  surfaces: { name: string; metaJson: string }[],
  notes: string[],
): MuLiReference | null {
  if (muLiEv !== null) return { kind: referenceKind(kind), muLiEv };
  const values = new Map<string, string[]>();
  let refKind: string | undefined;
  for (const s of surfaces) {
    const meta = surfaceMetaSchema.safeParse(safeJson(s.metaJson));
    const mu = meta.success ? meta.data.mu_Li_eV : undefined;
    if (meta.success && meta.data.mu_Li_reference) refKind = meta.data.mu_Li_reference;
    const key = mu === undefined ? 'unknown' : String(mu);
    values.set(key, [...(values.get(key) ?? []), s.name]);
  }
  if (values.size === 1 && !values.has('unknown')) {
    const mu = Number([...values.keys()][0]);
    return { kind: referenceKind(refKind ?? kind), muLiEv: mu, note: "from the surfaces' meta.json" };
  }
  if (surfaces.length > 0) {
    notes.push(
      'mu_Li is not set on the dataset and the surfaces disagree or lack one: ' +
        [...values].map(([mu, names]) => `${mu} eV (${names.join(', ')})`).join('; '),
    );
  }
  return null;
}

/** The dataset's models (newest first) with their prediction counts, for a model picker. */
export async function modelChoices(
  datasetId: string,
): Promise<{ id: string; name: string; createdAt: string; predictions: number }[]> {
  const rows = await db.model.findMany({
    where: { datasetId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, createdAt: true, _count: { select: { predictions: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    predictions: r._count.predictions,
  }));
}
