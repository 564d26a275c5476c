/**
 * Percolating (long-range diffusion) barrier of a surface's periodic hop graph.
 *
 * Graph: the sites of one cell are nodes; a hop is an edge from site `from` (in cell 0) to the image of site `to` in
 * cell `translation` (integer lattice vector, 2 components for a surface, 3 allowed), with `topEnergyEv`, the maximum
 * of its drawn profile (`HopProfile.maxEnergyEv`, the saddle for an ordinary hop). Hops are undirected (the reverse
 * hop goes to translation -t).
 *
 * Definition (documented choice): let G be the lowest-energy site. The percolating threshold E* is the smallest
 * energy such that the hops with topEnergyEv <= E* connect G to one of its own periodic images in another cell, i.e.
 * G's connected component contains a cycle whose lattice translations sum to a non-zero vector: a Li atom starting in
 * the ground state can then travel arbitrarily far in at least one direction without climbing above E*. The
 * percolating barrier is E* - E(G). This is the bottleneck (minimax) path between G and its nearest-reachable image.
 *
 * Algorithm: Kruskal-style: hops in increasing topEnergyEv, union-find whose nodes store the lattice offset to their
 * root (cell(node) = cell(root) + offset); an edge inside one component closes a cycle with winding
 * offset(u) + t - offset(v), and a component that holds a non-zero winding percolates. O(H log H) for H hops.
 */
import { ProfileError } from './errors';

export interface GraphSite {
  id: string;
  /** Binding energy of the minimum, eV. */
  energyEv: number;
}

export interface GraphHop {
  id?: string;
  from: string;
  to: string;
  /** Lattice vector (in cells) from `from`'s cell to the cell of the `to` image the hop reaches. */
  translation: readonly number[];
  /** Highest energy along the hop (its drawn profile's maximum), eV. */
  topEnergyEv: number;
}

export interface PercolationResult {
  /** E* - E(ground), eV. */
  barrierEv: number;
  /** E*, eV. */
  thresholdEv: number;
  /** The lowest-energy site G. */
  groundSite: string;
  groundEnergyEv: number;
  /** The hop whose addition made G's component percolate (its topEnergyEv is E*). */
  bottleneckHop: GraphHop;
  /** The lattice translation of a cycle through G's component (a direction of long-range diffusion). */
  winding: number[];
}

class WindingUnionFind {
  private readonly parent: number[];
  private readonly offset: number[][];
  private readonly winding: (number[] | null)[];

  constructor(n: number, dim: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
    this.offset = Array.from({ length: n }, () => new Array<number>(dim).fill(0));
    this.winding = new Array<number[] | null>(n).fill(null);
  }

  /** Root of `i` and cell(i) - cell(root); compresses the path. */
  find(i: number): { root: number; offset: number[] } {
    if (this.parent[i] === i) return { root: i, offset: this.offset[i].map(() => 0) };
    const up = this.find(this.parent[i]);
    const off = this.offset[i].map((v, k) => v + up.offset[k]);
    this.parent[i] = up.root;
    this.offset[i] = off;
    return { root: up.root, offset: off };
  }

  /** Add an edge u -> image of v at translation t: cell(v) = cell(u) + t. */
  union(u: number, v: number, t: readonly number[]): void {
    const a = this.find(u);
    const b = this.find(v);
    // cell(root_b) = cell(root_a) + a.offset + t - b.offset
    const rel = a.offset.map((x, k) => x + t[k] - b.offset[k]);
    if (a.root === b.root) {
      if (rel.some((x) => Math.abs(x) > 1e-9) && !this.winding[a.root]) this.winding[a.root] = rel.map(Math.round);
      return;
    }
    this.parent[b.root] = a.root;
    this.offset[b.root] = rel;
    this.winding[a.root] = this.winding[a.root] ?? this.winding[b.root];
  }

  windingOf(i: number): number[] | null {
    return this.winding[this.find(i).root];
  }
}

/**
 * The percolating barrier of a periodic hop graph (see the module doc), or null when no set of hops connects the
 * ground site to a periodic image of itself (e.g. an isolated pocket).
 */
export function percolatingBarrier(sites: readonly GraphSite[], hops: readonly GraphHop[]): PercolationResult | null {
  if (sites.length === 0) throw new ProfileError('bad_graph', 'the hop graph has no sites');
  const index = new Map<string, number>();
  sites.forEach((s, i) => {
    if (index.has(s.id)) throw new ProfileError('bad_graph', `duplicate site id '${s.id}'`);
    if (!Number.isFinite(s.energyEv)) throw new ProfileError('bad_graph', `site '${s.id}' has no finite energy`);
    index.set(s.id, i);
  });
  const dim = hops.length > 0 ? hops[0].translation.length : 2;
  for (const h of hops) {
    if (!index.has(h.from) || !index.has(h.to)) {
      throw new ProfileError('bad_graph', `hop ${h.id ?? `${h.from}->${h.to}`} references an unknown site`);
    }
    if (h.translation.length !== dim) throw new ProfileError('bad_graph', 'translation vectors differ in dimension');
    if (!Number.isFinite(h.topEnergyEv)) throw new ProfileError('bad_graph', `hop ${h.id ?? ''} has no finite energy`);
  }
  let ground = 0;
  sites.forEach((s, i) => {
    if (s.energyEv < sites[ground].energyEv) ground = i;
  });
  const groundEnergyEv = sites[ground].energyEv;
  const order = [...hops].sort((a, b) => a.topEnergyEv - b.topEnergyEv);
  const uf = new WindingUnionFind(sites.length, dim);
  for (const hop of order) {
    uf.union(index.get(hop.from)!, index.get(hop.to)!, hop.translation);
    const winding = uf.windingOf(ground);
    if (winding) {
      // The threshold can never lie below the ground state itself (a hop's top is at least its end points).
      const thresholdEv = Math.max(hop.topEnergyEv, groundEnergyEv);
      return {
        barrierEv: thresholdEv - groundEnergyEv,
        thresholdEv,
        groundSite: sites[ground].id,
        groundEnergyEv,
        bottleneckHop: hop,
        winding,
      };
    }
  }
  return null;
}
