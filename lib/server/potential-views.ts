import { z } from 'zod';
import { downsampleGrid } from '@/lib/grid/downsample';
import type { Grid3D } from '@/lib/grid/grid3d';
import { sliceParallelPlane } from '@/lib/grid/plane';
import { vacuumAlignment } from '@/lib/grid/vacuum';
import type { Vec3 } from '@/lib/math/mat3';
import { norm } from '@/lib/math/mat3';
import type { Structure } from '@/lib/structure/structure';
import { detectLayers } from '@/lib/surface/layers';
import { packFloat32Body } from '@/lib/view/binary-body';
import type { GridHeader, SliceHeader } from '@/lib/view/slice';
import { db } from './db';
import { loadGrid } from './grid-store';
import { HttpError } from './http';
import { maxJsonValues, maxSlicePixels } from './limits';

/**
 * Views of a surface's stored potential for the browser: slices parallel to the surface and a down-sampled grid for
 * the isosurface worker. Values are vacuum-aligned eV (raw grid + the extraction's shift). Loaded grids stay in a
 * small in-memory LRU bounded by bytes (EPDI_GRID_CACHE_MB, default 256) so that a height slider does not reload and
 * inflate the grid on every move.
 */
export interface SurfacePotential {
  surfaceId: string;
  gridId: string;
  grid: Grid3D;
  shiftEv: number;
  topXHeightA: number;
  defaultHeightA: number;
  normal: Vec3;
  e1: Vec3;
  e2: Vec3;
}

interface CacheEntry {
  key: string;
  bytes: number;
  value: SurfacePotential;
}

/** A Map used as an LRU (insertion order = recency), bounded by the sum of entries' bytes. */
export class ByteLru<V extends { bytes: number }> {
  private readonly map = new Map<string, V>();
  private total = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.delete(key);
    if (value.bytes > this.maxBytes) return; // never cache what cannot fit
    this.map.set(key, value);
    this.total += value.bytes;
    for (const [k, v] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= v.bytes;
    }
  }
  delete(key: string): void {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.total -= v.bytes;
    }
  }
  get size(): number {
    return this.map.size;
  }
  get bytes(): number {
    return this.total;
  }
}

const globalCache = globalThis as unknown as { epdiPotentialCache?: ByteLru<CacheEntry> };
function cache(): ByteLru<CacheEntry> {
  globalCache.epdiPotentialCache ??= new ByteLru<CacheEntry>(
    Number(process.env.EPDI_GRID_CACHE_MB ?? 256) * 1024 * 1024,
  );
  return globalCache.epdiPotentialCache;
}

interface ExtractionInfo {
  settings?: { heightA?: number };
  vacuum?: { shiftEv?: number };
  topXHeightA?: number;
}

/** The surface's potential grid with its alignment and surface frame, from the cache when still current. */
export async function surfacePotential(surfaceId: string): Promise<SurfacePotential> {
  const row = await db.surface.findUnique({
    where: { id: surfaceId },
    select: {
      structureJson: true,
      extractionJson: true,
      grids: { where: { kind: 'potential' }, select: { id: true }, orderBy: { createdAt: 'desc' }, take: 1 },
    },
  });
  if (!row) throw new HttpError(404, 'no_surface', `surface ${surfaceId} does not exist`);
  if (row.grids.length === 0) throw new HttpError(404, 'no_grid', `surface ${surfaceId} has no potential grid`);
  const gridId = row.grids[0].id;
  const key = `${gridId}:${row.extractionJson?.length ?? 0}:${row.extractionJson?.slice(-64) ?? ''}`;
  const hit = cache().get(surfaceId);
  if (hit && hit.key === key) return hit.value;

  const grid = await loadGrid(gridId);
  const structure = JSON.parse(row.structureJson) as Structure;
  const extraction = row.extractionJson ? (JSON.parse(row.extractionJson) as ExtractionInfo) : null;
  const layers = detectLayers(structure);
  const shiftEv =
    extraction?.vacuum?.shiftEv ??
    vacuumAlignment(grid, structure.positions, { ignoreIndices: layers.ignored }).shiftEv;
  const value: SurfacePotential = {
    surfaceId,
    gridId,
    grid,
    shiftEv,
    topXHeightA: extraction?.topXHeightA ?? layers.topX.heightA,
    defaultHeightA: extraction?.settings?.heightA ?? 1.5,
    normal: layers.frame.normal,
    e1: layers.frame.e1,
    e2: layers.frame.e2,
  };
  cache().set(surfaceId, { key, bytes: grid.data.byteLength, value });
  return value;
}

