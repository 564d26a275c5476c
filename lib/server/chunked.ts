/**
 * Bounded id lists for SQLite. Prisma's query compiler refuses a query with more than 999 bound parameters (P2029, the
 * limit of SQLite builds before 3.32) whatever the SQLite library allows, so a `{ id: { in: ids } }` over an unbounded
 * list, or a createMany of many rows, must be split. Prefer a relation filter (`where: { surface: { datasetId } }`)
 * where one exists; chunk where the ids come from the client.
 */

/**
 * Ids per `IN (...)` list. 500 leaves room for the other parameters of the same query (a dataset id, a model id)
 * well under the 999 limit.
 */
export const ID_CHUNK = 500;

/** Bound parameters a query may hold (Prisma's limit for SQLite). */
export const MAX_BIND_VALUES = 999;

/** Rows per createMany so that rows x columns stays under MAX_BIND_VALUES (with one parameter spare). */
export function rowsPerInsert(columns: number): number {
  if (!Number.isInteger(columns) || columns < 1)
    throw new RangeError(`rowsPerInsert: columns must be >= 1, got ${columns}`);
  return Math.max(1, Math.floor((MAX_BIND_VALUES - 1) / columns));
}

/** Consecutive slices of `items`, each of at most `size` (the last may be shorter; none when `items` is empty). */
export function chunks<T>(items: readonly T[], size: number = ID_CHUNK): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunks: size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Run `fn` on each chunk in turn (never in parallel: one SQLite connection) and collect the results in order. */
export async function mapChunks<T, R>(
  items: readonly T[],
  fn: (chunk: T[]) => Promise<R>,
  size: number = ID_CHUNK,
): Promise<R[]> {
  const out: R[] = [];
  for (const chunk of chunks(items, size)) out.push(await fn(chunk));
  return out;
}
