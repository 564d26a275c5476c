import type { Mat3, Vec3 } from '../math/mat3';
import { inverse } from '../math/mat3';
import { elementVisual, NON_METALS } from './elements-visual';

/**
 * Geometry of a periodic structure for drawing: periodic bonds, cell edges, repeat offsets, minimum images.
 * Frame: Cartesian Angstrom; `lattice` rows are a, b, c. Pure functions, no three.js.
 */

/** A bond from atom i to the image of atom j translated by image[0] a + image[1] b + image[2] c. */
export interface Bond {
  i: number;
  j: number;
  image: [number, number, number];
  lengthA: number;
}

export interface BondOptions {
  /** A bond when the distance is below factor * (r_i + r_j) (covalent radii). Default 1.2. */
  factor?: number;
  /**
   * Draw metal-metal contacts too. Default false: in MX2 the metals sit 3.2-3.5 A apart, inside 1.2 (r1 + r2), and
   * would hide the M-X bonds that make the structure readable (VESTA draws M-X only for the same reason).
   */
  metalMetal?: boolean;
  /** Images checked along each axis: -n..n. Default [1, 1, 1]; set 0 on c for a slab with vacuum to save time. */
  imageRange?: [number, number, number];
}

/**
 * Bonds of a periodic structure, each listed once: pairs (i, j, image) with i < j, or i === j with the image's first
 * non-zero component positive (an atom bonded to its own periodic image). O(n^2 * images); fine for a few hundred atoms.
 */
export function findBonds(
  lattice: Mat3,
  species: readonly string[],
  positions: readonly Readonly<Vec3>[],
  options: BondOptions = {},
): Bond[] {
  const { factor = 1.2, metalMetal = false, imageRange = [1, 1, 1] } = options;
  const n = positions.length;
  const radii = species.map((s) => elementVisual(s).covalentRadiusA);
  const nonMetal = species.map((s) => NON_METALS.has(s));
  const bonds: Bond[] = [];
  const [a, b, c] = lattice;
  for (let na = -imageRange[0]; na <= imageRange[0]; na++)
    for (let nb = -imageRange[1]; nb <= imageRange[1]; nb++)
      for (let nc = -imageRange[2]; nc <= imageRange[2]; nc++) {
        const tx = na * a[0] + nb * b[0] + nc * c[0];
        const ty = na * a[1] + nb * b[1] + nc * c[1];
        const tz = na * a[2] + nb * b[2] + nc * c[2];
        const zero = na === 0 && nb === 0 && nc === 0;
        const positiveImage = na > 0 || (na === 0 && (nb > 0 || (nb === 0 && nc > 0)));
        for (let i = 0; i < n; i++) {
          const p = positions[i];
          for (let j = i; j < n; j++) {
            if (i === j && (zero || !positiveImage)) continue;
            if (!metalMetal && !nonMetal[i] && !nonMetal[j]) continue;
            const q = positions[j];
            const dx = q[0] + tx - p[0];
            const dy = q[1] + ty - p[1];
            const dz = q[2] + tz - p[2];
            const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            const cutoff = factor * (radii[i] + radii[j]);
            if (d > 1e-6 && d < cutoff) bonds.push({ i, j, image: [na, nb, nc], lengthA: d });
          }
        }
      }
  return bonds;
}

/** Cartesian end points of a bond (atom i, then the image of atom j). */
export function bondEnds(lattice: Mat3, positions: readonly Readonly<Vec3>[], bond: Bond): [Vec3, Vec3] {
  const [a, b, c] = lattice;
  const [na, nb, nc] = bond.image;
  const q = positions[bond.j];
  return [
    [positions[bond.i][0], positions[bond.i][1], positions[bond.i][2]],
    [
      q[0] + na * a[0] + nb * b[0] + nc * c[0],
      q[1] + na * a[1] + nb * b[1] + nc * c[1],
      q[2] + na * a[2] + nb * b[2] + nc * c[2],
    ],
  ];
}

/**
 * Translations of an n x n in-plane repeat (n = 1, 2, 3): u a + v b for u, v in 0..n-1, the original cell first.
 * Shape: n^2 vectors, Cartesian Angstrom.
 */
