/**
 * CSV and JSON exports of assembled dataset profiles (lib/server/profiles.ts), in the formats of lib/profile/csv.ts
 * (the same files `epdi profiles` writes from surface folders).
 *
 * Row order: surfaces by name; per surface its hops in running order, each hop's 21 (or `samples`) profile rows
 * followed by its NEB images (source 'neb') when a run was matched. barriers.csv has one row per complete hop.
 * sites.csv names each site `<surface>/<site>` (site names repeat across surfaces; barriers.csv has a surface
 * column and plain site names), and its E_b_eV holds the DFT value, copied from a symmetry-equivalent labelled site
 * when the site has no label of its own (said in the comment line).
 */
import {
  barriersCsv,
  buildJsonExport,
  describeReference,
  profilesCsv,
  sitesCsv,
  type BarrierCsvRow,
  type CsvHeaderInfo,
  type FileHash,
  type JsonExport,
  type ProfileCsvRow,
  type SiteCsvRow,
} from '@/lib/profile';
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
        saddleSite: s.site,
        toSite: b.site,
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
        site: `${surface.name}/${s.name}`,
        kind: s.kind,
        xA: s.position[0],
        yA: s.position[1],
        zA: s.position[2],
        mepV: s.mepV,
        ebEv: s.eBindingEv,
        ebPredEv: s.predictedEv,
        sigmaEv: s.sigmaEv,
        distToDopantA: s.dopantDistanceA,
      };
    }
  }
}

/** The provenance line of the CSV files: reference, model, and the notes (re-referencing, symmetry, gaps). */
export function csvInfo(result: DatasetProfiles, file: ExportFile): CsvHeaderInfo {
  const notes = [...result.notes];
  if (file === 'sites') notes.push('site = <surface>/<site>');
  if (!result.reference) notes.push('binding energies are on an unknown or mixed mu_Li reference');
  return {
    dataset: result.dataset.name,
    muLi: result.reference,
    modelId: result.model?.id ?? null,
    note: notes.length ? notes.join(' | ') : undefined,
  };
}

/** The lines of one export file (lazy). */
export function exportLines(result: DatasetProfiles, file: ExportFile): Generator<string, void, undefined> {
  const info = csvInfo(result, file);
  if (file === 'profiles') return profilesCsv(profileRows(result), info);
  if (file === 'barriers') return barriersCsv(barrierRows(result), info);
  return sitesCsv(siteRows(result), info);
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
  const files: FileHash[] = result.surfaces.flatMap((s) =>
    s.files.map((f) => ({
      path: f.path, // as uploaded: relative, starting with the surface folder
      sha256: f.sha256,
      ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
    })),
  );
  const base = buildJsonExport({
    dataset: result.dataset.name,
    muLi: result.reference,
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
      muLiDescription: result.reference ? describeReference(result.reference) : 'unknown or mixed',
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
