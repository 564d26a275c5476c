import { edgeTable as edgeTableRaw, triTable as triTableRaw } from 'three/examples/jsm/objects/MarchingCubes.js';
import type { Mat3 } from '../math/mat3';

/**
 * Marching cubes on a periodic grid (Lorensen & Cline; the case tables of Paul Bourke as shipped by three.js
 * `examples/jsm/objects/MarchingCubes.js`, whose own mesh class only handles a cubic box of metaballs).
 *
 * Input: a Grid3D-like field (`data[i + nx * (j + ny * k)]`, x fastest, point (i, j, k) at fractional (i/nx, j/ny, k/nz)).
 * Every cube (i..i+1, j..j+1, k..k+1) is visited, wrapping indices at the far faces, so the surface is closed across
 * the cell boundaries and covers exactly one cell. Output: non-indexed triangles, Cartesian Angstrom
 * (u a + v b + w c), Shape [triangles * 3, 3] flat. Corner numbering (Bourke): 0 (0,0,0), 1 (1,0,0), 2 (1,1,0),
 * 3 (0,1,0), 4..7 the same at w + 1; a corner is "inside" when its value is below the level.
 */
export interface IsoField {
  dims: readonly [number, number, number];
  lattice: Mat3;
  data: ArrayLike<number>;
}

// @types/three declares the tables as Int32Array[]; the module exports flat Int32Arrays (256 and 256 * 16 entries).
const edgeTable = edgeTableRaw as unknown as Int32Array;
const triTable = triTableRaw as unknown as Int32Array;

const CORNER: readonly [number, number, number][] = [
  [0, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
];
const EDGE: readonly [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 0],
  [4, 5],
  [5, 6],
  [6, 7],
  [7, 4],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

export interface IsosurfaceResult {
  positions: Float32Array;
  triangleCount: number;
}

export function marchingCubesPeriodic(field: IsoField, level: number, maxTriangles = 2_000_000): IsosurfaceResult {
  const [nx, ny, nz] = field.dims;
  const d = field.data;
  const [a, b, c] = field.lattice;
  const values = new Float64Array(8);
  const ex = new Float64Array(12 * 3); // edge vertices in grid index units
  const out: number[] = [];
  let triangles = 0;
  const at = (i: number, j: number, k: number): number => d[(i % nx) + nx * ((j % ny) + ny * (k % nz))];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        let cube = 0;
        for (let v = 0; v < 8; v++) {
          const cv = CORNER[v];
          const val = at(i + cv[0], j + cv[1], k + cv[2]);
          values[v] = val;
          if (val < level) cube |= 1 << v;
        }
        const bits = edgeTable[cube];
        if (bits === 0) continue;
        for (let e = 0; e < 12; e++) {
          if (!(bits & (1 << e))) continue;
          const [p, q] = EDGE[e];
          const vp = values[p];
          const vq = values[q];
          // Guard the degenerate edge (equal values): take its midpoint.
          const t = vq === vp ? 0.5 : (level - vp) / (vq - vp);
          const cp = CORNER[p];
          const cq = CORNER[q];
          ex[3 * e] = i + cp[0] + t * (cq[0] - cp[0]);
          ex[3 * e + 1] = j + cp[1] + t * (cq[1] - cp[1]);
          ex[3 * e + 2] = k + cp[2] + t * (cq[2] - cp[2]);
        }
        const row = cube * 16;
        for (let n = 0; triTable[row + n] !== -1; n += 3) {
          if (triangles >= maxTriangles) return finish(out, triangles);
          for (let m = 0; m < 3; m++) {
            const e = triTable[row + n + m];
            const u = ex[3 * e] / nx;
            const v = ex[3 * e + 1] / ny;
            const w = ex[3 * e + 2] / nz;
            out.push(u * a[0] + v * b[0] + w * c[0], u * a[1] + v * b[1] + w * c[1], u * a[2] + v * b[2] + w * c[2]);
          }
          triangles++;
        }
      }
  return finish(out, triangles);
}

function finish(out: number[], triangles: number): IsosurfaceResult {
  return { positions: Float32Array.from(out), triangleCount: triangles };
}
