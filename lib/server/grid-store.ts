import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Prisma } from '@prisma/client';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Mat3 } from '@/lib/math/mat3';
import { withBusyRetry } from './blob-db';
import { db } from './db';

/** Values per stored chunk: 2 Mi float32 = 8 MiB before compression, so no row ever holds a whole large grid. */
export const GRID_CHUNK_VALUES = 2 * 1024 * 1024;

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function chunkBytes(values: Float32Array): Uint8Array {
  if (littleEndianHost) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function chunkValues(bytes: Uint8Array, out: Float32Array, offset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / 4;
  for (let i = 0; i < n; i++) out[offset + i] = view.getFloat32(i * 4, true);
}

export interface GridSummary {
  min: number;
  max: number;
  mean: number;
}

export function summarizeGrid(data: Float32Array): GridSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: data.length ? sum / data.length : NaN };
}

export interface StoreGridInput {
  surfaceId: string;
  kind: 'potential' | 'charge';
  unit: string;
  sourceFile: string;
  grid: Grid3D;
  vacuumShiftEv?: number;
  vacuum?: unknown;
}

/**
 * Write a grid's values as compressed little-endian Float32 chunks for a Grid row that does not exist yet (the caller
 * creates it with `createGridRow` in its transaction, or removes the chunks with `deleteGridChunks` on failure).
 * Readers never see a grid without its chunks: its row appears only once they are all written.
 */
export async function writeGridChunks(gridId: string, data: Float32Array): Promise<number> {
  const chunkCount = Math.ceil(data.length / GRID_CHUNK_VALUES);
  // Compressed one chunk at a time inside the transaction, so only one compressed chunk is alive at once; a busy
  // database fails at the first insert, so a retry repeats at most one compression.
  await withBusyRetry((conn) => {
    const insert = conn.prepare(
      'INSERT INTO "GridChunk" ("gridId", "index", "valueCount", "data") VALUES (?, ?, ?, ?)',
    );
    conn.transaction(() => {
      for (let index = 0; index < chunkCount; index++) {
        const values = data.subarray(index * GRID_CHUNK_VALUES, Math.min(data.length, (index + 1) * GRID_CHUNK_VALUES));
        insert.run(gridId, index, values.length, deflateRawSync(chunkBytes(values), { level: 1 }));
      }
    })();
  });
  return chunkCount;
}

export async function deleteGridChunks(gridIds: string[]): Promise<void> {
  if (gridIds.length === 0) return;
  await withBusyRetry((conn) => {
    const remove = conn.prepare('DELETE FROM "GridChunk" WHERE "gridId" = ?');
    conn.transaction(() => gridIds.forEach((id) => remove.run(id)))();
  });
}

/** Chunks whose grid row never came (a server killed between the two steps of a store): removed at start-up. */
export async function deleteOrphanGridChunks(): Promise<number> {
  return withBusyRetry(
    (conn) => conn.prepare('DELETE FROM "GridChunk" WHERE "gridId" NOT IN (SELECT "id" FROM "Grid")').run().changes,
  );
}

/** Create the Grid row for chunks already written by `writeGridChunks`, inside the caller's transaction. */
export async function createGridRow(
  tx: Prisma.TransactionClient,
  gridId: string,
  chunkCount: number,
  input: StoreGridInput,
): Promise<void> {
  const { grid } = input;
  const summary = summarizeGrid(grid.data);
  await tx.grid.create({
    data: {
      id: gridId,
      surfaceId: input.surfaceId,
      kind: input.kind,
      unit: input.unit,
      nx: grid.dims[0],
      ny: grid.dims[1],
      nz: grid.dims[2],
      latticeJson: JSON.stringify(grid.lattice),
      minValue: summary.min,
      maxValue: summary.max,
      meanValue: summary.mean,
      vacuumShiftEv: input.vacuumShiftEv,
      vacuumJson: input.vacuum === undefined ? undefined : JSON.stringify(input.vacuum),
      sourceFile: input.sourceFile,
      chunkCount,
    },
  });
}

/** Load a stored grid back into one Float32Array (x fastest). */
export async function loadGrid(gridId: string): Promise<Grid3D> {
  const row = await db.grid.findUniqueOrThrow({ where: { id: gridId } });
  const data = new Float32Array(row.nx * row.ny * row.nz);
  let offset = 0;
  const chunks = await withBusyRetry(
    (conn) =>
      conn
        .prepare('SELECT "index", "valueCount", "data" FROM "GridChunk" WHERE "gridId" = ? ORDER BY "index"')
        .all(gridId) as { index: number; valueCount: number; data: Buffer }[],
  );
  for (const chunk of chunks) {
    const bytes = inflateRawSync(chunk.data);
    if (bytes.byteLength !== chunk.valueCount * 4 || offset + chunk.valueCount > data.length) {
      throw new Error(`grid ${gridId} chunk ${chunk.index} is corrupt`);
    }
    chunkValues(bytes, data, offset);
    offset += chunk.valueCount;
  }
  if (offset !== data.length) throw new Error(`grid ${gridId} has ${offset} of ${data.length} values`);
  return { dims: [row.nx, row.ny, row.nz], lattice: JSON.parse(row.latticeJson) as Mat3, data };
}
