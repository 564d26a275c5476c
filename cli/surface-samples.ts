/**
 * Node edge for the ML commands: lib/ml samples from samples files and from surface folders (../shared/DESIGN.md
 * section 3), the folders read exactly as an upload is and extracted and matched as the server does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { extractSurface } from '../lib/epdi/extract';
import type { ExtractionSettings } from '../lib/epdi/settings';
import { samplesFromExtraction } from '../lib/ml/from-extraction';
import { hostLevelDescriptors, hostLevelsOf } from '../lib/ml/host-levels';
import { parseSamplesFile } from '../lib/ml/dataset';
import type { TrainingSiteRow } from '../lib/ml/training-sites';
import type { Sample } from '../lib/ml/types';
import type { EvalSurface } from '../lib/ml/new-surface-score';
import { LABEL_MATCH_TOLERANCE_A, labelProblemLines, pipelineSurfaceFromSites, resolveMuLi, surfaceMuLi } from '../lib/pipeline';

/** A folder with a potential file (LOCPOT or cube, maybe gzipped): one surface as an upload reads it. */
export function isSurfaceFolder(dir: string): boolean {
  return readdirSync(dir).some((f) => POTENTIAL_FILE.test(f));
}

const POTENTIAL_FILE = /^LOCPOT(\.gz)?$|\.cube?(\.gz)?$/i;

/** The surface folders among the targets: each target a surface folder, or a folder of them. */
export function surfaceFoldersUnder(targets: readonly string[]): string[] {
  return targets.flatMap((t) =>
    isSurfaceFolder(t)
      ? [t]
      : readdirSync(t)
          .sort()
          .map((e) => path.join(t, e))
          .filter((p) => statSync(p).isDirectory() && isSurfaceFolder(p)),
  );
}

/**
 * Samples from each target: a samples file (.json), a folder of samples files, a surface folder, or a folder of
 * surface folders (read by `readSurfaceFolders`, so exactly as an upload).
 */
export async function readSamples(targets: readonly string[], opts: SurfaceReadOptions = {}): Promise<Sample[]> {
  const out: Sample[] = [];
  const folders: string[] = [];
  for (const target of targets) {
    if (!statSync(target).isDirectory()) out.push(...parseSamplesFile(readFileSync(target, 'utf8'), target).samples);
    else if (surfaceFoldersUnder([target]).length) folders.push(...surfaceFoldersUnder([target]));
    else
      for (const f of readdirSync(target).sort().filter((e) => e.endsWith('.json')))
        out.push(...parseSamplesFile(readFileSync(path.join(target, f), 'utf8'), f).samples);
  }
  if (folders.length) out.push(...(await readSurfaceFolders(folders, opts)).samples);
  return out;
}

export interface SurfaceFolders {
  samples: Sample[];
  surfaces: EvalSurface[];
  /** Surfaces read but without any label (predicted, never scored), and folders left out with the reason. */
  unlabelled: string[];
  skipped: string[];
}

/**
 * Surface folders read exactly as an upload is (lib/server/upload `understandFiles`: POSCAR/CONTCAR, LOCPOT or cube
 * (.gz), meta.json, the host OUTCAR/vasprun.xml with its levels and energy, labels.csv, `sites/` runs, NEB folders),
 * extracted with the app's settings, labels matched by the one matcher, and turned into lib/ml samples with their
 * site features and host levels. So `epdi evaluate` and `epdi active` read a VASP folder the way the app does.
 */
export interface SurfaceReadOptions {
  settings?: Partial<ExtractionSettings>;
  /** mu_Li (eV) for every surface, over meta.json's (`--mu-li`). */
  muLiEv?: number | null;
}

