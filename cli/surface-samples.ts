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
import { LABEL_MATCH_TOLERANCE_A, labelProblemLines, matchSurfaceLabels } from '../lib/pipeline';

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
    const file = `${name}/labels.csv`;
    const rows = parseLabelsCsv(readFileSync(labelsFile), { fileName: file });
    // The one label matcher (lib/pipeline/labels.ts), as the server's extraction and `epdi profiles`.
    const matching = matchSurfaceLabels(
      rows.map((r) => ({
        site: r.site,
        kind: r.kind,
        position: [r.x, r.y, r.z] as [number, number, number],
        eTotalEv: r.totalEnergyEv,
        eBindingEv: r.bindingEnergyEv,
        file,
        line: r.line,
      })),
      extraction.sites.map((s) => ({ name: s.id, kind: s.kind, position: s.position })),
      structure.lattice,
      { eSlabEv: meta.E_slab_eV ?? null, muLiEv: meta.mu_Li_eV ?? null },
    );
    for (const line of labelProblemLines(matching, LABEL_MATCH_TOLERANCE_A)) console.error(`note: ${line}`);
    for (const m of matching.matched) if (m.eBindingEv !== null) binding.set(m.site, m.eBindingEv);
  }
  return samplesFromExtraction(name, extraction, binding, hostLevelDescriptors(meta, extraction.appliedShiftEv));
}
