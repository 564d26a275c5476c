/**
 * VASP POSCAR / CONTCAR reader and writer (VASP 5 with a species line, VASP 4 without).
 *
 * Layout read:
 *   1 comment (VASP 4: species may be listed here, e.g. "Mo S")
 *   2 scale: s > 0 multiplies the lattice; s < 0 is the target cell volume in Angstrom^3; three values scale x, y, z
 *   3-5 lattice vectors a, b, c (rows, Angstrom after scaling)
 *   6 species symbols (VASP 5; "Mo_pv" and "Mo/abc123" suffixes stripped) - absent in VASP 4
 *   7 counts per species
 *   [Selective dynamics]   (first letter S/s)
 *   Direct | Cartesian     (first letter C/c/K/k = Cartesian, anything else Direct)
 *   one line per atom: 3 coordinates [+ T/F flags] [+ ignored label]
 *   [blank + velocities, predictor-corrector blocks: ignored]
 * Output frame: `Structure` with Cartesian Angstrom positions (scaled), lattice rows a, b, c.
 * Species: file line > caller's `species` > comment line (when its symbols match the counts) > placeholders X1, X2, ...
 */
import type { Mat3, Vec3 } from '../math/mat3';
import { cellVolume, fractionalToCartesian, inverse, vecMat } from '../math/mat3';
import type { Structure } from '../structure/structure';
import { speciesCounts } from '../structure/structure';
import { FormatError } from './errors';
import { parseFortranNumber, parseIntToken } from './numbers';
import { splitLines, toText, tokens } from './text';

export interface PoscarOptions {
  fileName?: string;
  /** Species symbols, one per species block (e.g. from POTCAR), for VASP 4 files. */
  species?: string[];
  /** Throw instead of inventing placeholder symbols when species are unknown. */
  requireSpecies?: boolean;
  /** Refuse structures with more atoms than this (`too_large`, naming the counts line); at most MAX_ATOMS. */
  maxAtoms?: number;
}

export type SpeciesSource = 'file' | 'caller' | 'comment' | 'placeholder';

export interface PoscarResult {
  structure: Structure;
  speciesSource: SpeciesSource;
  /** Coordinates as written in the file. */
  coordinates: 'direct' | 'cartesian';
  /** Number of lines the structure used (header + positions), i.e. 0-based index of the next line. */
  nextLine: number;
}

/** Max atoms we accept from a header (a bound against garbage counts). */
export const MAX_ATOMS = 10_000_000;

const ELEMENT = /^[A-Z][a-z]?$/;

function cleanSymbol(raw: string): string {
  return raw.split(/[_/.]/)[0];
}

function isNumberToken(t: string | undefined): boolean {
  return t !== undefined && !Number.isNaN(parseFortranNumber(t));
}

/**
 * How many lines the POSCAR header at `start` spans (through the last position line), or `undefined` when `lines`
 * is too short to tell yet. Throws on a counts line that is not counts. Used by streaming readers.
 */
export function poscarLineCount(
  lines: string[],
  start = 0,
  fileName?: string,
  maxAtoms = MAX_ATOMS,
): number | undefined {
  if (lines.length < start + 6) return undefined;
  const first = tokens(lines[start + 5]);
  const countsIdx = isNumberToken(first[0]) ? start + 5 : start + 6;
  if (lines.length <= countsIdx) return undefined;
  const natoms = parseCounts(lines[countsIdx], countsIdx, fileName, maxAtoms).reduce((a, b) => a + b, 0);
  if (lines.length <= countsIdx + 1) return undefined;
  const sel = /^\s*[sS]/.test(lines[countsIdx + 1]);
  const modeIdx = countsIdx + (sel ? 2 : 1);
  return modeIdx + 1 + natoms - start;
}

function parseCounts(line: string, idx: number, fileName?: string, maxAtoms = MAX_ATOMS): number[] {
  const max = Math.min(maxAtoms, MAX_ATOMS);
  const t = tokens(line);
  if (t.length === 0) {
    throw new FormatError('bad_header', 'missing atom counts', {
      fileName,
      line: idx + 1,
      expected: 'atom counts per species',
      got: line,
    });
  }
  const counts = t.map(parseIntToken);
  const bad = counts.findIndex((c) => !(c >= 0));
  if (bad >= 0) {
    throw new FormatError('bad_header', `bad atom count '${t[bad]}'`, {
      fileName,
      line: idx + 1,
      expected: 'non-negative integer atom counts',
      got: t[bad],
    });
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || total > max) {
    throw new FormatError(total === 0 ? 'bad_value' : 'too_large', `atom count ${total}`, {
      fileName,
      line: idx + 1,
      expected: `between 1 and ${max} atoms`,
      got: line.trim(),
    });
  }
  return counts;
}

