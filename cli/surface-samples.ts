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
import { LABEL_MATCH_TOLERANCE_A, labelProblemLines, pipelineSurfaceFromSites } from '../lib/pipeline';

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
