/**
 * CSV export of profiles, barriers and sites, streamed line by line, and the JSON sidecar that carries their
 * provenance.
 *
 * File layout (all three files): plain RFC 4180, so pandas.read_csv(f), Python's csv.DictReader and spreadsheet
 * imports read them with no options:
 *   line 1   the column names, with units as suffixes: `_eV` electron-volt, `_A` Angstrom, `_V` volt, no suffix
 *            = text (or dimensionless, said in the sidecar);
 *   then     one row per record, '\n' line ends, UTF-8, no comment lines, no byte-order mark.
 * Cells: numbers with 10 significant digits (shortest form, e.g. `-1.234`, `1e-7`; |v| < 5e-11 written as 0) and
 * never altered otherwise (negative numbers stay numbers); an empty cell means "not available" (no DFT label, no
 * prediction, no NEB). Text is quoted RFC 4180 style ("" for a quote) when it holds a comma, quote or line break,
 * has leading/trailing white space or starts with '#'. Text beginning with = + - @ tab or CR, which a spreadsheet
 * would run as a formula (OWASP "CSV injection"), gets a leading single quote: `=1+1` is written `'=1+1`.
 *
 * Provenance (dataset, the mu_Li record, model, units and description of every column, SHA-256 of the input files,
 * notes) goes in a sidecar `<name>.json` beside each file (profiles.json, barriers.json, sites.json; `csvSidecar`,
 * ./csv-sidecar.ts) and in export.json.
 *
 * Columns (the `description` of each column is the documentation; `csvColumnsDoc` prints it, ./csv-columns.ts):
 * profiles.csv  dataset, surface, host, dopant, hop, s, energy_eV, sigma_eV, source, model_id
 * barriers.csv  dataset, surface, hop, from_site, from_site_id, saddle_site, saddle_site_id, to_site, to_site_id,
 *               E_from_eV, E_saddle_eV, E_to_eV, barrier_forward_eV, barrier_backward_eV, sigma_eV, source,
 *               neb_barrier_eV, error_eV
 * sites.csv     dataset, surface, site, site_id, kind, x_A, y_A, z_A, z_plane_A, mep_eV, E_b_eV, E_b_pred_eV,
 *               sigma_eV, dist_to_dopant_A
 * `*_site` / `site` hold the user's label name where the site was labelled, else the app's canonical site id;
 * `*_site_id` / `site_id` always the canonical id. In sites.csv z_A is the relaxed Li height from the label where
 * known, else the extraction plane z_plane_A.
 */
import {
  BARRIER_COLUMNS,
  PROFILE_COLUMNS,
  SITE_COLUMNS,
  type BarrierCsvRow,
  type Cell,
  type CsvColumn,
  type ProfileCsvRow,
  type SiteCsvRow,
} from './csv-columns';
import type { HopProfile } from './profile';
import type { NebComparison, NebProfile } from './neb-compare';

export * from './csv-columns';
export * from './csv-sidecar';

/** A number with 10 significant digits in its shortest form, 0 when |v| < 5e-11; '' for null, undefined and
 * non-finite values. */
export function formatCsvNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  // |v| < 5e-11 prints as 0: far below any DFT precision, and it turns float noise such as
  // -101.9 - (-100) - (-1.9) = -5.8e-15 eV into the 0 it stands for.
  if (Math.abs(value) < 5e-11) return '0'; // also -0
  return String(Number(value.toPrecision(10)));
}

/** Characters that make a spreadsheet read a text cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell: formula starts neutralised with a leading `'`, then quoted when needed (see the module doc). */
export function formatCsvText(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text) || text.startsWith('#')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** One cell: numbers by `formatCsvNumber` (never neutralised), text by `formatCsvText`, '' for null. */
export function formatCsvCell(value: Cell): string {
  if (typeof value === 'number') return formatCsvNumber(value);
  if (value === null || value === undefined) return '';
  return formatCsvText(value);
}

/** Lines of a CSV file ('\n' included): the column names, then one line per row. Lazy: rows are pulled one at a
 * time, so a generator of rows streams through. */
export function* csvLines<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
): Generator<string, void, undefined> {
  yield `${columns.map((c) => formatCsvText(c.name)).join(',')}\n`;
  for (const row of rows) yield `${columns.map((c) => formatCsvCell(c.get(row))).join(',')}\n`;
}

export function profilesCsv(rows: Iterable<ProfileCsvRow>): Generator<string, void, undefined> {
  return csvLines(PROFILE_COLUMNS, rows);
}

export function barriersCsv(rows: Iterable<BarrierCsvRow>): Generator<string, void, undefined> {
  return csvLines(BARRIER_COLUMNS, rows);
}

export function sitesCsv(rows: Iterable<SiteCsvRow>): Generator<string, void, undefined> {
  return csvLines(SITE_COLUMNS, rows);
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

/** Canonical site ids of a hop's three sites, where they differ from the names on its knots. */
export interface HopSiteIds {
  from: string;
  saddle: string;
  to: string;
}

/** The barriers.csv row of a hop, with its NEB comparison when there is one. Site names come from the knots; the
 * canonical ids from `siteIds`, else the knots' names too. */
export function barrierCsvRow(
  ctx: HopContext,
  profile: HopProfile,
  neb?: NebComparison | null,
  siteIds?: HopSiteIds | null,
): BarrierCsvRow {
  const [a, s, b] = profile.knots;
  return {
    dataset: ctx.dataset,
    surface: ctx.surface,
    hop: ctx.hop,
    fromSite: a.site ?? siteIds?.from ?? '',
    fromSiteId: siteIds?.from ?? a.site ?? '',
    saddleSite: s.site ?? siteIds?.saddle ?? '',
    saddleSiteId: siteIds?.saddle ?? s.site ?? '',
    toSite: b.site ?? siteIds?.to ?? '',
    toSiteId: siteIds?.to ?? b.site ?? '',
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