export async function readSurfaceFolders(folders: readonly string[], opts: SurfaceReadOptions = {}): Promise<SurfaceFolders> {
  const { listFolder } = await import('../lib/server/import-folder');
  const { understandFiles } = await import('../lib/server/upload/import-upload');
  const { UploadError } = await import('../lib/server/upload/errors');
  const files = [];
  for (const f of folders) files.push(...(await listFolder(f)));
  let parsed;
  try {
    ({ parsed } = await understandFiles(files, path.basename(path.resolve(folders[0] ?? '.')), () => {}));
  } catch (err) {
    if (err instanceof UploadError) throw new Error(err.message);
    throw err;
  }
  const { record } = resolveMuLi(
    { kind: 'bcc', valueEv: opts.muLiEv ?? null, source: opts.muLiEv == null ? undefined : 'option' },
    parsed.map((p) => ({ surface: p.name, valueEv: p.meta.mu_Li_eV, kind: p.meta.mu_Li_reference })),
  );
  const out: SurfaceFolders = { samples: [], surfaces: [], unlabelled: [], skipped: [] };
  for (const p of [...parsed].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!p.potential) {
      out.skipped.push(`${p.name}: no potential file (LOCPOT or cube), so no EPDIs or site features`);
      continue;
    }
    const extraction = extractSurface(p.structure, p.potential.grid, opts.settings ?? {});
    const { surface, matching } = pipelineSurfaceFromSites(
      {
        name: p.name,
        host: p.host ?? p.name,
        phase: typeof p.meta.phase === 'string' ? p.meta.phase : null,
        dopant: p.dopant,
        lattice: p.structure.lattice,
        eSlabEv: p.eSlabEv ?? null,
        labels: p.labels,
        nebRuns: p.nebRuns,
        files: p.sourceFiles,
      },
      extraction,
      { muLiEv: surfaceMuLi(record, p.meta.mu_Li_eV), meps: extraction.meps },
    );
    for (const line of labelProblemLines(matching, LABEL_MATCH_TOLERANCE_A)) console.error(`note: ${line}`);
    const binding = new Map<number, number>();
    for (const m of matching.matched) if (m.eBindingEv !== null) binding.set(m.site, m.eBindingEv);
    if (!binding.size) out.unlabelled.push(p.name);
    out.samples.push(
      ...samplesFromExtraction(p.name, extraction, binding, hostLevelDescriptors(hostLevelsOf(p.meta), extraction.appliedShiftEv), p.structure),
    );
    out.surfaces.push({ id: p.name, host: surface.host, dopant: surface.dopant, pipeline: surface });
  }
  return out;
}

/**
 * A stored dataset (in the app's database) as the ML commands read it: the server's own loader
 * (lib/server/new-surface-server.ts: EPDI batch with site features, the profiles' pipeline surfaces), surfaces named
 * by their names.
 */
export async function readStoredDataset(name: string): Promise<SurfaceFolders> {
  const { db } = await import('../lib/server/db');
  const { loadNewSurfaceData } = await import('../lib/server/new-surface-server');
  const dataset = await db.dataset.findUnique({ where: { name }, select: { id: true } });
  if (!dataset) throw new Error(`no dataset named '${name}' in the database (epdi import loads folders)`);
  const { samples, surfaces } = await loadNewSurfaceData(dataset.id);
  const labelled = new Set(samples.filter((s) => s.eBindingEv !== undefined).map((s) => s.surfaceId));
  return { samples, surfaces, unlabelled: surfaces.filter((s) => !labelled.has(s.id)).map((s) => s.id), skipped: [] };
}

/** The union of two reads (training and test surfaces); a surface in both is refused (it would leak). */
export function mergeReads(a: SurfaceFolders, b: SurfaceFolders): SurfaceFolders {
  const both = a.surfaces.filter((s) => b.surfaces.some((t) => t.id === s.id)).map((s) => s.id);
  if (both.length) throw new Error(`surfaces both in training and test: ${both.join(', ')}`);
  return {
    samples: [...a.samples, ...b.samples],
    surfaces: [...a.surfaces, ...b.surfaces],
    unlabelled: [...a.unlabelled, ...b.unlabelled],
    skipped: [...a.skipped, ...b.skipped],
  };
}

/** The read without some surfaces (and their samples). */
export function withoutSurfaces(read: SurfaceFolders, names: ReadonlySet<string>): SurfaceFolders {
  return {
    samples: read.samples.filter((s) => !names.has(s.surfaceId)),
    surfaces: read.surfaces.filter((s) => !names.has(s.id)),
    unlabelled: read.unlabelled.filter((s) => !names.has(s)),
    skipped: read.skipped,
  };
}

/**
 * training-sites.csv rows (lib/ml/training-sites.ts) of the samples a model trained on, from folders: the user's
 * label name where labelled, the app's site name, kind, in-plane position and the E_b trained on. `db_id` holds the
 * sample id (meta.json's trainIds), which no database knows: an instance importing the zip matches by (surface, name).
 */
export function trainingSiteRows(read: SurfaceFolders, train: readonly Sample[]): TrainingSiteRow[] {
  const surfaces = new Map(read.surfaces.map((s) => [s.id, s]));
  return train.flatMap((s): TrainingSiteRow[] => {
    const surface = surfaces.get(s.surfaceId);
    const site = surface?.pipeline.sites.find((x) => x.id === s.id.slice(s.surfaceId.length + 1));
    if (!surface || !site) return [];
    return [
      {
        surface: surface.id,
        site: site.label?.name ?? site.name,
        appSite: site.name,
        kind: s.kind,
        xA: site.position[0],
        yA: site.position[1],
        eBindingEv: s.eBindingEv ?? null,
        // The zip's meta.json trainIds are these sample ids: the row and the id are one training site.
        dbId: s.id,
      },
    ];
  });
}
