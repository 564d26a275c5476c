/**
 * training-sites.csv inside a model zip (./persist.ts): the sites a model was trained on, by the user's names, so a
 * model exported from one app instance says which sites it learned from when imported into another (where the
 * database ids of meta.json's `trainIds` mean nothing).
 *
 * Layout: RFC 4180 like the app's other CSV exports (lib/profile/csv.ts: header on line 1, '\n' line ends, UTF-8, no
 * comment lines, text quoted when needed, formula starts neutralised with a leading `'`), so pandas.read_csv(f) and
 * Python's csv.DictReader read it with no options. One row per training site, surfaces in name order, then sites in
 * natural name order. Columns:
 *   surface   the surface's name (the uploaded folder's name)
 *   site      the user's label name where the site is labelled (labels.csv `site`, sites/<name>/), else the app's
 *             site name
 *   app_site  the app's canonical site name, e.g. T_M-02 (made from the geometry: the same in every instance)
 *   kind      T_M | H | H_X | T_X | bridge | other
 *   x_A, y_A  Cartesian position of the site in the surface plane (Angstrom)
 *   E_b_eV    the binding energy the model was trained on (latest label; empty when unknown)
 *   db_id     the site's database id in the instance that wrote the file (= an entry of meta.json's trainIds)
 */
import { csvRecords } from '../formats/labels-csv';
import { csvLines, type CsvColumn } from '../profile/csv';

export const TRAINING_SITES_FILE = 'training-sites.csv';

export interface TrainingSiteRow {
  surface: string;
  /** The user's label name where labelled, else the app's site name. */
  site: string;
  /** The app's canonical site name. */
  appSite: string;
  kind: string;
  xA: number;
  yA: number;
  eBindingEv: number | null;
  /** Database id in the writing instance; '' when not known. */
  dbId: string;
}

export const TRAINING_SITE_COLUMNS: readonly CsvColumn<TrainingSiteRow>[] = [
  { name: 'surface', description: "the surface's name (its folder's name)", get: (r) => r.surface },
  {
    name: 'site',
    description: "the user's label name where the site was labelled, else the app's site name",
    get: (r) => r.site,
  },
  { name: 'app_site', description: "the app's canonical site name, e.g. T_M-02", get: (r) => r.appSite },
  { name: 'kind', description: 'site kind: T_M, H, H_X, T_X, bridge or other', get: (r) => r.kind },
  { name: 'x_A', description: 'Cartesian x of the site (Angstrom)', get: (r) => r.xA },
  { name: 'y_A', description: 'Cartesian y of the site (Angstrom)', get: (r) => r.yA },
  { name: 'E_b_eV', description: 'binding energy the model was trained on (eV)', get: (r) => r.eBindingEv },
  { name: 'db_id', description: 'database id of the site where the file was written', get: (r) => r.dbId },
];

/** How the training sites listed by a model zip were found in a dataset. */
export interface TrainingSiteMatch {
  /** Training sites the zip lists (meta.json trainIds, plus CSV rows without an id there). */
  total: number;
  /** Found by database id (the zip was made in this instance, from this dataset). */
  byId: number;
  /** Found by (surface name, site name): the user's label name, else the app's site name. */
  byName: number;
  /** Found by (surface name, the app's canonical site name) when the site name found nothing. */
  byAppSite: number;
  /** Not found (no such surface or site here, a name shared by two sites, or an old zip without the CSV). */
  unmatched: number;
  /** Whether the zip carried training-sites.csv. */
  csv: boolean;
}

/** One line for people: "28 of 30 found here (by name 28)", "none of 30 found here (the zip has no training-sites.csv)". */
export function describeTrainingSiteMatch(m: TrainingSiteMatch): string {
  const found = m.byId + m.byName + m.byAppSite;
  const keys = (
    [
      ['by id', m.byId],
      ['by name', m.byName],
      ['by app site name', m.byAppSite],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  const head = found === 0 ? `none of ${m.total} found here` : `${found} of ${m.total} found here (${keys.join(', ')})`;
  return m.csv || m.byId === m.total ? head : `${head}; the zip has no ${TRAINING_SITES_FILE}`;
}

const collator = new Intl.Collator('en', { numeric: true });

/** Rows in file order: surfaces by name, then sites by natural name order (H-2 before H-10). */
export function sortTrainingSites(rows: readonly TrainingSiteRow[]): TrainingSiteRow[] {
  return [...rows].sort(
    (a, b) => collator.compare(a.surface, b.surface) || collator.compare(a.site, b.site) || collator.compare(a.dbId, b.dbId),
  );
}

/** training-sites.csv text ('\n' line ends, header included), rows as given. */
export function trainingSitesCsv(rows: Iterable<TrainingSiteRow>): string {
  return [...csvLines(TRAINING_SITE_COLUMNS, rows)].join('');
}

/** A cell as written, with the formula neutralisation (`'=...`) undone. */
function unneutralise(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

function num(cell: string | undefined): number | null {
  if (cell === undefined || cell.trim() === '') return null;
  const v = Number(cell);
  return Number.isFinite(v) ? v : null;
}

/**
 * Read training-sites.csv back. Columns are found by name (order free; a file lacking `surface` or `site` yields no
 * rows); blank records are skipped. Throws FormatError on an unterminated quote.
 */
export function parseTrainingSitesCsv(text: string): TrainingSiteRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ''), TRAINING_SITES_FILE);
  if (records.length === 0) return [];
  const header = records[0].fields.map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  const [surface, site, appSite, kind, x, y, eb, dbId] = [
    'surface',
    'site',
    'app_site',
    'kind',
    'x_A',
    'y_A',
    'E_b_eV',
    'db_id',
  ].map(col);
  if (surface < 0 || site < 0) return [];
  const text1 = (fields: string[], i: number): string => (i >= 0 ? unneutralise(fields[i] ?? '') : '');
  return records
    .slice(1)
    .filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''))
    .map((r) => ({
      surface: text1(r.fields, surface),
      site: text1(r.fields, site),
      appSite: text1(r.fields, appSite),
      kind: text1(r.fields, kind),
      xA: num(r.fields[x]) ?? Number.NaN,
      yA: num(r.fields[y]) ?? Number.NaN,
      eBindingEv: num(r.fields[eb]),
      dbId: text1(r.fields, dbId),
    }));
}
