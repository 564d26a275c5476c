/**
 * A VASP NEB run from its files (pure: the caller reads them; keys are relative paths, values bytes or text).
 *
 * Folders 00..NN (two or more digits), each with CONTCAR (preferred: relaxed image; VASP leaves end points without
 * one) or POSCAR, and OUTCAR (final energy(sigma->0) by default, or TOTEN with `energy: 'free'`) or an `energy` file
 * holding one number in eV. `.gz` variants accepted. Any path prefix is allowed ("neb/H-H/03/OUTCAR").
 * Reaction coordinate: cumulative distance between consecutive images, sqrt(sum over atoms |dr|^2) with dr under the
 * minimum image convention (fractional differences wrapped to [-0.5, 0.5) in the earlier image's lattice), normalised
 * to [0, 1] (the same normalised coordinate as with the RMS distance, which differs by sqrt(N)).
 */
import type { Vec3 } from '../math/mat3';
import { cartesianToFractional, fractionalToCartesian, sub } from '../math/mat3';
import type { Structure } from '../structure/structure';
import { FormatError } from './errors';
import { parseFortranNumber } from './numbers';
import { parseOutcar } from './outcar';
import { parsePoscar } from './poscar';
import { toText } from './text';

export interface NebImage {
  index: number;
  folder: string;
  structure: Structure;
  structureFile: string;
  energyEv: number;
  energyFile: string;
}

export interface NebRun {
  images: NebImage[];
  /** Cumulative image distance in Angstrom, one per image (0 for the first). */
  distanceAngstrom: number[];
  /** RMS displacement per atom between image i-1 and i (0 for the first), Angstrom. */
  rmsStepAngstrom: number[];
  /** distance normalised to [0, 1]. */
  reactionCoordinate: number[];
}

export interface NebOptions {
  /** Species for VASP 4 structure files (else taken from an image that lists them). */
  species?: string[];
  energy?: 'sigma0' | 'free';
}

type Files = Record<string, Uint8Array | string> | Map<string, Uint8Array | string>;

const STRUCTURE_FILES = ['CONTCAR', 'POSCAR'];

