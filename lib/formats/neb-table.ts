/**
 * The table of a NEB run that VTST's `nebbarrier.pl` writes to `neb.dat`, computed from a parsed run (./neb.ts
 * `parseNebRun`): per image its index, cumulative distance along the path, normalised s, energy and energy relative
 * to image 00; for the run, the forward and backward barriers. Pure: no files are read here.
 *
 * neb.dat (nebbarrier.pl, one line per image: `printf "%3i %12.6f %12.6f %12.6f %3i"`) against this table:
 *   column 1  image number                              -> `index`
 *   column 2  cumulative distance (Angstrom)            -> `distanceAngstrom`
 *   column 3  energy - energy of image 00 (eV)          -> `relativeEnergyEv`
 *   column 4  force along the band (eV/A, "NEB: projections" in OUTCAR; end points from forces.pl) -> not read here
 *   column 5  folder number                             -> `folder`
 * and in addition `s` (column 2 / its last value) and `energyEv` (the absolute energy).
 *
 * Energy: what parseNebRun read for the image, by default the last ionic step's energy(sigma->0) of its OUTCAR (the
 * value nebbarrier.pl takes: the last field of the last "energy  without entropy" line), or the number of an
 * `energy` file.
 * Distance: as VTST's `dist.pl` between consecutive images (CONTCAR, else POSCAR): the Euclidean norm of the 3N vector
 * of the displacements of ALL atoms, each atom's fractional difference wrapped to [-0.5, 0.5) (VTST `pbc_difference`)
 * and turned into Angstrom with the earlier image's lattice; this is the minimum image for steps short against the
 * cell, as between NEB images. The normalised coordinate is s_i = d_i / d_N (i / N when every image coincides).
 * Barriers (eV): forward = max_i E_i - E_0, backward = max_i E_i - E_N; the highest image (the first, on ties) is the
 * saddle estimate (the climbing image of a CI-NEB).
 */
import type { NebRun } from './neb';

export interface NebTableRow {
  index: number;
  /** Folder name as given ("00", "03"). */
  folder: string;
  /** Cumulative distance from image 00 along the path, Angstrom. */
  distanceAngstrom: number;
  /** distanceAngstrom normalised to [0, 1]. */
  s: number;
  energyEv: number;
  /** energyEv - energy of image 00, eV. */
  relativeEnergyEv: number;
  /** Files the structure and the energy came from (paths as given to parseNebRun). */
  structureFile: string;
  energyFile: string;
}

export interface NebTable {
  images: NebTableRow[];
  totalDistanceAngstrom: number;
  /** Index of the highest image (the first one on ties). */
  maxImage: number;
  maxEnergyEv: number;
  /** max_i E_i - E_0, eV. */
  forwardBarrierEv: number;
  /** max_i E_i - E_N, eV. */
  backwardBarrierEv: number;
}

/** neb.dat's columns and the barriers of a parsed NEB run. */
export function nebTable(run: NebRun): NebTable {
  const n = run.images.length;
  const e0 = run.images[0].energyEv;
  const eN = run.images[n - 1].energyEv;
  let maxImage = 0;
  for (let i = 1; i < n; i++) if (run.images[i].energyEv > run.images[maxImage].energyEv) maxImage = i;
  const maxEnergyEv = run.images[maxImage].energyEv;
  const images = run.images.map((im, i) => ({
    index: im.index,
    folder: im.folder,
    distanceAngstrom: run.distanceAngstrom[i],
    s: run.reactionCoordinate[i],
    energyEv: im.energyEv,
    relativeEnergyEv: im.energyEv - e0,
    structureFile: im.structureFile,
    energyFile: im.energyFile,
  }));
  return {
    images,
    totalDistanceAngstrom: run.distanceAngstrom[n - 1],
    maxImage,
    maxEnergyEv,
    forwardBarrierEv: maxEnergyEv - e0,
    backwardBarrierEv: maxEnergyEv - eN,
  };
}

const baseName = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

/**
 * The table for people: one line per image with neb.dat's numbers (6 decimals, as nebbarrier.pl prints) plus s, the
 * absolute energy and the files read, then the barriers.
 */
export function formatNebTable(t: NebTable): string {
  const f6 = (x: number, w: number): string => x.toFixed(6).padStart(w);
  const lines = [`image ${'dist_A'.padStart(11)} ${'s'.padStart(9)} ${'E_eV'.padStart(16)} ${'E-E00_eV'.padStart(11)}  files`];
  for (const r of t.images) {
    lines.push(
      `${r.folder.padStart(5)} ${f6(r.distanceAngstrom, 11)} ${f6(r.s, 9)} ${f6(r.energyEv, 16)} ${f6(r.relativeEnergyEv, 11)}  ` +
        `${baseName(r.structureFile)}, ${baseName(r.energyFile)}`,
    );
  }
  const first = t.images[0].folder;
  const last = t.images[t.images.length - 1].folder;
  lines.push(`forward barrier  (max - E_${first}): ${t.forwardBarrierEv.toFixed(6)} eV (highest image ${t.images[t.maxImage].folder})`);
  lines.push(`backward barrier (max - E_${last}): ${t.backwardBarrierEv.toFixed(6)} eV`);
  return lines.join('\n');
}
