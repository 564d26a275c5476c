/**
 * A model's training sites by the user's names: training-sites.csv (lib/ml/training-sites.ts) written into a model zip
 * when the server stores or exports it, and read back on import to find the training sites in another dataset.
 *
 * Names come from where the rest of the app takes them (./profiles-load.ts): a site's name shown to the user is the
 * `site` of its latest label's provenance (the labels.csv row or sites/<name>/ folder it was matched from), else the
 * app's canonical site name; its E_b is the latest label's, the value the EPDI batch trains on (./latest-labels.ts).
 */
import { addModelZipText, modelZipText } from '@/lib/ml/persist';
import {
  parseTrainingSitesCsv,
  sortTrainingSites,
  trainingSitesCsv,
  TRAINING_SITES_FILE,
  type TrainingSiteMatch,
  type TrainingSiteRow,
} from '@/lib/ml/training-sites';
import { formatErrorMessage, isFormatError } from '@/lib/formats/errors';
import { ID_CHUNK } from './chunked';
import { db } from './db';
import { HttpError } from './http';
import { labelProvenanceSchema, safeJson } from './profiles-load';

export type { TrainingSiteMatch };

/** The dataset's sites (all, or those among `ids`) as training-sites.csv rows. */
async function siteRows(datasetId: string, ids?: ReadonlySet<string>): Promise<TrainingSiteRow[]> {
  const few = ids !== undefined && ids.size <= ID_CHUNK;
  const inDataset = { surface: { datasetId } };
  const [surfaces, sites, labels] = await Promise.all([
    db.surface.findMany({ where: { datasetId }, select: { id: true, name: true } }),
    db.site.findMany({
      where: few ? { id: { in: [...ids] }, ...inDataset } : inDataset,
      select: { id: true, surfaceId: true, name: true, kind: true, x: true, y: true },
    }),
    db.label.findMany({
      where: few ? { siteId: { in: [...ids] }, site: inDataset } : { site: inDataset },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { siteId: true, eBindingEv: true, provenance: true },
    }),
  ]);
  const surfaceName = new Map(surfaces.map((s) => [s.id, s.name]));
  const latest = new Map<string, (typeof labels)[number]>();
  for (const l of labels) if (!latest.has(l.siteId)) latest.set(l.siteId, l);
  const userName = (s: (typeof sites)[number]): string | null => {
    const label = latest.get(s.id);
    const prov = label ? labelProvenanceSchema.safeParse(safeJson(label.provenance)) : null;
    return label ? (prov?.success && prov.data.site) || s.name : null;
  };
  // As lib/pipeline displayNames: an unlabelled site whose app name is a user's label name on the same surface is
  // `app:<name>`, so one name never means two sites (a user's "bridge-17" on the app's bridge-13, the app's bridge-17).
  const userNames = new Set(sites.flatMap((s) => (userName(s) === null ? [] : [`${s.surfaceId}\u0000${userName(s)}`])));
  return sites
    .filter((s) => ids === undefined || ids.has(s.id))
    .map((s) => {
      const label = latest.get(s.id);
      const own = userName(s);
      return {
        surface: surfaceName.get(s.surfaceId) ?? '',
        site: own ?? (userNames.has(`${s.surfaceId}\u0000${s.name}`) ? `app:${s.name}` : s.name),
        appSite: s.name,
        kind: s.kind,
        xA: s.x,
        yA: s.y,
        eBindingEv: label?.eBindingEv ?? null,
        dbId: s.id,
      };
    });
}

/** training-sites.csv rows of the training sites among `ids` that are sites of the dataset, in file order. */
export async function trainingSiteRows(datasetId: string, ids: readonly string[]): Promise<TrainingSiteRow[]> {
  if (ids.length === 0) return [];
  return sortTrainingSites(await siteRows(datasetId, new Set(ids)));
}

/**
 * The zip with training-sites.csv for `ids` added; a zip that already has one (an imported model keeps the names of
 * the instance it was trained in) or a model without training ids is returned as is.
 */