/** Drop a surface's cached grid (after re-upload or deletion). */
export function forgetSurfacePotential(surfaceId: string): void {
  cache().delete(surfaceId);
}

export const sliceQuerySchema = z.object({
  /** Height of the plane above the top X layer (Angstrom); default: the dataset's Li height. */
  heightA: z.coerce.number().min(-30).max(30).optional(),
  /** Pixels along a; along b in proportion to |b| / |a|. */
  pixels: z.coerce.number().int().min(8).max(512).default(128),
  format: z.enum(['binary', 'json']).default('binary'),
});
export type SliceQuery = z.infer<typeof sliceQuerySchema>;

function range(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Width and height of a slice of `pixels` along a and in proportion along b, scaled down together so that their
 * product stays within `maxPixels` (EPDI_MAX_SLICE_PIXELS): a cell with |b| = 1000 |a| no longer asks for 256 x 256,000.
 */
export function slicePixels(aLength: number, bLength: number, pixels: number, maxPixels = maxSlicePixels()): [number, number] {
  const ratio = bLength / aLength;
  let width = pixels;
  let height = Math.max(1, Math.round(pixels * ratio));
  if (!Number.isFinite(height) || width * height > maxPixels) {
    const scale = Math.sqrt(maxPixels / (pixels * pixels * (Number.isFinite(ratio) ? ratio : maxPixels)));
    width = Math.max(1, Math.min(pixels, Math.floor(pixels * scale)));
    height = Math.max(1, Math.min(Math.floor(maxPixels / width), Math.round(width * ratio) || 1));
  }
  return [width, height];
}

/**
 * The potential in the plane at `heightA` above the top X layer over one whole cell (see SliceHeader for the layout):
 * origin = normal * (topXHeightA + heightA), u = a, v = b; tricubic (Catmull-Rom) sampling via sliceParallelPlane.
 * At most EPDI_MAX_SLICE_PIXELS values (`slicePixels`).
 */
export function potentialSlice(
  p: SurfacePotential,
  heightA: number,
  pixels: number,
): { header: SliceHeader; values: Float32Array } {
  const [a, b] = p.grid.lattice;
  const [width, height] = slicePixels(norm(a), norm(b), pixels);
  const planeHeightA = p.topXHeightA + heightA;
  const origin: Vec3 = [p.normal[0] * planeHeightA, p.normal[1] * planeHeightA, p.normal[2] * planeHeightA];
  const values = sliceParallelPlane(p.grid, origin, a, b, width, height);
  for (let i = 0; i < values.length; i++) values[i] += p.shiftEv;
  const [minEv, maxEv] = range(values);
  return {
    header: {
      width,
      height,
      origin,
      u: [...a],
      v: [...b],
      normal: p.normal,
      e1: p.e1,
      e2: p.e2,
      heightA,
      planeHeightA,
      topXHeightA: p.topXHeightA,
      shiftEv: p.shiftEv,
      minEv,
      maxEv,
      unit: 'eV',
    },
    values,
  };
}

export const gridQuerySchema = z.object({
  max: z.coerce.number().int().min(4).max(128).default(64),
});

/** The potential down-sampled (tent filter, lib/grid/downsample.ts) to at most `max` points per axis, aligned eV. */
export function downsampledPotential(p: SurfacePotential, max: number): { header: GridHeader; values: Float32Array } {
  const small = downsampleGrid(p.grid, max);
  for (let i = 0; i < small.data.length; i++) small.data[i] += p.shiftEv;
  const [minEv, maxEv] = range(small.data);
  return {
    header: {
      dims: small.dims,
      sourceDims: [...p.grid.dims],
      lattice: p.grid.lattice,
      shiftEv: p.shiftEv,
      minEv,
      maxEv,
      unit: 'eV',
    },
    values: small.data,
  };
}

/**
 * Answer with the binary body (lib/view/binary-body.ts) or, for format=json, plain JSON with `values` as an array
 * (at most EPDI_MAX_JSON_VALUES values: JSON costs ~5x the bytes and far more time; 413 beyond, pointing to binary).
 */
export function floatResponse(header: object, values: Float32Array, format: 'binary' | 'json'): Response {
  if (format === 'json') {
    const max = maxJsonValues();
    if (values.length > max) {
      throw new HttpError(
        413,
        'too_many_values',
        `${values.length} values exceed the ${max} a JSON answer may hold: ask for format=binary or fewer pixels`,
      );
    }
    return Response.json({ ...header, values: Array.from(values) });
  }
  return new Response(new Uint8Array(packFloat32Body(header, values)), {
    headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-cache' },
  });
}
