import { Prisma } from '@prisma/client';
import { db } from './db';
import { getDataset, listSurfaces } from './datasets';
import { levelCorrelation } from './level-correlation';
import { mepCorrelation } from './mep-correlation';
import { assembleProfiles, datasetMuLi, type DatasetProfiles, type ProfilesQuery } from './profiles';
import { getSurfacePage, type SurfacePage } from './surface-page';

/**
 * Derived views of a dataset (profiles, the dataset page's tables and correlations, a surface page) cached in memory
 * and keyed on the dataset's version (issue 15: 200 concurrent GETs recomputed every profile on every request).
 *
 * The version is one SQL statement over what those views read: the dataset row (its updatedAt changes with every
 * Prisma update: mu_Li, settings), and per table of the dataset's rows (surfaces, grids, sites, hops, labels, NEB runs,
 * models, predictions) the row count and the largest rowid (a re-extraction deletes and re-creates rows, which take
 * new rowids), plus sums that in-place updates change (extraction and labels JSON lengths, E_b and prediction totals).
 * Nothing is recomputed while nothing changed; concurrent misses share one computation.
 */

const MAX_ENTRIES = 64;

interface Entry {
  version: string;
  value: Promise<unknown>;
}

const holder = globalThis as unknown as { epdiViewCache?: Map<string, Entry> };
function cache(): Map<string, Entry> {
  holder.epdiViewCache ??= new Map();
  return holder.epdiViewCache;
}

/** Forget every cached view (tests). */
export function clearViewCache(): void {
  cache().clear();
}

/** The dataset's version: changes whenever anything a derived view reads changes. null when there is no such dataset. */
export async function datasetVersion(datasetId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ v: string | null }[]>(Prisma.sql`
    SELECT
      (SELECT d."updatedAt" || '|' || coalesce(d."muLiEv", '') || '|' || d."muLiReference" || '|' || length(d."settingsJson")
         || '|' || length(d."muLiNote") FROM "Dataset" d WHERE d."id" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(s.rowid), 0) || '|' || total(length(s."extractionJson"))
         || '|' || total(length(s."labelsJson")) || '|' || total(length(s."metaJson"))
         FROM "Surface" s WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(g.rowid), 0) || '|' || total(g."vacuumShiftEv")
         FROM "Grid" g JOIN "Surface" s ON g."surfaceId" = s."id" WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(t.rowid), 0)
         FROM "Site" t JOIN "Surface" s ON t."surfaceId" = s."id" WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(h.rowid), 0)
         FROM "Hop" h JOIN "Surface" s ON h."surfaceId" = s."id" WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(l.rowid), 0) || '|' || total(l."eBindingEv") || '|' || total(l."eTotalEv")
         FROM "Label" l JOIN "Site" t ON l."siteId" = t."id" JOIN "Surface" s ON t."surfaceId" = s."id"
         WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(n.rowid), 0)
         FROM "NebRun" n JOIN "Surface" s ON n."surfaceId" = s."id" WHERE s."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(m.rowid), 0) || '|' || total(length(m."metricsJson"))
         FROM "Model" m WHERE m."datasetId" = ${datasetId})
      || '/' || (SELECT count(*) || '|' || coalesce(max(p.rowid), 0) || '|' || total(p."valueEv") || '|' || total(p."sigmaEv")
         FROM "Prediction" p JOIN "Model" m ON p."modelId" = m."id" WHERE m."datasetId" = ${datasetId})
      AS v`);
  return rows[0]?.v ?? null;
}

/** `compute()` once per (key, dataset version); errors are not cached. */
async function cached<T>(datasetId: string, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await datasetVersion(datasetId);
  if (version === null) return compute(); // no such dataset: let the view answer its 404
  const map = cache();
  const hit = map.get(key);
  if (hit && hit.version === version) {
    map.delete(key);
    map.set(key, hit); // most recently used last
    return hit.value as Promise<T>;
  }
  const value = compute();
  map.set(key, { version, value });
  value.catch(() => {
    if (map.get(key)?.value === value) map.delete(key);
  });
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  return value;
}

/** `assembleProfiles` (lib/server/profiles.ts), cached per dataset version and query. */
export function cachedProfiles(datasetId: string, query: Partial<ProfilesQuery> = {}): Promise<DatasetProfiles> {
  const key = `profiles:${datasetId}:${JSON.stringify([query.surfaces ?? null, query.model ?? null, query.samples ?? null])}`;
  return cached(datasetId, key, () => assembleProfiles(datasetId, query));
}

export interface DatasetPageData {
  dataset: NonNullable<Awaited<ReturnType<typeof getDataset>>>;
  surfaces: Awaited<ReturnType<typeof listSurfaces>>;
  correlation: Awaited<ReturnType<typeof mepCorrelation>>;
  levels: Awaited<ReturnType<typeof levelCorrelation>>;
  muLi: Awaited<ReturnType<typeof datasetMuLi>>;
}

/** What the dataset page shows (dataset, surfaces, MEP and host-level correlations, mu_Li), or null: no such dataset. */
export function cachedDatasetPage(datasetId: string): Promise<DatasetPageData | null> {
  return cached(datasetId, `dataset-page:${datasetId}`, async () => {
    const dataset = await getDataset(datasetId);
    if (!dataset) return null;
    const [surfaces, correlation, levels, muLi] = await Promise.all([
      listSurfaces(datasetId),
      mepCorrelation(datasetId),
      levelCorrelation(datasetId),
      datasetMuLi(datasetId),
    ]);
    return { dataset, surfaces, correlation, levels, muLi };
  });
}

/** `getSurfacePage` (lib/server/surface-page.ts), cached per dataset version. */
export function cachedSurfacePage(datasetId: string, surfaceId: string): Promise<SurfacePage | null> {
  return cached(datasetId, `surface-page:${datasetId}:${surfaceId}`, () => getSurfacePage(datasetId, surfaceId));
}
