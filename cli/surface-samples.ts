/**
 * Node edge for the ML commands: lib/ml samples from surface folders (POSCAR + LOCPOT(.gz) + labels.csv + meta.json,
 * ../shared/DESIGN.md section 3), by the same extraction and label matching the server uses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractSurface } from '../lib/epdi/extract';
import type { ExtractionSettings } from '../lib/epdi/settings';
import { parseLabelsCsv } from '../lib/formats/labels-csv';
import { parsePoscar } from '../lib/formats/poscar';
import { parseVolumetric } from '../lib/formats/volumetric';
import { samplesFromExtraction } from '../lib/ml/from-extraction';
import { hostLevelDescriptors, type HostLevels } from '../lib/ml/host-levels';
import type { Sample } from '../lib/ml/types';
import type { EvalSurface } from '../lib/ml/new-surface-score';
import { LABEL_MATCH_TOLERANCE_A, labelProblemLines, pipelineSurfaceFromSites, resolveMuLi, surfaceMuLi } from '../lib/pipeline';

export function isSurfaceFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'POSCAR')) && readdirSync(dir).some((f) => /^LOCPOT(\.gz)?$/.test(f));
}

export function samplesFromSurfaceFolder(dir: string, settings: Partial<ExtractionSettings> = {}): Sample[] {
  return evalSurfaceFromFolder(dir, settings).samples;
}

/**
 * A surface folder as lib/ml samples plus the pipeline's surface (sites, one hop per bridge, labels matched by the
 * one matcher, lib/pipeline `pipelineSurfaceFromSites`), for the new-surface protocols. Site features
 * (lib/ml/site-features.ts) come with every sample.
 */
export function evalSurfaceFromFolder(
  dir: string,
  settings: Partial<ExtractionSettings> = {},
): { samples: Sample[]; surface: EvalSurface } {
  const name = path.basename(path.resolve(dir));
  const structure = parsePoscar(readFileSync(path.join(dir, 'POSCAR')), { fileName: `${name}/POSCAR` }).structure;
  const locpot = readdirSync(dir).find((f) => /^LOCPOT(\.gz)?$/.test(f))!;
  const grid = parseVolumetric(readFileSync(path.join(dir, locpot)), {
    fileName: `${name}/${locpot}`,
    maxGrids: 1,
  }).grid;
  const extraction = extractSurface(structure, grid, settings);
  const metaFile = path.join(dir, 'meta.json');
  const meta = existsSync(metaFile)
    ? (JSON.parse(readFileSync(metaFile, 'utf8')) as {
        E_slab_eV?: number;
        mu_Li_eV?: number;
        host?: string;
        dopant?: string | null;
        phase?: string;
      } & HostLevels)
    : {};
  const labelsFile = path.join(dir, 'labels.csv');
  const file = `${name}/labels.csv`;
  const rows = existsSync(labelsFile) ? parseLabelsCsv(readFileSync(labelsFile), { fileName: file }) : [];
  // The one label matcher and hop assembly (lib/pipeline), as the server's extraction and `epdi profiles`.
  const { surface, matching } = pipelineSurfaceFromSites(
    {
      name,
      host: meta.host ?? name,
      phase: meta.phase ?? null,
      dopant: meta.dopant ?? null,
      lattice: structure.lattice,
      eSlabEv: meta.E_slab_eV ?? null,
      labels: rows.map((r) => ({
        site: r.site,
        kind: r.kind,
        position: [r.x, r.y, r.z] as [number, number, number],
        eTotalEv: r.totalEnergyEv,
        eBindingEv: r.bindingEnergyEv,
        file,
        line: r.line,
      })),
      nebRuns: [],
      files: [],
    },
    extraction,
    { muLiEv: meta.mu_Li_eV ?? null, meps: extraction.meps },
  );
  for (const line of labelProblemLines(matching, LABEL_MATCH_TOLERANCE_A)) console.error(`note: ${line}`);
  const binding = new Map<number, number>();
  for (const m of matching.matched) if (m.eBindingEv !== null) binding.set(m.site, m.eBindingEv);
  const samples = samplesFromExtraction(
    name,
    extraction,
    binding,
    hostLevelDescriptors(meta, extraction.appliedShiftEv),
    structure,
  );
  return { samples, surface: { id: name, host: surface.host, dopant: surface.dopant, pipeline: surface } };
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
export async function readSurfaceFolders(folders: readonly string[], settings: Partial<ExtractionSettings> = {}): Promise<SurfaceFolders> {
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
    { kind: 'bcc', valueEv: null },
    parsed.map((p) => ({ surface: p.name, valueEv: p.meta.mu_Li_eV, kind: p.meta.mu_Li_reference })),
  );
  const out: SurfaceFolders = { samples: [], surfaces: [], unlabelled: [], skipped: [] };
  for (const p of [...parsed].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!p.potential) {
      out.skipped.push(`${p.name}: no potential file (LOCPOT or cube), so no EPDIs or site features`);
      continue;
    }
    const extraction = extractSurface(p.structure, p.potential.grid, settings);
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
      ...samplesFromExtraction(p.name, extraction, binding, hostLevelDescriptors(levelsOf(p.meta), extraction.appliedShiftEv), p.structure),
    );
    out.surfaces.push({ id: p.name, host: surface.host, dopant: surface.dopant, pipeline: surface });
  }
  return out;
}

/** The host levels of a parsed meta.json (or the host OUTCAR's, merged in by the upload reader). */
function levelsOf(meta: Record<string, unknown>): HostLevels {
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return { E_fermi_eV: num(meta.E_fermi_eV), lowest_unoccupied_eV: num(meta.lowest_unoccupied_eV) };
}
