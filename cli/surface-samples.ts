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
import { matchLabelsToSites } from '../lib/surface/match-labels';

/** Label matching tolerance in the surface plane (Angstrom), as in the server. */
const MATCH_TOLERANCE_A = 0.3;

export function isSurfaceFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'POSCAR')) && readdirSync(dir).some((f) => /^LOCPOT(\.gz)?$/.test(f));
}

export function samplesFromSurfaceFolder(dir: string, settings: Partial<ExtractionSettings> = {}): Sample[] {
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
    ? (JSON.parse(readFileSync(metaFile, 'utf8')) as { E_slab_eV?: number; mu_Li_eV?: number } & HostLevels)
    : {};
  const labelsFile = path.join(dir, 'labels.csv');
  const binding = new Map<number, number>();
  if (existsSync(labelsFile)) {
    const rows = parseLabelsCsv(readFileSync(labelsFile), { fileName: `${name}/labels.csv` });
    const matches = matchLabelsToSites(
      rows.map((r) => ({ position: [r.x, r.y, r.z] as [number, number, number] })),
      extraction.sites.map((s) => s.position),
      structure.lattice,
      MATCH_TOLERANCE_A,
    );
    for (const m of matches) {
      const row = rows[m.label];
      if (m.site < 0) {
        console.error(
          `note: ${name}/labels.csv line ${row.line}: site '${row.site}' matches no site within ${MATCH_TOLERANCE_A} A`,
        );
        continue;
      }
      const eb =
        row.bindingEnergyEv ??
        (row.totalEnergyEv !== undefined && meta.E_slab_eV !== undefined && meta.mu_Li_eV !== undefined
          ? row.totalEnergyEv - meta.E_slab_eV - meta.mu_Li_eV
          : undefined);
      if (eb !== undefined) binding.set(m.site, eb);
    }
  }
  return samplesFromExtraction(name, extraction, binding, hostLevelDescriptors(meta, extraction.appliedShiftEv));
}
