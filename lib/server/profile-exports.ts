/**
 * CSV and JSON exports of assembled dataset profiles (lib/server/profiles.ts), in the formats of lib/profile/csv.ts
 * (the same files `epdi profiles` writes from surface folders).
 *
 * Row order: surfaces by name; per surface its hops in running order, each hop's 21 (or `samples`) profile rows
 * followed by its NEB images (source 'neb') when a run was matched. barriers.csv has one row per complete hop.
 * Site names: `site` / `*_site` are the user's label names where the site was labelled, else the canonical site id;
 * `site_id` / `*_site_id` the canonical id. sites.csv's E_b_eV holds the DFT value, copied from a
 * symmetry-equivalent labelled site when the site has no label of its own (said in the sidecar's notes); its z_A is
 * the relaxed Li z from the label where known, else the extraction plane (z_plane_A).
 * Provenance goes in the sidecars (`exportSidecar`: profiles.json, barriers.json, sites.json) and export.json.
 */
import {
  barriersCsv,
  buildJsonExport,
  csvSidecar,
  profilesCsv,
  sitesCsv,
  type BarrierCsvRow,
  type CsvSidecar,
  type CsvSidecarInfo,
  type FileHash,
  type JsonExport,
  type ProfileCsvRow,
  type SiteCsvRow,
} from '@/lib/profile';
import { describeMuLi } from '@/lib/pipeline';
import type { DatasetProfiles, HopProfileView } from './profiles';

export type ExportFile = 'profiles' | 'barriers' | 'sites';
export const EXPORT_FILES: readonly ExportFile[] = ['profiles', 'barriers', 'sites'];

function ctxOf(result: DatasetProfiles, hop: HopProfileView) {
  return {
    dataset: result.dataset.name,
    surface: hop.surface,
    host: hop.host,
    dopant: hop.dopant,
    hop: hop.hop,
    modelId: result.model?.id ?? null,
  };
}

/** profiles.csv rows: each hop's sampled curve, then its NEB images. */
export function* profileRows(result: DatasetProfiles): Generator<ProfileCsvRow, void, undefined> {
  for (const surface of result.surfaces) {
    for (const hop of surface.hops) {
      const ctx = ctxOf(result, hop);
      const modelId = hop.source === 'predicted' ? ctx.modelId : null;
      for (let i = 0; i < hop.s.length; i++) {
        yield {
          ...ctx,
          s: hop.s[i],
          energyEv: hop.energyEv[i],
          sigmaEv: hop.sigmaEv ? hop.sigmaEv[i] : null,
          source: hop.source,
          modelId,
        };
      }
      if (hop.neb) {
        for (let i = 0; i < hop.neb.s.length; i++) {
          yield { ...ctx, s: hop.neb.s[i], energyEv: hop.neb.energyEv[i], sigmaEv: null, source: 'neb', modelId: null };
        }
      }
    }
  }
}

/** barriers.csv rows, one per complete hop, with the NEB barrier and error where a run was matched. */
export function* barrierRows(result: DatasetProfiles): Generator<BarrierCsvRow, void, undefined> {
  for (const surface of result.surfaces) {
    for (const hop of surface.hops) {
      const [a, s, b] = hop.knots;
      yield {
        dataset: result.dataset.name,
        surface: hop.surface,
        hop: hop.hop,
        fromSite: a.site,
        fromSiteId: a.siteName,
        saddleSite: s.site,
        saddleSiteId: s.siteName,
        toSite: b.site,
        toSiteId: b.siteName,
        eFromEv: a.energyEv,
        eSaddleEv: s.energyEv,
        eToEv: b.energyEv,
        barrierForwardEv: hop.barrierForwardEv,
        barrierBackwardEv: hop.barrierBackwardEv,
        sigmaEv: hop.barrierForwardSigmaEv,
        source: hop.source,
        nebBarrierEv: hop.neb?.comparison?.nebBarrierForwardEv ?? null,
        errorEv: hop.neb?.comparison?.barrierErrorEv ?? null,
      };
    }
  }
}

