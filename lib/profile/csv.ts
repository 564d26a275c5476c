/**
 * CSV export of profiles, barriers and sites, streamed line by line.
 *
 * File layout (all three files):
 *   line 1   `# epdi-lab <file> v1; dataset=<name>; mu_Li=<reference>; model=<id|none>; units: <...>` : one comment
 *            line of provenance (readers: papaparse `comments: '#'`, pandas `comment='#'`, R `comment.char='#'`);
 *   line 2   the column names, with units as suffixes: `_eV` electron-volt, `_A` Angstrom, `_V` volt, no suffix
 *            = dimensionless or text;
 *   then     one row per record, '\n' line ends, UTF-8.
 * Cells: numbers with 10 significant digits (shortest form, e.g. `-1.234`, `1e-7`; |v| < 5e-11 written as 0); an
 * empty cell means "not
 * available" (no DFT label, no prediction, no NEB). Text is quoted RFC 4180 style when it holds a comma, quote, line
 * break, leading/trailing space or starts with '#' (so no data row can read as a comment).
 *
 * Columns (the `description` of each column below is the documentation; `csvColumnsDoc` prints it):
 * profiles.csv  dataset, surface, host, dopant, hop, s, energy_eV, sigma_eV, source, model_id
 * barriers.csv  dataset, surface, hop, from_site, saddle_site, to_site, E_from_eV, E_saddle_eV, E_to_eV,
 *               barrier_forward_eV, barrier_backward_eV, sigma_eV, source, neb_barrier_eV, error_eV
 * sites.csv     site, kind, x_A, y_A, z_A, mep_V, E_b_eV, E_b_pred_eV, sigma_eV, dist_to_dopant_A
 */
import { describeReference, type MuLiReference } from './binding';
import type { EnergySource, HopProfile } from './profile';
import type { NebComparison, NebProfile } from './neb-compare';

export type CsvFile = 'profiles' | 'barriers' | 'sites';
export type Cell = string | number | null | undefined;

