/**
 * Hops from labelled sites alone: a fallback for surface folders whose labels.csv lists the saddles it computed
 * (kind 'bridge') beside the minima, used where the full site/hop graph of lib/surface is not at hand (the CLI on a
 * folder of labels). Each labelled bridge S becomes the hop A -> S -> B between the nearest labelled minimum A
 * (any periodic image) and the nearest labelled minimum image B on the other side of S (the direction S -> B makes
 * an obtuse angle with S -> A). Distances are in the surface plane (x, y), under the in-plane lattice translations
 * -1..1 of a and b. s_S comes from the geometry (`saddleFraction` with in-plane positions).
 *
 * Frame: Cartesian Angstrom; `lattice` rows a, b, c with a, b in the surface plane (the slab convention of the
 * surface folder). A minimum's own labelled position is its cell 0.
 */
import { ProfileError } from './errors';
import { saddleFraction, type EnergySource } from './profile';

export interface LabelledSite {
  id: string;
  kind: string;
  /** Cartesian Angstrom. */
  position: readonly [number, number, number];
  energyEv: number;
  source: EnergySource;
}

export interface LabelHop {
  /** The bridge's site id. */
  id: string;
  from: LabelledSite;
  saddle: LabelledSite;
  to: LabelledSite;
  sSaddle: number;
  /** Lattice cells (a, b) of the `to` image relative to the `from` image. */
  translation: [number, number];
}

export interface LabelHopsResult {
  hops: LabelHop[];
  /** Bridges without two minima on opposite sides (reported, not dropped silently). */
  unmatched: string[];
}

interface Candidate {
  site: LabelledSite;
  cell: [number, number];
  xy: [number, number];
  d: number;
}

export function hopsFromLabelledBridges(
  sites: readonly LabelledSite[],
  lattice: readonly (readonly number[])[],
  opts: { saddleKinds?: readonly string[] } = {},
): LabelHopsResult {
  if (lattice.length < 2) throw new ProfileError('bad_argument', 'hops need the in-plane lattice vectors a and b');
  const saddleKinds = opts.saddleKinds ?? ['bridge'];
  const minima = sites.filter((s) => !saddleKinds.includes(s.kind));
  const hops: LabelHop[] = [];
  const unmatched: string[] = [];
  for (const b of sites.filter((s) => saddleKinds.includes(s.kind))) {
    const candidates: Candidate[] = [];
    for (const m of minima) {
      for (let i = -1; i <= 1; i++) {
        for (let j = -1; j <= 1; j++) {
          const x = m.position[0] + i * lattice[0][0] + j * lattice[1][0];
          const y = m.position[1] + i * lattice[0][1] + j * lattice[1][1];
          candidates.push({ site: m, cell: [i, j], xy: [x, y], d: Math.hypot(x - b.position[0], y - b.position[1]) });
        }
      }
    }
    candidates.sort((p, q) => p.d - q.d);
    const a = candidates[0];
    const va = a ? [a.xy[0] - b.position[0], a.xy[1] - b.position[1]] : [0, 0];
    const c = candidates.find((q) => (q.xy[0] - b.position[0]) * va[0] + (q.xy[1] - b.position[1]) * va[1] < 0);
    if (!a || !c) {
      unmatched.push(b.id);
      continue;
    }
    hops.push({
      id: b.id,
      from: a.site,
      saddle: b,
      to: c.site,
      sSaddle: saddleFraction([a.xy[0], a.xy[1], 0], [b.position[0], b.position[1], 0], [c.xy[0], c.xy[1], 0]),
      translation: [c.cell[0] - a.cell[0], c.cell[1] - a.cell[1]],
    });
  }
  return { hops, unmatched };
}