function num(t: string | undefined, line: number, what: string, fileName?: string, raw?: string): number {
  if (t === undefined) {
    throw new FormatError('bad_header', `missing ${what}`, { fileName, line, expected: what, got: raw ?? '' });
  }
  const v = parseFortranNumber(t);
  if (Number.isNaN(v)) throw new FormatError('bad_number', `bad ${what}`, { fileName, line, expected: what, got: t });
  return v;
}

function lineAt(lines: string[], i: number, what: string, fileName?: string): string {
  if (i >= lines.length) {
    throw new FormatError('unexpected_eof', `file ends before ${what}`, { fileName, line: i + 1, expected: what });
  }
  return lines[i];
}

/** Parse a POSCAR from `lines` starting at `start` (0-based). */
export function parsePoscarLines(lines: string[], start = 0, opts: PoscarOptions = {}): PoscarResult {
  const f = opts.fileName;
  const comment = lineAt(lines, start, 'the comment line', f).trim();
  const scaleLine = lineAt(lines, start + 1, 'the scale factor', f);
  const st = tokens(scaleLine);
  const scales = (st.length >= 3 && isNumberToken(st[2]) ? st.slice(0, 3) : st.slice(0, 1)).map((t) =>
    num(t, start + 2, 'a scale factor', f, scaleLine),
  );
  if (scales.length === 0) num(undefined, start + 2, 'a scale factor', f, scaleLine);
  if (scales.some((s) => s === 0) || (scales.length === 3 && scales.some((s) => s < 0))) {
    throw new FormatError('bad_value', 'bad scale factor', {
      fileName: f,
      line: start + 2,
      expected: 'a non-zero scale (negative = volume) or three positive scales',
      got: scaleLine.trim(),
    });
  }
  const raw: Vec3[] = [];
  for (let r = 0; r < 3; r++) {
    const l = lineAt(lines, start + 2 + r, `lattice vector ${r + 1}`, f);
    const t = tokens(l);
    raw.push([0, 1, 2].map((k) => num(t[k], start + 3 + r, `lattice vector ${r + 1} (3 numbers)`, f, l)) as Vec3);
  }
  let lattice: Mat3;
  let cartScale: Vec3;
  if (scales.length === 3) {
    cartScale = scales as Vec3;
    lattice = raw.map((v) => [v[0] * scales[0], v[1] * scales[1], v[2] * scales[2]]) as Mat3;
  } else {
    const vol0 = cellVolume(raw as Mat3);
    if (!(vol0 > 0)) {
      throw new FormatError('bad_value', 'lattice vectors are degenerate', {
        fileName: f,
        line: start + 3,
        expected: 'three linearly independent lattice vectors',
        got: raw.map((v) => v.join(' ')).join(' / '),
      });
    }
    const s = scales[0] > 0 ? scales[0] : Math.cbrt(-scales[0] / vol0);
    cartScale = [s, s, s];
    lattice = raw.map((v) => [v[0] * s, v[1] * s, v[2] * s]) as Mat3;
  }
  if (!(cellVolume(lattice) > 0)) {
    throw new FormatError('bad_value', 'lattice vectors are degenerate', {
      fileName: f,
      line: start + 3,
      expected: 'three linearly independent lattice vectors',
    });
  }

  let i = start + 5;
  const l6 = lineAt(lines, i, 'species or counts', f);
  let symbols: string[] | undefined;
  let speciesSource: SpeciesSource = 'file';
  if (!isNumberToken(tokens(l6)[0])) {
    symbols = tokens(l6).map(cleanSymbol);
    const bad = symbols.find((s) => !ELEMENT.test(s));
    if (bad !== undefined || symbols.length === 0) {
      throw new FormatError('bad_header', 'bad species line', {
        fileName: f,
        line: i + 1,
        expected: 'element symbols (VASP 5) or atom counts (VASP 4)',
        got: l6,
      });
    }
    i++;
  }
  const countsLine = lineAt(lines, i, 'atom counts', f);
  const counts = parseCounts(countsLine, i, f, opts.maxAtoms);
  i++;
  if (symbols && symbols.length !== counts.length) {
    throw new FormatError('wrong_count', 'species and counts differ in length', {
      fileName: f,
      line: i,
      expected: `${symbols.length} counts (one per species ${symbols.join(' ')})`,
      got: countsLine.trim(),
    });
  }
  if (!symbols) {
    const fromComment = tokens(comment).map(cleanSymbol);
    if (opts.species && opts.species.length === counts.length) {
      symbols = opts.species.slice();
      speciesSource = 'caller';
    } else if (fromComment.length === counts.length && fromComment.every((s) => ELEMENT.test(s))) {
      symbols = fromComment;
      speciesSource = 'comment';
    } else if (opts.requireSpecies || opts.species) {
      throw new FormatError('bad_header', 'species unknown (VASP 4 file)', {
        fileName: f,
        line: start + 1,
        expected: `${counts.length} element symbols in the comment line or given by the caller`,
        got: opts.species ? opts.species.join(' ') : comment,
      });
    } else {
      symbols = counts.map((_, k) => `X${k + 1}`);
      speciesSource = 'placeholder';
    }
  }

  let modeLine = lineAt(lines, i, 'Direct or Cartesian', f);
  const selective = /^\s*[sS]/.test(modeLine);
  if (selective) modeLine = lineAt(lines, ++i, 'Direct or Cartesian', f);
  i++;
  const cartesian = /^\s*[cCkK]/.test(modeLine);
  const natoms = counts.reduce((a, b) => a + b, 0);
  const species: string[] = [];
  counts.forEach((c, k) => {
    for (let n = 0; n < c; n++) species.push(symbols![k]);
  });
  const positions: Vec3[] = [];
  const flags: [boolean, boolean, boolean][] = [];
  for (let a = 0; a < natoms; a++, i++) {
    const l = lineAt(lines, i, `position of atom ${a + 1} of ${natoms}`, f);
    const t = tokens(l);
    const v = [0, 1, 2].map((k) => num(t[k], i + 1, `3 coordinates for atom ${a + 1}`, f, l)) as Vec3;
    positions.push(
      cartesian ? [v[0] * cartScale[0], v[1] * cartScale[1], v[2] * cartScale[2]] : fractionalToCartesian(v, lattice),
    );
    if (selective) {
      const fl = t.slice(3, 6);
      if (fl.length !== 3 || fl.some((x) => !/^[TtFf]/.test(x))) {
        throw new FormatError('bad_header', 'bad selective dynamics flags', {
          fileName: f,
          line: i + 1,
          expected: '3 coordinates and 3 T/F flags',
          got: l,
        });
      }
      flags.push(fl.map((x) => x[0] === 'T' || x[0] === 't') as [boolean, boolean, boolean]);
    }
  }
  const structure: Structure = { comment, lattice, species, positions };
  if (selective) structure.selectiveDynamics = flags;
  return { structure, speciesSource, coordinates: cartesian ? 'cartesian' : 'direct', nextLine: i };
}

