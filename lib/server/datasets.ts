import { z } from 'zod';
import { Prisma } from '@prisma/client';
import { extractionSettingsSchema, resolveSettings, type ExtractionSettings } from '@/lib/epdi/settings';
import { formula, type Structure } from '@/lib/structure/structure';
import { db } from './db';
import { storedSurfaceLevels } from './host-levels';
import { HttpError } from './http';

/** A dataset's extraction settings: lib/epdi's, with its defaults for anything not given. */
export const datasetSettingsSchema = extractionSettingsSchema
  .partial()
  .transform((partial) => resolveSettings(partial));
export type DatasetExtractionSettings = ExtractionSettings;

/**
 * Accepted mu_Li (eV). Bulk bcc Li is about -1.9 eV/atom and an isolated atom near 0 in the usual DFT zeros; a value
 * outside -10..0 is a typo or a unit slip, and 1e308 silently made every barrier 0 (issue 15).
 */
export const MU_LI_MIN_EV = -10;
export const MU_LI_MAX_EV = 0;
const MU_LI_RANGE = `mu_Li (muLiEv) must be between ${MU_LI_MIN_EV} and ${MU_LI_MAX_EV} eV`;

/** A mu_Li value in eV: a finite number within MU_LI_MIN_EV..MU_LI_MAX_EV; every message names mu_Li. */
export const muLiEvSchema = z
  .number({ error: 'mu_Li (muLiEv) must be a number in eV' })
  .finite('mu_Li (muLiEv) must be a finite number in eV')
  .min(MU_LI_MIN_EV, MU_LI_RANGE)
  .max(MU_LI_MAX_EV, MU_LI_RANGE);

export const createDatasetSchema = z.object({
  name: z.string().trim().min(1, 'a dataset needs a name').max(100),
  description: z.string().max(2000).default(''),
  muLiReference: z.enum(['bcc', 'atom', 'custom']).default('bcc'),
  muLiEv: muLiEvSchema.nullable().default(null),
  settings: datasetSettingsSchema.default(resolveSettings()),
});
export type CreateDatasetInput = z.input<typeof createDatasetSchema>;

export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  muLiReference: string;
  muLiEv: number | null;
  settings: DatasetExtractionSettings;
  surfaceCount: number;
  createdAt: string;
}

function toSummary(row: {
  id: string;
  name: string;
  description: string;
  muLiReference: string;
  muLiEv: number | null;
  settingsJson: string;
  createdAt: Date;
  _count: { surfaces: number };
}): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    muLiReference: row.muLiReference,
    muLiEv: row.muLiEv,
    settings: datasetSettingsSchema.parse(JSON.parse(row.settingsJson)),
    surfaceCount: row._count.surfaces,
    createdAt: row.createdAt.toISOString(),
  };
}

const summarySelect = {
  id: true,
  name: true,
  description: true,
  muLiReference: true,
  muLiEv: true,
  settingsJson: true,
  createdAt: true,
  _count: { select: { surfaces: true } },
} as const;

export async function listDatasets(): Promise<DatasetSummary[]> {
  const rows = await db.dataset.findMany({ select: summarySelect, orderBy: { createdAt: 'asc' } });
  return rows.map(toSummary);
}

export async function getDataset(id: string): Promise<DatasetSummary | null> {
  const row = await db.dataset.findUnique({ where: { id }, select: summarySelect });
  return row ? toSummary(row) : null;
}

export async function createDataset(input: unknown): Promise<DatasetSummary> {
  const data = createDatasetSchema.parse(input);
  try {
    const row = await db.dataset.create({
      data: {
        name: data.name,
        description: data.description,
        muLiReference: data.muLiReference,
        muLiEv: data.muLiEv,
        settingsJson: JSON.stringify(data.settings),
      },
      select: summarySelect,
    });
    return toSummary(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw new HttpError(409, 'dataset_exists', `a dataset named '${data.name}' already exists`);
    }
    throw err;
  }
}

export async function deleteDataset(id: string): Promise<void> {
  const { count } = await db.dataset.deleteMany({ where: { id } });
  if (count === 0) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
}

export interface SurfaceRow {
  id: string;
  name: string;
  host: string | null;
  phase: string | null;
  dopant: string | null;
  atomCount: number;
  formula: string;
  hasPotential: boolean;
  gridDims: [number, number, number] | null;
  siteCount: number;
  labelCount: number;
  nebCount: number;
  /** Host levels against the vacuum (eV), when meta.json or the host OUTCAR gave them. */
  fermiLevelEv: number | null;
  acceptorLevelEv: number | null;
  createdAt: string;
}

export async function listSurfaces(datasetId: string): Promise<SurfaceRow[]> {
  const rows = await db.surface.findMany({
    where: { datasetId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      host: true,
      phase: true,
      dopant: true,
      structureJson: true,
      labelsJson: true,
      metaJson: true,
      extractionJson: true,
      createdAt: true,
      grids: { select: { nx: true, ny: true, nz: true }, where: { kind: 'potential' }, take: 1 },
      _count: { select: { sites: true, nebRuns: true } },
    },
  });
  return rows.map((r) => {
    const structure = JSON.parse(r.structureJson) as Pick<Structure, 'species'>;
    const grid = r.grids[0];
    const levels = storedSurfaceLevels(r);
    return {
      id: r.id,
      name: r.name,
      host: r.host,
      phase: r.phase,
      dopant: r.dopant,
      atomCount: structure.species.length,
      formula: formula(structure),
      hasPotential: Boolean(grid),
      gridDims: grid ? [grid.nx, grid.ny, grid.nz] : null,
      siteCount: r._count.sites,
      labelCount: (JSON.parse(r.labelsJson) as unknown[]).length,
      nebCount: r._count.nebRuns,
      fermiLevelEv: levels.fermi_level_eV ?? null,
      acceptorLevelEv: levels.acceptor_level_eV ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  });
}