export function repeatOffsets(lattice: Mat3, n: number): Vec3[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('repeatOffsets: n must be a positive integer');
  const [a, b] = lattice;
  const out: Vec3[] = [];
  for (let v = 0; v < n; v++)
    for (let u = 0; u < n; u++) out.push([u * a[0] + v * b[0], u * a[1] + v * b[1], u * a[2] + v * b[2]]);
  return out;
}

/** The 12 edges of the cell parallelepiped at `origin` (default 0): [start, end] pairs, Cartesian Angstrom. */
export function cellEdges(lattice: Mat3, origin: Readonly<Vec3> = [0, 0, 0]): [Vec3, Vec3][] {
  const [a, b, c] = lattice;
  const corner = (u: number, v: number, w: number): Vec3 => [
    origin[0] + u * a[0] + v * b[0] + w * c[0],
    origin[1] + u * a[1] + v * b[1] + w * c[1],
    origin[2] + u * a[2] + v * b[2] + w * c[2],
  ];
  const edges: [Vec3, Vec3][] = [];
  for (const [p, q] of [
    [0, 1],
    [0, 2],
    [0, 4],
    [1, 3],
    [1, 5],
    [2, 3],
    [2, 6],
    [3, 7],
    [4, 5],
    [4, 6],
    [5, 7],
    [6, 7],
  ]) {
    edges.push([corner(p & 1, (p >> 1) & 1, (p >> 2) & 1), corner(q & 1, (q >> 1) & 1, (q >> 2) & 1)]);
  }
  return edges;
}

/**
 * Minimum-image displacement of `d` in the a, b plane (c untouched, slabs are not periodic across the vacuum):
 * reduces fractional a, b to [-1/2, 1/2) and checks the 8 neighbouring images (exact for skewed cells too).
 */
export function minimumImageInPlane(lattice: Mat3, d: Readonly<Vec3>): Vec3 {
  const inv = inverse(lattice);
  const fu = d[0] * inv[0][0] + d[1] * inv[1][0] + d[2] * inv[2][0];
  const fv = d[0] * inv[0][1] + d[1] * inv[1][1] + d[2] * inv[2][1];
  const [a, b] = lattice;
  const u0 = fu - Math.round(fu);
  const v0 = fv - Math.round(fv);
  let best: Vec3 = [d[0], d[1], d[2]];
  let best2 = Infinity;
  for (let s = -1; s <= 1; s++)
    for (let t = -1; t <= 1; t++) {
      const du = u0 + s - fu;
      const dv = v0 + t - fv;
      const x: Vec3 = [d[0] + du * a[0] + dv * b[0], d[1] + du * a[1] + dv * b[1], d[2] + du * a[2] + dv * b[2]];
      const x2 = x[0] * x[0] + x[1] * x[1];
      if (x2 < best2 - 1e-12) {
        best = x;
        best2 = x2;
      }
    }
  return best;
}

/**
 * A hop A -> S -> B as a polyline through the saddle S, with A and B moved to their periodic images nearest S in the
 * surface plane (so a hop across the cell boundary is drawn short, not across the whole cell).
 */
export function hopPath(
  lattice: Mat3,
  from: Readonly<Vec3>,
  saddle: Readonly<Vec3>,
  to: Readonly<Vec3>,
): [Vec3, Vec3, Vec3] {
  const s: Vec3 = [saddle[0], saddle[1], saddle[2]];
  const da = minimumImageInPlane(lattice, [from[0] - s[0], from[1] - s[1], from[2] - s[2]]);
  const db = minimumImageInPlane(lattice, [to[0] - s[0], to[1] - s[1], to[2] - s[2]]);
  return [[s[0] + da[0], s[1] + da[1], s[2] + da[2]], s, [s[0] + db[0], s[1] + db[1], s[2] + db[2]]];
}

/** Point the camera orbits around: the mean atom position, moved to the middle of an n x n repeat. */
export function viewCentre(lattice: Mat3, positions: readonly Readonly<Vec3>[], repeat = 1): Vec3 {
  const m: Vec3 = [0, 0, 0];
  for (const p of positions) for (let k = 0; k < 3; k++) m[k] += p[k] / Math.max(1, positions.length);
  const [a, b] = lattice;
  const f = (repeat - 1) / 2;
  return [m[0] + f * (a[0] + b[0]), m[1] + f * (a[1] + b[1]), m[2] + f * (a[2] + b[2])];
}
