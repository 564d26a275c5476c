/**
 * A stored dataset's rows as the one pipeline's input (lib/pipeline/views.ts PipelineSurface): surfaces, sites with
 * their latest label (the user's name and relaxed Li position from its provenance), hops, NEB runs and the model's
 * predictions. Used by the profiles views and the new-surface evaluation.
 */
import { z } from 'zod';
import {
  surfaceMuLi,
  type MuLiRecord,
  type PipelineNebImage,
  type PipelineSurface,
  type SourceFile,
} from '@/lib/pipeline';
import type { Vec3 } from '@/lib/math/mat3';
import { db } from './db';

const surfaceMetaSchema = z
  .object({ mu_Li_eV: z.number().finite().optional(), mu_Li_reference: z.string().optional() })
  .passthrough();

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** meta.json's mu_Li value and reference kind. */
export function metaMuLi(metaJson: string): { valueEv?: number; kind?: string } {
  const meta = surfaceMetaSchema.safeParse(safeJson(metaJson));
  return meta.success ? { valueEv: meta.data.mu_Li_eV, kind: meta.data.mu_Li_reference } : {};
}

/** What extraction records in a Label's provenance (lib/server/extraction.ts). */
export const labelProvenanceSchema = z
  .object({
    site: z.string().optional(),
    file: z.string().optional(),
    line: z.number().optional(),
    kind: z.string().optional(),
    position: z.tuple([z.number(), z.number(), z.number()]).optional(),
    matchDistanceA: z.number().optional(),
  })
  .passthrough();

/**
 * The dataset's surfaces with their sites, latest labels, hops and NEB runs. Flat reads through relation filters,
 * grouped here: Prisma loads nested relations with an IN list of every parent id, which SQLite refuses past 32,766
 * sites ("too many SQL variables").
 */
export async function loadSurfaces(datasetId: string) {
  const inDataset = { surface: { datasetId } };
  const [surfaces, sites, labels, hops, nebRuns] = await Promise.all([
    db.surface.findMany({
      where: { datasetId },
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
      },
    }),
    db.site.findMany({
      where: inDataset,
      select: {
        id: true,
        surfaceId: true,
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
      },
    }),
    db.label.findMany({
      where: { site: inDataset },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { siteId: true, eBindingEv: true, eTotalEv: true, provenance: true },
    }),
    db.hop.findMany({
      where: inDataset,
      select: {
        id: true,
        surfaceId: true,
        name: true,
        fromSiteId: true,
        saddleSiteId: true,
        toSiteId: true,
        sSaddle: true,
      },
    }),
    db.nebRun.findMany({
      where: inDataset,
      orderBy: { name: 'asc' },
      select: { surfaceId: true, name: true, imagesJson: true },
    }),
  ]);
  const latest = new Map<string, (typeof labels)[number]>();
  for (const l of labels) if (!latest.has(l.siteId)) latest.set(l.siteId, l);
  const group = <T extends { surfaceId: string }>(rows: T[]): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const r of rows) {
      const list = out.get(r.surfaceId);
      if (list) list.push(r);
      else out.set(r.surfaceId, [r]);
    }
    return out;
  };
  const sitesOf = group(sites);
  const hopsOf = group(hops);
  const nebOf = group(nebRuns);
  return surfaces.map((s) => ({
    ...s,
    sites: (sitesOf.get(s.id) ?? []).map((site) => ({ ...site, label: latest.get(site.id) ?? null })),
    hops: hopsOf.get(s.id) ?? [],
    nebRuns: nebOf.get(s.id) ?? [],
  }));
}

export type SurfaceRow = Awaited<ReturnType<typeof loadSurfaces>>[number];

/** A stored surface as the pipeline's input. */
export function pipelineSurface(
  row: SurfaceRow,
  muLi: MuLiRecord,
  predictions: ReadonlyMap<string, { valueEv: number; sigmaEv: number | null }>,
): PipelineSurface {
  const muLiEv = surfaceMuLi(muLi, metaMuLi(row.metaJson).valueEv);
  const extraction = row.extractionJson
    ? (safeJson(row.extractionJson) as { labelProblems?: string[]; unmatchedLabels?: unknown[] } | null)
    : null;
  return {
    id: row.id,
    name: row.name,
    host: row.host ?? row.name,
    phase: row.phase,
    dopant: row.dopant,
    eSlabEv: row.eSlabEv,
    muLiEv,
    lattice: (JSON.parse(row.structureJson) as { lattice: Vec3[] }).lattice,
    sites: row.sites.map((s) => {
      const label = s.label;
      const prov = label ? labelProvenanceSchema.safeParse(safeJson(label.provenance)) : null;
      const eBindingEv =
        label?.eBindingEv ??
        (label?.eTotalEv != null && row.eSlabEv !== null && muLiEv !== null
          ? label.eTotalEv - row.eSlabEv - muLiEv
          : null);
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        position: [s.x, s.y, s.z],
        frac: [s.fracX, s.fracY],
        symmetryGroup: s.symmetryGroup,
        mepV: s.mepV,
        dopantDistanceA: s.dopantDistanceA,
        label: label
          ? {
              name: (prov?.success && prov.data.site) || s.name,
              eBindingEv,
              liPosition: prov?.success ? (prov.data.position ?? null) : null,
              matchDistanceA: prov?.success ? (prov.data.matchDistanceA ?? null) : null,
            }
          : null,
        prediction: predictions.get(s.id) ?? null,
      };
    }),
    hops: row.hops.map((h) => ({
      id: h.id,
      name: h.name,
      from: h.fromSiteId,
      saddle: h.saddleSiteId,
      to: h.toSiteId,
      sSaddle: h.sSaddle,
    })),
    nebRuns: row.nebRuns.map((r) => ({ name: r.name, images: JSON.parse(r.imagesJson) as PipelineNebImage[] })),
    files: ((safeJson(row.sourceFilesJson) as SourceFile[] | null) ?? []).map((f) => ({
      path: f.path,
      sha256: f.sha256,
      bytes: f.bytes,
      role: f.role,
    })),
    extracted: row.extractionJson !== null,
    labelProblems: extraction?.labelProblems ?? [],
  };
}