/** sites.csv rows, every extracted site of the selected surfaces. */
export function* siteRows(result: DatasetProfiles): Generator<SiteCsvRow, void, undefined> {
  for (const surface of result.surfaces) {
    for (const s of surface.sites) {
      yield {
        dataset: result.dataset.name,
        surface: surface.name,
        site: s.site,
        siteId: s.name,
        kind: s.kind,
        xA: s.position[0],
        yA: s.position[1],
        zA: s.liZA ?? s.position[2],
        zPlaneA: s.position[2],
        mepV: s.mepV,
        ebEv: s.eBindingEv,
        ebPredEv: s.predictedEv,
        sigmaEv: s.sigmaEv,
        distToDopantA: s.dopantDistanceA,
      };
    }
  }
}

/** SHA-256 of every uploaded file of the selected surfaces, paths as uploaded (starting with the surface folder). */
export function exportFileHashes(result: DatasetProfiles): FileHash[] {
  return result.surfaces.flatMap((s) =>
    s.files.map((f) => ({
      path: f.path,
      sha256: f.sha256,
      ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
    })),
  );
}

/** Provenance of the export files: the mu_Li record, model, input hashes and the notes (re-referencing, symmetry, gaps). */
export function sidecarInfo(result: DatasetProfiles, generatedAt?: string): CsvSidecarInfo {
  return {
    dataset: result.dataset.name,
    muLi: result.muLi,
    muLiDescription: describeMuLi(result.muLi),
    model: result.model ? { id: result.model.id, name: result.model.name } : null,
    files: exportFileHashes(result),
    notes: result.notes,
    generatedAt,
  };
}

/** The lines of one export file (lazy). */
export function exportLines(result: DatasetProfiles, file: ExportFile): Generator<string, void, undefined> {
  if (file === 'profiles') return profilesCsv(profileRows(result));
  if (file === 'barriers') return barriersCsv(barrierRows(result));
  return sitesCsv(siteRows(result));
}

/** The JSON sidecar of one export file (`<file>.json`). */
export function exportSidecar(result: DatasetProfiles, file: ExportFile, generatedAt?: string): CsvSidecar {
  return csvSidecar(file, sidecarInfo(result, generatedAt));
}

/** The JSON export (same records as the CSVs, plus provenance: settings, mu_Li, model, SHA-256 of every file). */
export function profilesJsonExport(
  result: DatasetProfiles,
  generatedAt?: string,
): JsonExport & {
  surfaces: {
    id: string;
    name: string;
    host: string;
    dopant: string | null;
    percolatingBarrierEv: number | null;
    incompleteHops: DatasetProfiles['surfaces'][number]['incomplete'];
  }[];
} {
  const files = exportFileHashes(result);
  const base = buildJsonExport({
    dataset: result.dataset.name,
    muLi: result.muLi,
    muLiDescription: describeMuLi(result.muLi),
    model: result.model
      ? {
          id: result.model.id,
          name: result.model.name,
          backbone: result.model.backbone,
          head: result.model.head,
          createdAt: result.model.createdAt,
          settings: result.model.settings,
          metrics: result.model.metrics,
        }
      : null,
    settings: {
      datasetId: result.dataset.id,
      extraction: result.dataset.settings,
      samples: result.samples,
      muLiReference: result.dataset.muLiReference,
      muLiEv: result.dataset.muLiEv,
      muLiDescription: describeMuLi(result.muLi),
      surfaces: result.surfaces.map((s) => s.id),
    },
    files,
    generatedAt,
    notes: result.notes,
    profiles: profileRows(result),
    barriers: barrierRows(result),
    sites: siteRows(result),
    nebSummary: result.nebSummary,
    doping: result.doping,
  });
  return {
    ...base,
    surfaces: result.surfaces.map((s) => ({
      id: s.id,
      name: s.name,
      host: s.host,
      dopant: s.dopant,
      percolatingBarrierEv: s.percolation?.barrierEv ?? null,
      incompleteHops: s.incomplete,
    })),
  };
}
