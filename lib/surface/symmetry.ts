import type { Structure } from '../structure/structure';
import type { SlabLayers } from './layers';
import { distance2, type SurfaceFrame } from './frame';
import type { Hop, Site } from './sites';

/**
 * An operation in the surface plane: x' = centre + M (x - centre) + t, height unchanged. `name` is 'E', 'C6^k'
 * (rotation by k * 60 degrees), 'm(theta)' (mirror across the line at theta degrees through the centre) or
 * 't(dx,dy)' (a translation that is not a lattice vector of the cell, e.g. a primitive translation of a pristine
 * supercell).
 */
export interface PlaneOperation {
  name: string;
  matrix: [[number, number], [number, number]];
  translation?: [number, number];
}

/** Candidate operations: the 12 of C6v (every point operation of a hexagonal lattice that keeps "up" up). */
export function hexagonalCandidates(): PlaneOperation[] {
  const ops: PlaneOperation[] = [];
  for (let k = 0; k < 6; k++) {
    const t = (k * Math.PI) / 3;
    ops.push({ name: k === 0 ? 'E' : `C6^${k}`, matrix: [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]] });
  }
  for (let k = 0; k < 6; k++) {
    const t = (2 * k * Math.PI) / 6; // mirror line at k * 30 degrees: reflection matrix uses twice the angle
    ops.push({ name: `m(${k * 30})`, matrix: [[Math.cos(t), Math.sin(t)], [Math.sin(t), -Math.cos(t)]] });
  }
  return ops;
}

function apply(op: PlaneOperation, c: [number, number], x: number, y: number): [number, number] {
  const dx = x - c[0];
  const dy = y - c[1];
  const t = op.translation ?? [0, 0];
  return [c[0] + op.matrix[0][0] * dx + op.matrix[0][1] * dy + t[0], c[1] + op.matrix[1][0] * dx + op.matrix[1][1] * dy + t[1]];
}

/**
 * The operations that map every non-ignored atom onto an atom of the same species at the same height (within
 * `tolerance`, periodic in-plane): the 12 of C6v about the first dopant (or the first host metal of a pristine slab),
 * and the translations from that atom to the other metal-layer atoms of its species (all primitive translations of
 * a pristine supercell; none for a single dopant). Together with the cell's lattice translations they generate the
 * symmetry used for grouping. Operations about other centres (e.g. the midpoint of two dopants) are not searched.
 */
export function findSymmetryOperations(
  structure: Structure,
  layers: SlabLayers,
  xy2: [number, number][],
  tolerance: number,
): { operations: PlaneOperation[]; centre: [number, number] } {
  const centreAtom = layers.dopantIndices.length > 0 ? layers.dopantIndices[0] : layers.metal.indices[0];
  const centre = xy2[centreAtom];
  const ignored = new Set(layers.ignored);
  const atoms = structure.species.map((_, i) => i).filter((i) => !ignored.has(i));
  const centreSpecies = structure.species[centreAtom];
  const translations: PlaneOperation[] = layers.metal.indices
    .filter((j) => j !== centreAtom && structure.species[j] === centreSpecies)
    .map((j) => {
      const t: [number, number] = [xy2[j][0] - centre[0], xy2[j][1] - centre[1]];
      return { name: `t(${t[0].toFixed(3)},${t[1].toFixed(3)})`, matrix: [[1, 0], [0, 1]], translation: t };
    });
  const operations = [...hexagonalCandidates(), ...translations].filter((op) =>
    atoms.every((i) => {
      const [x, y] = apply(op, centre, xy2[i][0], xy2[i][1]);
      return atoms.some(
        (j) =>
          structure.species[j] === structure.species[i] &&
          Math.abs(layers.heights[j] - layers.heights[i]) < tolerance &&
          distance2(layers.frame, x, y, xy2[j][0], xy2[j][1]) < tolerance,
      );
    }),
  );
  return { operations, centre };
}

/**
 * Assign `group` to sites and hops (union-find over the operations; ids numbered by first appearance), returning
 * the number of site groups.
 */
export function groupSitesAndHops(
  frame: SurfaceFrame,
  sites: Site[],
  hops: Hop[],
  operations: PlaneOperation[],
  centre: [number, number],
  tolerance: number,
): number {
  const parent = sites.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const imageOf = (op: PlaneOperation, s: number): number => {
    const [x, y] = apply(op, centre, sites[s].xy[0], sites[s].xy[1]);
    return sites.findIndex((t) => t.kind === sites[s].kind && distance2(frame, x, y, t.xy[0], t.xy[1]) < tolerance);
  };
  const maps = operations.map((op) => sites.map((_, s) => imageOf(op, s)));
  for (const m of maps) m.forEach((t, s) => t >= 0 && union(s, t));
  const ids = new Map<number, number>();
  for (const s of sites) {
    const r = find(sites.indexOf(s));
    if (!ids.has(r)) ids.set(r, ids.size);
  }
  sites.forEach((s, i) => (s.group = ids.get(find(i)) ?? -1));
  // Hops: (from, via, to) -> (m[from], m[via], m[to]).
  const hopParent = hops.map((_, i) => i);
  const hfind = (i: number): number => (hopParent[i] === i ? i : (hopParent[i] = hfind(hopParent[i])));
  const hopIndex = new Map(hops.map((h, i) => [`${h.from},${h.via},${h.to}`, i]));
  for (const m of maps) {
    hops.forEach((h, i) => {
      const j = hopIndex.get(`${m[h.from]},${m[h.via]},${m[h.to]}`);
      if (j !== undefined) {
        const ri = hfind(i);
        const rj = hfind(j);
        if (ri !== rj) hopParent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    });
  }
  const hopIds = new Map<number, number>();
  hops.forEach((h, i) => {
    const r = hfind(i);
    if (!hopIds.has(r)) hopIds.set(r, hopIds.size);
    h.group = hopIds.get(r) ?? -1;
  });
  return ids.size;
}