export async function withTrainingSites(datasetId: string, zip: Uint8Array, ids: readonly string[]): Promise<Uint8Array> {
  if (ids.length === 0 || modelZipText(zip, TRAINING_SITES_FILE) !== null) return zip;
  const rows = await trainingSiteRows(datasetId, ids);
  if (rows.length === 0) return zip;
  return addModelZipText(zip, TRAINING_SITES_FILE, trainingSitesCsv(rows));
}

/** parseTrainingSitesCsv with a broken file as a 422. */
function readCsv(text: string): TrainingSiteRow[] {
  try {
    return parseTrainingSitesCsv(text);
  } catch (e) {
    if (isFormatError(e)) throw new HttpError(422, 'bad_model_file', formatErrorMessage(e));
    throw e;
  }
}

const nameKey = (surface: string, site: string): string => JSON.stringify([surface, site]);

/** key -> site id, with keys held by more than one site mapped to null (ambiguous: never matched). */
function uniqueIndex(rows: readonly TrainingSiteRow[], key: (r: TrainingSiteRow) => string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const r of rows) {
    const k = key(r);
    out.set(k, out.has(k) ? null : r.dbId);
  }
  return out;
}

/**
 * Find a model zip's training sites in a dataset: by database id first, then by (surface name, site name) from its
 * training-sites.csv, then by (surface name, app site name). A site of the dataset is matched at most once.
 * `siteIds` holds, per training site, the dataset's site id where found, else the zip's id (so its length is the
 * model's training-set size; a CSV row without an id that is not found is left out).
 */
export async function matchTrainingSites(
  datasetId: string,
  zip: Uint8Array,
  trainIds: readonly string[],
): Promise<{ match: TrainingSiteMatch; siteIds: string[] }> {
  const csvText = modelZipText(zip, TRAINING_SITES_FILE);
  const csvRows = csvText === null ? [] : readCsv(csvText);
  const rowById = new Map(csvRows.filter((r) => r.dbId).map((r) => [r.dbId, r]));
  const ids = [...new Set(trainIds)];
  const listed = new Set(ids);
  const entries: { id: string; row: TrainingSiteRow | undefined }[] = [
    ...ids.map((id) => ({ id, row: rowById.get(id) })),
    ...csvRows.filter((r) => !r.dbId || !listed.has(r.dbId)).map((r) => ({ id: r.dbId, row: r })),
  ];
  const match: TrainingSiteMatch = {
    total: entries.length,
    byId: 0,
    byName: 0,
    byAppSite: 0,
    unmatched: 0,
    csv: csvText !== null,
  };
  if (entries.length === 0) return { match, siteIds: [] };
  const here = await siteRows(datasetId);
  const hereIds = new Set(here.map((r) => r.dbId));
  const bySite = uniqueIndex(here, (r) => nameKey(r.surface, r.site));
  const byApp = uniqueIndex(here, (r) => nameKey(r.surface, r.appSite));
  // Three passes, so an id match is never taken by an earlier entry's name match.
  const found: (string | null)[] = entries.map(() => null);
  const used = new Set<string>();
  const pass = (key: 'byId' | 'byName' | 'byAppSite', lookup: (e: (typeof entries)[number]) => string | null | undefined) => {
    entries.forEach((e, i) => {
      if (found[i] !== null) return;
      const site = lookup(e);
      if (!site || used.has(site)) return;
      used.add(site);
      found[i] = site;
      match[key]++;
    });
  };
  pass('byId', (e) => (hereIds.has(e.id) ? e.id : null));
  pass('byName', (e) => e.row && bySite.get(nameKey(e.row.surface, e.row.site)));
  pass('byAppSite', (e) => e.row && e.row.appSite && byApp.get(nameKey(e.row.surface, e.row.appSite)));
  match.unmatched = found.filter((f) => f === null).length;
  const siteIds = entries.map((e, i) => found[i] ?? e.id).filter((id) => id !== '');
  return { match, siteIds };
}
