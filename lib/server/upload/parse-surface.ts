import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Structure } from '@/lib/structure/structure';
import { inferHostComposition } from '@/lib/structure/composition';
import { parseVolumetricStream } from '@/lib/formats/volumetric';
import { requireFinalEnergy } from '@/lib/formats/outcar';
import type { BundleFile, SurfaceBundle } from './bundle';
import { UploadError } from './errors';
import { openMaybeGzip } from './open-file';
import { parseLabelFiles } from './parse-labels';
import { readerLimits } from '../limits';
import { asUploadError, readJsonFile, readOutcar, readStructure, readVasprun } from './read-file';
import type { ReceivedFile } from './receive';

export { asUploadError } from './read-file';

/** meta.json of a surface folder (../shared/DESIGN.md section 3); anything missing the user gives in the app. */
export const surfaceMetaSchema = z
  .object({
    host: z.string().min(1).optional(),
    phase: z.enum(['2H', '1T']).or(z.string()).optional(),
    dopant: z.string().min(1).nullable().optional(),
    E_slab_eV: z.number().finite().optional(),
    mu_Li_eV: z.number().finite().optional(),
    mu_Li_reference: z.string().optional(),
    code: z.string().optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type SurfaceMeta = z.infer<typeof surfaceMetaSchema>;

/** A computed Li position before it is matched to the app's sites (matching happens at extraction). */
export interface RawLabel {
  site: string;
  kind: string;
  position: [number, number, number];
  eTotalEv?: number;
  eBindingEv?: number;
  method?: string;
  note?: string;
  source: 'csv' | 'outcar';
  file: string;
  line?: number;
}

export interface ParsedNebImage {
  index: number;
  energyEv: number;
  /** Normalised reaction coordinate (cumulative image distance). */
  s: number;
  /** Cartesian position of the (single) Li atom of the image, Angstrom; null when the image has none. */
  li: [number, number, number] | null;
}

export interface ParsedSurface {
  name: string;
  root: string;
  structure: Structure;
  potential?: { grid: Grid3D; unit: string; sourceFile: string };
  meta: SurfaceMeta;
  host: string | null;
  dopant: string | null;
  eSlabEv?: number;
  labels: RawLabel[];
  nebRuns: { name: string; images: ParsedNebImage[] }[];
  sourceFiles: { path: string; bytes: number; sha256: string; role: string }[];
}

export type ParseProgress = (fraction: number, message: string) => void;

async function readPotential(
  file: ReceivedFile,
  progress: (f: number) => void,
): Promise<{ grid: Grid3D; unit: string; structure: Structure }> {
  const { size } = await stat(file.tempPath);
  try {
    const { chunks, gzip, sourceBytesRead } = await openMaybeGzip(file.tempPath, file.path);
    if (/\.(cube|cub)(\.gz)?$/i.test(file.path)) {
      const { parseCubeStream } = await import('@/lib/formats/cube');
      const cube = await parseCubeStream(
        (async function* () {
          for await (const chunk of chunks) {
            yield chunk;
            progress(sourceBytesRead() / size);
          }
        })(),
        { fileName: file.path, totalBytes: gzip ? undefined : size, ...readerLimits() },
      );
      return { grid: cube.grid, unit: 'eV', structure: cube.structure };
    }
    const data = await parseVolumetricStream(chunks, {
      fileName: file.path,
      totalBytes: gzip ? undefined : size,
      maxGrids: 1,
      ...readerLimits(),
      onProgress: () => progress(sourceBytesRead() / size),
    });
    if (data.kind !== 'LOCPOT' && data.kind !== 'unknown') {
      throw new UploadError(422, 'not_a_potential', `${file.path} is a ${data.kind}, not an electrostatic potential`, {
        file: file.path,
      });
    }
    return { grid: data.grid, unit: 'eV', structure: data.structure };
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

async function readMeta(file: ReceivedFile): Promise<SurfaceMeta> {
  const json = await readJsonFile(file); // size, depth and string checks (issue 15)
  const parsed = surfaceMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UploadError(422, 'bad_meta', `${file.path}: ${issue.path.join('.')}: ${issue.message}`, {
      file: file.path,
    });
  }
  return parsed.data;
}

/** The host run: final energy and, in meta.json's names, its electronic levels (lib/ml/host-levels.ts). */
async function readHostOutcar(file: ReceivedFile): Promise<{ eSlabEv: number; levels: Record<string, number | boolean> }> {
  const summary = await readOutcar(file);
  const levels: Record<string, number | boolean> = {};
  if (summary.levels) {
    levels.E_fermi_eV = summary.levels.fermiEv;
    if (summary.levels.highestOccupiedEv !== undefined) levels.highest_occupied_eV = summary.levels.highestOccupiedEv;
    if (summary.levels.lowestUnoccupiedEv !== undefined) levels.lowest_unoccupied_eV = summary.levels.lowestUnoccupiedEv;
    if (summary.levels.fractionalOccupations !== undefined)
      levels.fractional_occupations = summary.levels.fractionalOccupations;
  }
  try {
    return { eSlabEv: requireFinalEnergy(summary, file.path), levels };
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

/** The host run's final energy from vasprun.xml, when the folder has no host OUTCAR. */
async function readHostVasprun(file: ReceivedFile): Promise<number> {
  const summary = await readVasprun(file);
  if (summary.energySigma0Ev === undefined) {
    throw new UploadError(
      422,
      'unexpected_eof',
      `${file.path}: expected a finished ionic step (<calculation> with e_0_energy) before the end of the file`,
      { file: file.path },
    );
  }
  return summary.energySigma0Ev;
}

function sameAtomCount(a: Structure, b: Structure, file: string): void {
  if (a.species.length !== b.species.length) {
    throw new UploadError(
      422,
      'structure_mismatch',
      `${file} describes ${b.species.length} atoms but the surface's POSCAR has ${a.species.length}`,
      { file },
    );
  }
}

/**
 * Parse every file of one surface folder from the temporary area. Throws UploadError (4xx, file and line) on the
 * first problem; nothing is stored here.
 */
export async function parseSurfaceBundle(
  bundle: SurfaceBundle,
  received: Map<string, ReceivedFile>,
  progress: ParseProgress,
): Promise<ParsedSurface> {
  const fileOf = (f: BundleFile) => received.get(f.path)!;
  const one = (role: BundleFile['role']) => bundle.files.find((f) => f.role === role);

  const structureFile = one('structure');
  const potentialFile = one('potential');
  let structure = structureFile ? await readStructure(fileOf(structureFile)) : undefined;
  let potential: ParsedSurface['potential'];
  if (potentialFile) {
    const read = await readPotential(fileOf(potentialFile), (f) => progress(f, `parsing ${potentialFile.path}`));
    if (structure) sameAtomCount(structure, read.structure, potentialFile.path);
    structure ??= read.structure;
    potential = { grid: read.grid, unit: read.unit, sourceFile: potentialFile.path };
  }
  if (!structure) throw new UploadError(422, 'no_structure', `folder '${bundle.root || '.'}' has no structure`);

  const metaFile = one('meta');
  const outcarFile = one('host-outcar');
  const vasprunFile = one('host-vasprun');
  const hostRun = outcarFile ? await readHostOutcar(fileOf(outcarFile)) : undefined;
  const vasprunEnergy = !hostRun && vasprunFile ? await readHostVasprun(fileOf(vasprunFile)) : undefined;
  // The host OUTCAR's levels (E-fermi, band edges) fill in what meta.json does not state.
  const meta: SurfaceMeta = { ...hostRun?.levels, ...(metaFile ? await readMeta(fileOf(metaFile)) : {}) };
  const eSlabEv = hostRun ? hostRun.eSlabEv : (vasprunEnergy ?? meta.E_slab_eV);

  // Labels are checked against the structure's sites here, so a label far from every site is refused at upload.
  const { labels, nebRuns } = await parseLabelFiles(bundle.files, fileOf, structure);
  const composition = inferHostComposition(structure.species);
  return {
    name: bundle.name || surfaceNameFromComment(structure, bundle),
    root: bundle.root,
    structure,
    potential,
    meta,
    host: meta.host ?? composition.host,
    dopant: meta.dopant === undefined ? composition.dopant : meta.dopant,
    eSlabEv,
    labels,
    nebRuns,
    sourceFiles: bundle.files.map((f) => {
      const r = fileOf(f);
      return { path: f.path, bytes: r.bytes, sha256: r.sha256, role: f.role };
    }),
  };
}

/** A name for a surface sent without a folder: the POSCAR comment (VASP's system name), else the first file's name. */
function surfaceNameFromComment(structure: Structure, bundle: SurfaceBundle): string {
  const comment = structure.comment
    .replace(/[^\w .+()=-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  return comment || bundle.files[0].path.split('/').pop()!;
}