/** Parse a POSCAR/CONTCAR from text or bytes (gzip accepted). Velocities and anything after the positions are ignored. */
export function parsePoscar(input: string | Uint8Array, opts: PoscarOptions = {}): PoscarResult {
  return parsePoscarLines(splitLines(toText(input, { fileName: opts.fileName })), 0, opts);
}

export interface PoscarWriteOptions {
  /** Write Cartesian coordinates instead of Direct (fractional). */
  cartesian?: boolean;
  /** Significant digits of coordinates (default 16). */
  digits?: number;
}

function fmt(x: number, digits: number): string {
  const s = (Object.is(x, -0) ? 0 : x).toFixed(digits);
  return s.padStart(digits + 5);
}

/**
 * Write a VASP 5 POSCAR (species line, scale 1.0, Direct unless `cartesian`). Species are grouped in runs of equal
 * symbols in the structure's order; selective dynamics flags are written when the structure has them.
 */
export function writePoscar(structure: Structure, opts: PoscarWriteOptions = {}): string {
  const d = opts.digits ?? 16;
  const out: string[] = [];
  out.push(structure.comment.replace(/[\r\n]+/g, ' ') || 'EPDI Lab');
  out.push('   1.0');
  for (const v of structure.lattice) out.push(` ${v.map((x) => fmt(x, d)).join(' ')}`);
  const groups = speciesCounts(structure);
  out.push(`   ${groups.map((g) => g.symbol.padStart(4)).join(' ')}`);
  out.push(`   ${groups.map((g) => String(g.count).padStart(4)).join(' ')}`);
  const sd = structure.selectiveDynamics;
  if (sd) out.push('Selective dynamics');
  out.push(opts.cartesian ? 'Cartesian' : 'Direct');
  const inv = opts.cartesian ? undefined : inverse(structure.lattice);
  structure.positions.forEach((p, a) => {
    const v = inv ? vecMat(p, inv) : p;
    let l = ` ${v.map((x) => fmt(x, d)).join(' ')}`;
    if (sd) l += ` ${sd[a].map((b) => (b ? 'T' : 'F')).join(' ')}`;
    out.push(l);
  });
  return `${out.join('\n')}\n`;
}