export interface CsvColumn<Row> {
  name: string;
  description: string;
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
  fromSite: string;
  saddleSite: string;
  toSite: string;
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
  site: string;
  kind: string;
  xA: number;
  yA: number;
  zA: number;
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
  { name: 's', description: 'normalised path length, 0 at the start site, 1 at the end site', get: (r) => r.s },
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

export const BARRIER_COLUMNS: readonly CsvColumn<BarrierCsvRow>[] = [
  { name: 'dataset', description: 'dataset name', get: (r) => r.dataset },
  { name: 'surface', description: 'surface name', get: (r) => r.surface },
  { name: 'hop', description: 'hop id, unique within the surface', get: (r) => r.hop },
  { name: 'from_site', description: 'start site id (A)', get: (r) => r.fromSite },
  { name: 'saddle_site', description: 'saddle site id (S)', get: (r) => r.saddleSite },
  { name: 'to_site', description: 'end site id (B)', get: (r) => r.toSite },
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
  { name: 'site', description: 'site id', get: (r) => r.site },
  { name: 'kind', description: 'T_M | H | H_X | T_X | bridge | other', get: (r) => r.kind },
  { name: 'x_A', description: 'Li position x, Cartesian, Angstrom', get: (r) => r.xA },
  { name: 'y_A', description: 'Li position y, Cartesian, Angstrom', get: (r) => r.yA },
  { name: 'z_A', description: 'Li position z, Cartesian, Angstrom', get: (r) => r.zA },
  { name: 'mep_V', description: 'mean electrostatic potential at the site (vacuum-aligned), V', get: (r) => r.mepV },
  { name: 'E_b_eV', description: 'DFT binding energy, eV; empty if not computed', get: (r) => r.ebEv },
  { name: 'E_b_pred_eV', description: 'predicted binding energy, eV; empty if no model', get: (r) => r.ebPredEv },
  { name: 'sigma_eV', description: 'one standard deviation of E_b_pred_eV, eV', get: (r) => r.sigmaEv },
  {
    name: 'dist_to_dopant_A',
    description: 'in-plane distance to the nearest dopant image, Angstrom; empty if pristine',
    get: (r) => r.distToDopantA,
  },
];

const UNITS_NOTE =
  'units: s = normalised path length (0..1); *_eV = eV; *_A = Angstrom; *_V = V; empty cell = not available';

export interface CsvHeaderInfo {
  dataset: string;
  muLi?: MuLiReference | null;
  modelId?: string | null;
  /** Extra provenance, e.g. "re-referenced from atom to bcc". One line; line breaks become spaces. */
  note?: string;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** The leading `# ...` provenance line (with its '\n'). */
export function csvCommentLine(file: CsvFile, info: CsvHeaderInfo): string {
  const parts = [
    `# epdi-lab ${file}.csv v1`,
    `dataset=${oneLine(info.dataset)}`,
    `mu_Li=${info.muLi ? describeReference(info.muLi) : 'unspecified'}`,
    `model=${info.modelId ? oneLine(info.modelId) : 'none'}`,
    UNITS_NOTE,
  ];
  if (info.note) parts.push(oneLine(info.note));
  return `${parts.join('; ')}\n`;
}

/** A number with 10 significant digits in its shortest form, 0 when |v| < 5e-11; '' for null, undefined and
 * non-finite values. */
export function formatCsvNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  // |v| < 5e-11 prints as 0: far below any DFT precision, and it turns float noise such as
  // -101.9 - (-100) - (-1.9) = -5.8e-15 eV into the 0 it stands for.
  if (Math.abs(value) < 5e-11) return '0'; // also -0
  return String(Number(value.toPrecision(10)));
}

/** One cell, quoted when needed (see the module doc). */
export function formatCsvCell(value: Cell): string {
  if (typeof value === 'number') return formatCsvNumber(value);
  if (value === null || value === undefined) return '';
  if (/[",\r\n]/.test(value) || /^\s|\s$/.test(value) || value.startsWith('#')) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** Lines of a CSV file ('\n' included): the comment line, the column names, one line per row. Lazy: rows are
 * pulled one at a time, so a generator of rows streams through. */
export function* csvLines<Row>(
  file: CsvFile,
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
  info: CsvHeaderInfo,
): Generator<string, void, undefined> {
  yield csvCommentLine(file, info);
  yield `${columns.map((c) => c.name).join(',')}\n`;
  for (const row of rows) yield `${columns.map((c) => formatCsvCell(c.get(row))).join(',')}\n`;
}

export function profilesCsv(rows: Iterable<ProfileCsvRow>, info: CsvHeaderInfo): Generator<string, void, undefined> {
  return csvLines('profiles', PROFILE_COLUMNS, rows, info);
}

export function barriersCsv(rows: Iterable<BarrierCsvRow>, info: CsvHeaderInfo): Generator<string, void, undefined> {
  return csvLines('barriers', BARRIER_COLUMNS, rows, info);
}

export function sitesCsv(rows: Iterable<SiteCsvRow>, info: CsvHeaderInfo): Generator<string, void, undefined> {
  return csvLines('sites', SITE_COLUMNS, rows, info);
}

/** `name  description` per column, for `--help`, docs and the JSON export. */
export function csvColumnsDoc(file: CsvFile): { name: string; description: string }[] {
  const columns = file === 'profiles' ? PROFILE_COLUMNS : file === 'barriers' ? BARRIER_COLUMNS : SITE_COLUMNS;
  return columns.map(({ name, description }) => ({ name, description }));
}

/** A web `ReadableStream` of UTF-8 bytes over lines (route handlers: `new Response(csvStream(lines))`). Pulls one
 * line per chunk request, so nothing is built in memory up front. */
export function csvStream(lines: Iterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = lines[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

/** Where a hop sits, for its rows. */
export interface HopContext {
  dataset: string;
  surface: string;
  host: string;
  dopant: string | null;
  hop: string;
  modelId: string | null;
}

/** profiles.csv rows of a drawn hop profile (one per sample). */
export function* profileCsvRows(ctx: HopContext, profile: HopProfile): Generator<ProfileCsvRow, void, undefined> {
  const modelId = profile.source === 'predicted' ? ctx.modelId : null;
  for (let i = 0; i < profile.s.length; i++) {
    yield {
      dataset: ctx.dataset,
      surface: ctx.surface,
      host: ctx.host,
      dopant: ctx.dopant,
      hop: ctx.hop,
      s: profile.s[i],
      energyEv: profile.energyEv[i],
      sigmaEv: profile.sigmaEv ? profile.sigmaEv[i] : null,
      source: profile.source,
      modelId,
    };
  }
}

/** profiles.csv rows of a measured NEB (source 'neb', one per image, no sigma). */
export function* nebCsvRows(ctx: HopContext, neb: NebProfile): Generator<ProfileCsvRow, void, undefined> {
  for (let i = 0; i < neb.s.length; i++) {
    yield {
      dataset: ctx.dataset,
      surface: ctx.surface,
      host: ctx.host,
      dopant: ctx.dopant,
      hop: ctx.hop,
      s: neb.s[i],
      energyEv: neb.energyEv[i],
      sigmaEv: null,
      source: 'neb',
      modelId: null,
    };
  }
}

/** The barriers.csv row of a hop, with its NEB comparison when there is one. Site ids come from the knots. */
export function barrierCsvRow(ctx: HopContext, profile: HopProfile, neb?: NebComparison | null): BarrierCsvRow {
  const [a, s, b] = profile.knots;
  return {
    dataset: ctx.dataset,
    surface: ctx.surface,
    hop: ctx.hop,
    fromSite: a.site ?? '',
    saddleSite: s.site ?? '',
    toSite: b.site ?? '',
    eFromEv: a.energyEv,
    eSaddleEv: s.energyEv,
    eToEv: b.energyEv,
    barrierForwardEv: profile.barrierForwardEv,
    barrierBackwardEv: profile.barrierBackwardEv,
    sigmaEv: profile.barrierForwardSigmaEv,
    source: profile.source,
    nebBarrierEv: neb ? neb.nebBarrierForwardEv : null,
    errorEv: neb ? neb.barrierErrorEv : null,
  };
}

/** A row as a plain record keyed by the CSV column names (the JSON export uses the same keys). */
export function csvRecord<Row>(columns: readonly CsvColumn<Row>[], row: Row): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of columns) {
    const v = c.get(row);
    out[c.name] = v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
  }
  return out;
}
