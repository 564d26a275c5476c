import type { Vec3 } from '../math/mat3';

/**
 * A potential slice parallel to the surface, as served by GET /api/surfaces/[id]/slice.
 * Layout of `values`: row-major, Shape [height, width] (index = col + width * row). Pixel (row, col) is the potential
 * (eV, vacuum-aligned) at its centre origin + ((col + 0.5) / width) u + ((row + 0.5) / height) v, Cartesian Angstrom:
 * `origin` is a corner of the cell face lifted to the plane, `u` = a and `v` = b span one whole cell, row 0 lies along
 * `origin` + t u (the side of smallest b fraction).
 */
export interface SliceHeader {
  width: number;
  height: number;
  origin: Vec3;
  u: Vec3;
  v: Vec3;
  /** Surface frame: unit normal (towards the vacuum above the top layer) and in-plane axes. */
  normal: Vec3;
  e1: Vec3;
  e2: Vec3;
  /** Height of the plane above the top X layer, and along the normal from the origin of coordinates (Angstrom). */
  heightA: number;
  planeHeightA: number;
  topXHeightA: number;
  /** Added to raw grid values to put the vacuum above the surface at 0 (eV). */
  shiftEv: number;
  minEv: number;
  maxEv: number;
  unit: 'eV';
}

/** A down-sampled potential grid, as served by GET /api/surfaces/[id]/grid: a Grid3D (x fastest) over the same lattice. */
export interface GridHeader {
  dims: [number, number, number];
  /** Dims of the stored grid it was filtered from. */
  sourceDims: [number, number, number];
  lattice: [Vec3, Vec3, Vec3];
  shiftEv: number;
  minEv: number;
  maxEv: number;
  unit: 'eV';
}

/** The plane's four corners (Cartesian): origin, origin + u, origin + u + v, origin + v. */
export function sliceCorners(h: Pick<SliceHeader, 'origin' | 'u' | 'v'>): [Vec3, Vec3, Vec3, Vec3] {
  const { origin: o, u, v } = h;
  return [
    [o[0], o[1], o[2]],
    [o[0] + u[0], o[1] + u[1], o[2] + u[2]],
    [o[0] + u[0] + v[0], o[1] + u[1] + v[1], o[2] + u[2] + v[2]],
    [o[0] + v[0], o[1] + v[1], o[2] + v[2]],
  ];
}

/**
 * Corners of an EPDI window in the surface plane: a square of side `windowA` centred on (x, y) with its x' axis at
 * `angleRad` from e1 (the hop direction for bridges, 0 otherwise; lib/epdi/render.ts). Order: (-,-), (+,-), (+,+), (-,+)
 * in (x', y').
 */
export function epdiWindowCorners(x: number, y: number, angleRad: number, windowA: number): [number, number][] {
  const h = windowA / 2;
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
  ].map(([px, py]) => [x + c * px - s * py, y + s * px + c * py]);
}

/** In-plane coordinates (along e1, e2) of a Cartesian point. */
export function inPlane(p: Readonly<Vec3>, e1: Readonly<Vec3>, e2: Readonly<Vec3>): [number, number] {
  return [p[0] * e1[0] + p[1] * e1[1] + p[2] * e1[2], p[0] * e2[0] + p[1] * e2[1] + p[2] * e2[2]];
}

/**
 * The affine map that draws the slice on a canvas with +e2 up: canvas = s * (P - min) flipped in y, P the in-plane
 * point. `image` is the matrix for ctx.setTransform that maps image pixel space (x = column, y = row, row 0 at
 * `origin`) onto the canvas, for a slice image drawn from the cell translated by `shift` (in-plane Angstrom).
 */
export interface MapTransform {
  scale: number;
  toCanvas(x: number, y: number): [number, number];
  image(shift: [number, number]): [number, number, number, number, number, number];
}

export function mapTransform(
  slice: Pick<SliceHeader, 'origin' | 'u' | 'v' | 'e1' | 'e2' | 'width' | 'height'>,
  bounds: { minX: number; minY: number; maxX: number; maxY: number },
  canvasWidth: number,
  canvasHeight: number,
): MapTransform {
  const spanX = bounds.maxX - bounds.minX;
  const spanY = bounds.maxY - bounds.minY;
  const scale = Math.min(canvasWidth / spanX, canvasHeight / spanY);
  const offX = (canvasWidth - scale * spanX) / 2;
  const offY = (canvasHeight - scale * spanY) / 2;
  const toCanvas = (x: number, y: number): [number, number] => [
    offX + scale * (x - bounds.minX),
    canvasHeight - offY - scale * (y - bounds.minY),
  ];
  const o = inPlane(slice.origin, slice.e1, slice.e2);
  const u = inPlane(slice.u, slice.e1, slice.e2);
  const v = inPlane(slice.v, slice.e1, slice.e2);
  return {
    scale,
    toCanvas,
    image(shift) {
      const [ex, ey] = toCanvas(o[0] + shift[0], o[1] + shift[1]);
      return [
        (scale * u[0]) / slice.width,
        (-scale * u[1]) / slice.width,
        (scale * v[0]) / slice.height,
        (-scale * v[1]) / slice.height,
        ex,
        ey,
      ];
    },
  };
}
