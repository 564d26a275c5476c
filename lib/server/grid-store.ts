import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Prisma } from '@prisma/client';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Mat3 } from '@/lib/math/mat3';
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

/** Store a grid as compressed little-endian Float32 chunks inside the caller's transaction. */
export async function storeGrid(tx: Prisma.TransactionClient, input: StoreGridInput): Promise<string> {
  const { grid } = input;
  const summary = summarizeGrid(grid.data);
  const chunkCount = Math.ceil(grid.data.length / GRID_CHUNK_VALUES);
  const row = await tx.grid.create({
    data: {
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
  for (let index = 0; index < chunkCount; index++) {
    const values = grid.data.subarray(
      index * GRID_CHUNK_VALUES,
      Math.min(grid.data.length, (index + 1) * GRID_CHUNK_VALUES),
    );
    const data = deflateRawSync(chunkBytes(values), { level: 1 });
    // A raw insert: about 4x faster than gridChunk.create on a 1 GB grid, with the same bytes stored.
    await tx.$executeRaw`INSERT INTO "GridChunk" ("gridId", "index", "valueCount", "data") VALUES (${row.id}, ${index}, ${values.length}, ${data})`;
  }
  return row.id;
}

/** Load a stored grid back into one Float32Array (x fastest). */
export async function loadGrid(gridId: string): Promise<Grid3D> {
  const row = await db.grid.findUniqueOrThrow({ where: { id: gridId } });
  const data = new Float32Array(row.nx * row.ny * row.nz);
  let offset = 0;
  for (let index = 0; index < row.chunkCount; index++) {
    const chunk = await db.gridChunk.findUniqueOrThrow({ where: { gridId_index: { gridId, index } } });
    const bytes = inflateRawSync(chunk.data);
    if (bytes.byteLength !== chunk.valueCount * 4) throw new Error(`grid ${gridId} chunk ${index} is corrupt`);
    chunkValues(bytes, data, offset);
    offset += chunk.valueCount;
  }
  if (offset !== data.length) throw new Error(`grid ${gridId} has ${offset} of ${data.length} values`);
  return { dims: [row.nx, row.ny, row.nz], lattice: JSON.parse(row.latticeJson) as Mat3, data };
}
