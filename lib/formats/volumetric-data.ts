/**
 * What reading a VASP volumetric file (./volumetric.ts) takes and gives: the file kinds and their units, the reader's
 * options and the parsed data.
 */
import type { Grid3D } from '../grid/grid3d';
import type { Structure } from '../structure/structure';
import type { PoscarOptions, SpeciesSource } from './poscar';

export type VolumetricKind = 'LOCPOT' | 'CHGCAR' | 'CHG' | 'AECCAR' | 'PARCHG' | 'ELFCAR' | 'unknown';

/** Default bound on grid points: 512^3 = 2^27 (512 MiB of float32 per grid). */
export const DEFAULT_MAX_POINTS = 512 ** 3;

/** The kind of a volumetric file from its name (LOCPOT, CHGCAR.gz, AECCAR2, PARCHG.0123.ALLK, vasp_ELFCAR, ...). */
export function volumetricKindFromName(name: string | undefined): VolumetricKind {
  const base = (name ?? '').split(/[\\/]/).pop()!.toUpperCase();
  if (base.includes('LOCPOT')) return 'LOCPOT';
  if (base.includes('CHGCAR')) return 'CHGCAR';
  if (base.includes('AECCAR')) return 'AECCAR';
  if (base.includes('PARCHG')) return 'PARCHG';
  if (base.includes('ELFCAR')) return 'ELFCAR';
  if (/(^|[^A-Z])CHG($|[^A-Z])/.test(base)) return 'CHG';
  return 'unknown';
}

/** Units of the values of a kind, in words. */
export function volumetricUnits(kind: VolumetricKind): string {
  switch (kind) {
    case 'LOCPOT':
      return 'eV';
    case 'ELFCAR':
      return 'dimensionless';
    case 'unknown':
      return 'as written';
    default:
      return 'e (rho*V_cell)';
  }
}

export interface VolumetricOptions extends PoscarOptions {
  /** File kind; from `fileName` when absent. */
  kind?: VolumetricKind;
  /** Refuse grids with more points than this before allocating (default 512^3). */
  maxPoints?: number;
  /** Exact number of (decompressed) bytes that will be pushed, when known: bounds the grid size. */
  totalBytes?: number;
  /** Upper bound on bytes that can arrive (e.g. the gzip cap), when the exact size is unknown. */
  maxBytes?: number;
  /** How many grids to read (1 = the first only; default 4: total + up to 3 magnetisation grids). */
  maxGrids?: number;
  /** Called as bytes are consumed: (consumed, total when known). */
  onProgress?: (consumedBytes: number, totalBytes?: number) => void;
}

export interface VolumetricData {
  kind: VolumetricKind;
  units: string;
  structure: Structure;
  speciesSource: SpeciesSource;
  /** [NGX, NGY, NGZ]. */
  dims: [number, number, number];
  /** The first grid: the potential (LOCPOT) or rho*V_cell (CHGCAR). Shape [nx, ny, nz], x fastest. */
  grid: Grid3D;
  /** Further grids: spin (ISPIN=2: magnetisation) or non-collinear mx, my, mz; same dims and lattice. */
  extraGrids: Grid3D[];
  /** The second grid, when present (spin density for CHGCAR, spin-down-up for LOCPOT). */
  spin?: Grid3D;
  /** Whether CHGCAR augmentation occupancy blocks were skipped. */
  augmentationSkipped: boolean;
}
