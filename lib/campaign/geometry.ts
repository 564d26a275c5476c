/**
 * Geometry of campaign inputs: Li added to a host slab, the minimum-image hop vector and NEB images.
 *
 * NEB images are LINEAR between the end points along the minimum-image hop vector, not IDPP. With a frozen host only
 * Li moves, and IDPP's purpose (interpolating interatomic distances so that many moving atoms do not pass through one
 * another) does not arise: the straight line between two hollows crosses the bridge between the two X atoms of the
 * shared edge, never through an atom. Linear images are also exactly reproducible and checkable (every image on the
 * straight path), and CI-NEB relaxes the path anyway. Positions Cartesian Angstrom.
 */
import { cartesianToFractional, fractionalToCartesian, type Mat3, type Vec3 } from '../math/mat3';
import type { Structure } from '../structure/structure';

/** b - a reduced to its shortest periodic image in the surface plane (a, b periodic; c left as is). */
export function minimumImageVector(a: Vec3, b: Vec3, lattice: Mat3): Vec3 {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const f = cartesianToFractional(d, lattice);
  let best: Vec3 = d;
  let bestLen = Infinity;
  const base: Vec3 = [f[0] - Math.round(f[0]), f[1] - Math.round(f[1]), f[2]];
  // Rounding is enough for a reduced cell; checking the neighbours also covers oblique (120 degree) cells.
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const v = fractionalToCartesian([base[0] + i, base[1] + j, base[2]], lattice);
      const len = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
      if (len < bestLen - 1e-12) {
        bestLen = len;
        best = v;
      }
    }
  }
  return best;
}

/**
 * Li positions of NEB images 0..n+1 (n inner images) on the straight line from `from` to the minimum image of `to`.
 * Image 0 is `from` itself, the last is `from` + the minimum-image vector (it may lie outside the cell: VASP and ASE
 * take Cartesian positions outside the cell as they are, and the images stay continuous).
 */
export function linearImages(from: Vec3, to: Vec3, lattice: Mat3, inner: number): Vec3[] {
  if (!Number.isInteger(inner) || inner < 1) throw new Error(`an NEB needs at least one inner image, got ${inner}`);
  const d = minimumImageVector(from, to, lattice);
  const out: Vec3[] = [];
  for (let i = 0; i <= inner + 1; i++) {
    const t = i / (inner + 1);
    out.push([from[0] + t * d[0], from[1] + t * d[1], from[2] + t * d[2]]);
  }
  return out;
}

/**
 * The host with its atoms grouped by element (first-appearance order, so every element is one POSCAR species entry
 * and one POTCAR), then one Li last. The host keeps its own order within each element.
 */
export function slabWithLi(host: Structure, li: Vec3, comment: string): Structure {
  const order: string[] = [];
  for (const s of host.species) if (!order.includes(s) && s !== 'Li') order.push(s);
  const species: string[] = [];
  const positions: Vec3[] = [];
  for (const el of order) {
    host.species.forEach((s, i) => {
      if (s === el) {
        species.push(s);
        positions.push([...host.positions[i]] as Vec3);
      }
    });
  }
  if (species.length !== host.species.length) throw new Error('the host slab already holds Li');
  species.push('Li');
  positions.push([li[0], li[1], li[2]]);
  return { comment: comment.replace(/[\r\n]+/g, ' '), lattice: host.lattice, species, positions };
}

/** In-plane minimum-image distance between two points (Angstrom). */
export function inPlaneDistance(a: Vec3, b: Vec3, lattice: Mat3): number {
  const d = minimumImageVector([a[0], a[1], 0], [b[0], b[1], 0], lattice);
  return Math.hypot(d[0], d[1]);
}

/** Fractional position of the slab centre (for DIPOL): mean a and b of its atoms, c halfway between its lowest and highest atom. */
export function slabCentreFractional(host: Structure): Vec3 {
  const f = host.positions.map((p) => cartesianToFractional(p, host.lattice));
  const mean = (k: 0 | 1): number => f.reduce((s, v) => s + v[k], 0) / f.length;
  const zs = host.positions.map((p) => p[2]);
  const zMid = (Math.min(...zs) + Math.max(...zs)) / 2;
  const cz = cartesianToFractional([0, 0, zMid], host.lattice)[2];
  return [mean(0), mean(1), cz];
}

/** The top-layer chalcogen (the element of the highest host atom) and the mean z of that layer (atoms within 0.5 A). */
export function topLayer(host: Structure): { element: string; zTopA: number } {
  let top = 0;
  host.positions.forEach((p, i) => {
    if (p[2] > host.positions[top][2]) top = i;
  });
  const element = host.species[top];
  const zMax = host.positions[top][2];
  const zs = host.positions.filter((p, i) => host.species[i] === element && p[2] > zMax - 0.5).map((p) => p[2]);
  return { element, zTopA: zs.reduce((s, z) => s + z, 0) / zs.length };
}