/** Assemble a NEB run from its files. */
export function parseNebRun(files: Files, opts: NebOptions = {}): NebRun {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  // `dir`: the image folder's path as the caller gave it ("neb/H-H/03"), used to name files in errors.
  const folders = new Map<number, { folder: string; dir: string; files: Map<string, { path: string; data: Uint8Array | string }> }>();
  for (const [path, data] of entries) {
    const parts = path.split(/[\\/]/).filter(Boolean);
    if (parts.length < 2) continue;
    const folder = parts[parts.length - 2];
    if (!/^\d{2,}$/.test(folder)) continue;
    const idx = Number(folder);
    if (!folders.has(idx)) folders.set(idx, { folder, dir: parentPath(path), files: new Map() });
    const base = parts[parts.length - 1].replace(/\.gz$/, '');
    folders.get(idx)!.files.set(base, { path, data });
  }
  if (folders.size === 0) {
    throw new FormatError('missing_file', 'no image folders', { expected: 'folders 00, 01, ... NN with POSCAR/CONTCAR and OUTCAR' });
  }
  const max = Math.max(...folders.keys());
  const width = folders.get(max)!.folder.length;
  const runDir = parentPath(folders.get(max)!.dir);
  for (let i = 0; i <= max; i++) {
    if (!folders.has(i)) {
      throw new FormatError('missing_file', `missing folder ${String(i).padStart(width, '0')}`, {
        fileName: `${runDir ? `${runDir}/` : ''}${String(i).padStart(width, '0')}`,
        expected: `image folders 00..${folders.get(max)!.folder} without gaps`,
      });
    }
  }
  if (max < 1) {
    throw new FormatError('missing_file', 'a NEB needs at least two images', { fileName: folders.get(0)!.dir, expected: 'folders 00 and 01 at least' });
  }
  // Species for VASP 4 files: the caller's, else the first structure file that lists them.
  let species = opts.species;
  const pick = (f: Map<string, { path: string; data: Uint8Array | string }>): { path: string; data: Uint8Array | string } | undefined => {
    for (const name of STRUCTURE_FILES) {
      const e = f.get(name);
      if (e && toText(e.data, { fileName: e.path }).trim() !== '') return e;
    }
    return undefined;
  };
  if (!species) {
    for (let i = 0; i <= max && !species; i++) {
      const e = pick(folders.get(i)!.files);
      if (!e) continue;
      try {
        const r = parsePoscar(e.data, { fileName: e.path });
        if (r.speciesSource === 'file') species = [...new Set(r.structure.species)];
      } catch {
        /* reported below with its own file name */
      }
    }
  }
  const images: NebImage[] = [];
  for (let i = 0; i <= max; i++) {
    const { folder, dir, files: f } = folders.get(i)!;
    const s = pick(f);
    if (!s) throw new FormatError('missing_file', `image ${folder} has no CONTCAR or POSCAR`, { fileName: `${dir}/POSCAR`, expected: 'CONTCAR or POSCAR' });
    const parsed = parsePoscar(s.data, { fileName: s.path });
    let structure = parsed.structure;
    if (parsed.speciesSource !== 'file' && species) {
      structure = parsePoscar(s.data, { fileName: s.path, species: groupSpecies(species, parsed.structure) }).structure;
    }
    let energyEv: number | undefined;
    let energyFile = '';
    const out = f.get('OUTCAR');
    if (out) {
      const summary = parseOutcar(typeof out.data === 'string' ? out.data : out.data, { fileName: out.path });
      energyEv = opts.energy === 'free' ? summary.freeEnergyEv : summary.energySigma0Ev;
      energyFile = out.path;
    }
    const ef = f.get('energy');
    if (energyEv === undefined && ef) {
      const t = toText(ef.data, { fileName: ef.path }).trim();
      const v = parseFortranNumber(t.split(/\s+/)[0] ?? '');
      if (Number.isNaN(v) || t.split(/\s+/).length !== 1) {
        throw new FormatError('bad_number', `bad energy in ${ef.path}`, { fileName: ef.path, line: 1, expected: 'one number (eV)', got: t });
      }
      energyEv = v;
      energyFile = ef.path;
    }
    if (energyEv === undefined) {
      throw new FormatError('missing_file', `image ${folder} has no energy`, {
        fileName: out ? out.path : `${dir}/OUTCAR`,
        expected: out ? 'an OUTCAR with a finished ionic step' : 'an OUTCAR or an energy file',
      });
    }
    images.push({ index: i, folder, structure, structureFile: s.path, energyEv, energyFile });
  }
  const n0 = images[0].structure.positions.length;
  for (const im of images) {
    if (im.structure.positions.length !== n0) {
      throw new FormatError('wrong_count', `image ${im.folder} has ${im.structure.positions.length} atoms`, {
        fileName: im.structureFile,
        expected: `${n0} atoms as in image ${images[0].folder}`,
      });
    }
  }
  const distanceAngstrom = [0];
  const rmsStepAngstrom = [0];
  for (let i = 1; i < images.length; i++) {
    const d2 = squaredImageDistance(images[i - 1].structure, images[i].structure);
    distanceAngstrom.push(distanceAngstrom[i - 1] + Math.sqrt(d2));
    rmsStepAngstrom.push(Math.sqrt(d2 / n0));
  }
  const total = distanceAngstrom[distanceAngstrom.length - 1];
  const reactionCoordinate = distanceAngstrom.map((d, i) => (total > 0 ? d / total : i / (images.length - 1)));
  return { images, distanceAngstrom, rmsStepAngstrom, reactionCoordinate };
}

/** Everything before the last path separator ("neb/a/01/OUTCAR" -> "neb/a/01"; "01" -> ""). */
function parentPath(p: string): string {
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return cut > 0 ? p.slice(0, cut) : '';
}

/** Symbols per species block for a VASP 4 structure, from a list of distinct symbols in order. */
function groupSpecies(species: string[], s: Structure): string[] {
  const blocks: string[] = [];
  let prev = '';
  for (const x of s.species) if (x !== prev) blocks.push((prev = x));
  return blocks.length === species.length ? species : blocks.map((_, k) => species[k] ?? `X${k + 1}`);
}

/** Sum over atoms of |dr|^2 (Angstrom^2) between two images, minimum image in `a`'s lattice. */
export function squaredImageDistance(a: Structure, b: Structure): number {
  let sum = 0;
  for (let k = 0; k < a.positions.length; k++) {
    const f = cartesianToFractional(sub(b.positions[k], a.positions[k]), a.lattice);
    const w = f.map((x) => x - Math.round(x)) as Vec3;
    const d = fractionalToCartesian(w, a.lattice);
    sum += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  }
  return sum;
}
