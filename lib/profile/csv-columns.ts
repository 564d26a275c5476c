/**
 * Row types and column definitions of the three CSV exports (profiles.csv, barriers.csv, sites.csv). The layout, the
 * cell formatting and the JSON sidecar are in ./csv.ts, which re-exports everything here.
 *
 * Units are in the column names (`_eV` electron-volt, `_A` Angstrom, `_V` volt); `columnUnit` reads them back, and
 * a column whose name has no suffix is text unless it says otherwise (`s`, dimensionless).
 */
import type { EnergySource } from './profile';

export type CsvFile = 'profiles' | 'barriers' | 'sites';
export type Cell = string | number | null | undefined;

export interface CsvColumn<Row> {
  name: string;
  description: string;
  /** Unit where the name's suffix does not say it (e.g. 'dimensionless'); see `columnUnit`. */
  unit?: string;
  get(row: Row): Cell;
}

export interface ProfileCsvRow {
  dataset: string;
  surface: string;
  host: string;
  dopant: string | null;
  hop: string;
  s: number;
  energyEv: number;
  sigmaEv: number | null;
  source: EnergySource;
  modelId: string | null;
}

export interface BarrierCsvRow {
  dataset: string;
  surface: string;
  hop: string;
  /** The user's label name of A where known, else its canonical site id. */
  fromSite: string;
  /** The app's canonical site id of A, e.g. 'T_M-0'. */
  fromSiteId: string;
  saddleSite: string;
  saddleSiteId: string;
  toSite: string;
  toSiteId: string;
  eFromEv: number;
  eSaddleEv: number;
  eToEv: number;
  barrierForwardEv: number;
  barrierBackwardEv: number;
  sigmaEv: number | null;
  source: EnergySource;
  nebBarrierEv: number | null;
  errorEv: number | null;
}

export interface SiteCsvRow {
  dataset: string;
  surface: string;
  /** The user's label name where the site was labelled, else the canonical site id. */
  site: string;
  /** The app's canonical site id, e.g. 'T_M-0'. */
  siteId: string;
  kind: string;
  xA: number;
  yA: number;
  /** Relaxed Li z from the user's label where known, else the extraction plane height. */
  zA: number;
  /** Height of the extraction plane (top X layer + the dataset's Li height), Angstrom; null if unknown. */
  zPlaneA: number | null;
  mepV: number | null;
  ebEv: number | null;
  ebPredEv: number | null;
  sigmaEv: number | null;
  distToDopantA: number | null;
}

export const PROFILE_COLUMNS: readonly CsvColumn<ProfileCsvRow>[] = [
  { name: 'dataset', description: 'dataset name', get: (r) => r.dataset },
  { name: 'surface', description: 'surface name (folder or database name)', get: (r) => r.surface },
  { name: 'host', description: 'host TMD, e.g. MoS2', get: (r) => r.host },
  { name: 'dopant', description: 'dopant element; empty for the pristine host', get: (r) => r.dopant },
  { name: 'hop', description: 'hop id, unique within the surface', get: (r) => r.hop },
  {
    name: 's',
    unit: 'dimensionless',
    description: 'normalised path length, 0 at the start site, 1 at the end site',
    get: (r) => r.s,
  },
  {
    name: 'energy_eV',
    description: 'binding energy on the curve (PCHIP) or at the NEB image, eV',
    get: (r) => r.energyEv,
  },
  { name: 'sigma_eV', description: 'one standard deviation of energy_eV, eV; empty if unknown', get: (r) => r.sigmaEv },
  {
    name: 'source',
    description: 'dft | predicted (any knot predicted) | neb (NEB image energies)',
    get: (r) => r.source,
  },
  { name: 'model_id', description: 'model that predicted knots; empty for pure DFT / NEB rows', get: (r) => r.modelId },
];

const USER_OR_CANONICAL = "the user's label name where the site was labelled, else the canonical site id";

