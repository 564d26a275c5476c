import type { Vec3 } from '../math/mat3';
import type { Grid3D } from './grid3d';
import { catmullRomWeights, type GridSampler } from './interpolate';
import { cartToFracInto, gridFrame } from './coords';

/**
 * A periodic 2D field on the (a, b) grid at one fractional height w along c: `data[i + nx * j]`, x fastest.
 * Because planes of constant w are exactly the planes parallel to (a, b) (any triclinic cell), every plane
 * "at height h above the surface" is such a plane, and tricubic sampling of the 3D grid on it factorises into a
 * Catmull-Rom collapse along c (done once here) and a bicubic evaluation in (u, v) per point: the same numbers as
 * `createSampler(grid, 'tricubic')` up to rounding, at 16 instead of 64 taps per point.
 */
export interface GridPlane {
  dims: [number, number];
  /** Fractional coordinate along c of the plane. */
  w: number;
  data: Float64Array;
}

/** Collapse the grid along c at fractional height `w` with Catmull-Rom weights (periodic in c). */
export function collapseAtFractionalC(grid: Grid3D, w: number, out?: Float64Array): GridPlane {
  const [nx, ny, nz] = grid.dims;
  const plane = out && out.length === nx * ny ? out : new Float64Array(nx * ny);
  plane.fill(0);
  const z = w * nz;
  const fz = Math.floor(z);
  const wz = new Float64Array(4);
  catmullRomWeights(z - fz, wz);
  const d = grid.data;
  const layer = nx * ny;
  for (let c = 0; c < 4; c++) {
    let k = (fz - 1 + c) % nz;
    if (k < 0) k += nz;
    const weight = wz[c];
    if (weight === 0) continue;
    const base = layer * k;
    for (let p = 0; p < layer; p++) plane[p] += weight * d[base + p];
  }
  return { dims: [nx, ny], w, data: plane };
}

/** Bicubic (Catmull-Rom, periodic) evaluator of a GridPlane at fractional (u, v); does not allocate per call. */
export function createPlaneSampler(plane: GridPlane): (u: number, v: number) => number {
  const [nx, ny] = plane.dims;
  const d = plane.data;
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const ix = new Int32Array(4);
  return (u: number, v: number): number => {
    const x = u * nx;
    const y = v * ny;
    const fx = Math.floor(x);
    const fy = Math.floor(y);
    catmullRomWeights(x - fx, wx);
    catmullRomWeights(y - fy, wy);
    let i = (fx - 1) % nx;
    if (i < 0) i += nx;
    for (let a = 0; a < 4; a++, i = i + 1 === nx ? 0 : i + 1) ix[a] = i;
    let j = (fy - 1) % ny;
    if (j < 0) j += ny;
    let sum = 0;
    for (let b = 0; b < 4; b++, j = j + 1 === ny ? 0 : j + 1) {
      const r = nx * j;
      sum += wy[b] * (wx[0] * d[r + ix[0]] + wx[1] * d[r + ix[1]] + wx[2] * d[r + ix[2]] + wx[3] * d[r + ix[3]]);
    }
    return sum;
  };
}

/**
 * Sample an arbitrary plane through the 3D field into a row-major image.
 * Pixel (row r, column c) sits at the pixel centre origin + ((c + 0.5) / cols) * uVec + ((r + 0.5) / rows) * vVec
 * (Cartesian Angstrom): `origin` is the corner of the image, `uVec` spans the columns and `vVec` the rows.
 * Shape of the result: [rows, cols], row-major (index = c + cols * r). Writes into `out` when it has the right length.
 */
export function slicePlane(
  sampler: GridSampler,
  origin: Vec3,
  uVec: Vec3,
  vVec: Vec3,
  cols: number,
  rows: number,
  out?: Float32Array,
): Float32Array {
  if (!(cols > 0 && rows > 0)) throw new RangeError('slicePlane: cols and rows must be positive');
  const image = out && out.length === cols * rows ? out : new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const fv = (r + 0.5) / rows;
    for (let c = 0; c < cols; c++) {
      const fu = (c + 0.5) / cols;
      image[c + cols * r] = sampler.atCartesian(
        origin[0] + fu * uVec[0] + fv * vVec[0],
        origin[1] + fu * uVec[1] + fv * vVec[1],
        origin[2] + fu * uVec[2] + fv * vVec[2],
      );
    }
  }
  return image;
}

/**
 * Fast variant of `slicePlane` for planes parallel to (a, b) (constant fractional w): collapses c once, then bicubic.
 * Throws when the plane is not parallel to (a, b) within 1e-9 in w.
 */
export function sliceParallelPlane(
  grid: Grid3D,
  origin: Vec3,
  uVec: Vec3,
  vVec: Vec3,
  cols: number,
  rows: number,
  out?: Float32Array,
  plane?: GridPlane,
): Float32Array {
  const frame = gridFrame(grid);
  const f0: Vec3 = cartToFracInto(frame.inverseLattice, origin[0], origin[1], origin[2], [0, 0, 0]);
  const fu: Vec3 = cartToFracInto(frame.inverseLattice, uVec[0], uVec[1], uVec[2], [0, 0, 0]);
  const fv: Vec3 = cartToFracInto(frame.inverseLattice, vVec[0], vVec[1], vVec[2], [0, 0, 0]);
  if (Math.abs(fu[2]) > 1e-9 || Math.abs(fv[2]) > 1e-9) throw new RangeError('sliceParallelPlane: plane is not parallel to (a, b)');
  const p = plane && Math.abs(plane.w - f0[2]) < 1e-12 ? plane : collapseAtFractionalC(grid, f0[2]);
  const at = createPlaneSampler(p);
  const image = out && out.length === cols * rows ? out : new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const tv = (r + 0.5) / rows;
    const u0 = f0[0] + tv * fv[0];
    const v0 = f0[1] + tv * fv[1];
    for (let c = 0; c < cols; c++) {
      const tu = (c + 0.5) / cols;
      image[c + cols * r] = at(u0 + tu * fu[0], v0 + tu * fu[1]);
    }
  }
  return image;
}