export const BARRIER_COLUMNS: readonly CsvColumn<BarrierCsvRow>[] = [
  { name: 'dataset', description: 'dataset name', get: (r) => r.dataset },
  { name: 'surface', description: 'surface name', get: (r) => r.surface },
  { name: 'hop', description: 'hop id, unique within the surface', get: (r) => r.hop },
  { name: 'from_site', description: `start site (A): ${USER_OR_CANONICAL}`, get: (r) => r.fromSite },
  { name: 'from_site_id', description: "the app's canonical site id of A, e.g. T_M-0", get: (r) => r.fromSiteId },
  { name: 'saddle_site', description: `saddle site (S): ${USER_OR_CANONICAL}`, get: (r) => r.saddleSite },
  { name: 'saddle_site_id', description: "the app's canonical site id of S", get: (r) => r.saddleSiteId },
  { name: 'to_site', description: `end site (B): ${USER_OR_CANONICAL}`, get: (r) => r.toSite },
  { name: 'to_site_id', description: "the app's canonical site id of B", get: (r) => r.toSiteId },
  { name: 'E_from_eV', description: 'binding energy of A, eV', get: (r) => r.eFromEv },
  { name: 'E_saddle_eV', description: 'binding energy of S, eV', get: (r) => r.eSaddleEv },
  { name: 'E_to_eV', description: 'binding energy of B, eV', get: (r) => r.eToEv },
  {
    name: 'barrier_forward_eV',
    description: 'max of the drawn profile - E_from, eV (= E_saddle - E_from when the saddle is the maximum)',
    get: (r) => r.barrierForwardEv,
  },
  {
    name: 'barrier_backward_eV',
    description: 'max of the drawn profile - E_to, eV (= E_saddle - E_to when the saddle is the maximum)',
    get: (r) => r.barrierBackwardEv,
  },
  {
    name: 'sigma_eV',
    description: 'one standard deviation of barrier_forward_eV, eV; empty if unknown',
    get: (r) => r.sigmaEv,
  },
  { name: 'source', description: 'dft | predicted | neb: where the knot energies came from', get: (r) => r.source },
  {
    name: 'neb_barrier_eV',
    description: 'forward barrier of the NEB run of this hop, eV; empty if none',
    get: (r) => r.nebBarrierEv,
  },
  { name: 'error_eV', description: 'barrier_forward_eV - neb_barrier_eV, eV; empty if no NEB', get: (r) => r.errorEv },
];

export const SITE_COLUMNS: readonly CsvColumn<SiteCsvRow>[] = [
  { name: 'dataset', description: 'dataset name', get: (r) => r.dataset },
  { name: 'surface', description: 'surface name', get: (r) => r.surface },
  { name: 'site', description: `site name: ${USER_OR_CANONICAL}`, get: (r) => r.site },
  { name: 'site_id', description: "the app's canonical site id, e.g. T_M-0", get: (r) => r.siteId },
  { name: 'kind', description: 'T_M | H | H_X | T_X | bridge | other', get: (r) => r.kind },
  { name: 'x_A', description: 'site position x, Cartesian, Angstrom', get: (r) => r.xA },
  { name: 'y_A', description: 'site position y, Cartesian, Angstrom', get: (r) => r.yA },
  {
    name: 'z_A',
    description: "Li height z, Cartesian, Angstrom: the relaxed Li z from the user's label where known, else z_plane_A",
    get: (r) => r.zA,
  },
  {
    name: 'z_plane_A',
    description: 'z of the plane the MEP and EPDI were extracted in (top X layer + Li height setting), Angstrom',
    get: (r) => r.zPlaneA,
  },
  { name: 'mep_eV', description: 'MEP at the site: mean potential energy of an electron, -e*phi, in eV, zero in the vacuum (phi in volts has the opposite sign)', get: (r) => r.mepV },
  { name: 'E_b_eV', description: 'DFT binding energy, eV; empty if not computed', get: (r) => r.ebEv },
  { name: 'E_b_pred_eV', description: 'predicted binding energy, eV; empty if no model', get: (r) => r.ebPredEv },
  { name: 'sigma_eV', description: 'one standard deviation of E_b_pred_eV, eV', get: (r) => r.sigmaEv },
  {
    name: 'dist_to_dopant_A',
    description: 'in-plane distance to the nearest dopant image, Angstrom; empty if pristine',
    get: (r) => r.distToDopantA,
  },
];

/** The columns of one file. */
export function csvColumns(file: CsvFile): readonly CsvColumn<never>[] {
  return file === 'profiles' ? PROFILE_COLUMNS : file === 'barriers' ? BARRIER_COLUMNS : SITE_COLUMNS;
}

/** A column's unit: its `unit`, else from the name's suffix (`_eV` eV, `_A` Angstrom, `_V` V), else null (text). */
export function columnUnit(column: { name: string; unit?: string }): string | null {
  if (column.unit) return column.unit;
  if (column.name.endsWith('_eV')) return 'eV';
  if (column.name.endsWith('_A')) return 'Angstrom';
  if (column.name.endsWith('_V')) return 'V';
  return null;
}

/** `name`, `unit`, `description` per column, for `--help`, docs, the JSON export and the sidecars. */
export function csvColumnsDoc(file: CsvFile): { name: string; unit: string | null; description: string }[] {
  return csvColumns(file).map((c) => ({ name: c.name, unit: columnUnit(c), description: c.description }));
}
