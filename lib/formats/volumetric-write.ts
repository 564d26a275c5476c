/**
 * Writing VASP volumetric files (LOCPOT/CHGCAR layout, VASP 5): values in VASP's E format (`formatVaspNumber`),
 * streamed as string chunks (`writeVolumetricChunks`) or as one string (`writeVolumetric`).
 */
import type { Structure } from '../structure/structure';
import { writePoscar } from './poscar';
import { joinLineChunks } from './text';

/**
 * One value in VASP's E format, 18 characters: " 0.76010173913E+01", " -.76010173913E+01" (11 significant digits by
 * default). Exponents of three digits use Fortran's form without the E: " 0.12345678901-100".
 */
export function formatVaspNumber(value: number, digits = 11): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write non-finite value ${value}`);
  if (value === 0) return `${Object.is(value, -0) ? ' -.' : ' 0.'}${'0'.repeat(digits)}E+00`;
  const neg = value < 0;
  const s = Math.abs(value).toExponential(digits - 1);
  const e = s.indexOf('e');
  const mant = s[0] + s.slice(2, e);
  const exp = Number(s.slice(e + 1)) + 1;
  const ae = Math.abs(exp);
  const es = ae < 100 ? `E${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}` : `${exp < 0 ? '-' : '+'}${ae}`;
  return `${neg ? ' -.' : ' 0.'}${mant}${es}`;
}

export interface VolumetricWriteOptions {
  /** Values per line (VASP: 5). */
  perLine?: number;
  /** Significant digits (VASP: 11). */
  digits?: number;
  /** Lines per yielded string chunk (default 20000, ~1.8 MB). */
  linesPerChunk?: number;
}

/**
 * Write a VASP 5 volumetric file (LOCPOT/CHGCAR layout) as string chunks: POSCAR header (Direct), a blank line, the
 * dims, the values 5 per line; each further grid follows after a blank line and the dims repeated.
 * `grids` share `structure.lattice`; data x fastest.
 */
export function* writeVolumetricChunks(
  structure: Structure,
  dims: [number, number, number],
  grids: Float32Array[] | Float64Array[] | number[][],
  opts: VolumetricWriteOptions = {},
): Generator<string> {
  const perLine = opts.perLine ?? 5;
  const digits = opts.digits ?? 11;
  const linesPerChunk = opts.linesPerChunk ?? 20000;
  const n = dims[0] * dims[1] * dims[2];
  if (dims.some((d) => !Number.isInteger(d) || d <= 0)) throw new RangeError(`bad dims ${dims.join(' ')}`);
  const dimsLine = `${dims.map((d) => String(d).padStart(5)).join('')}\n`;
  yield writePoscar(structure);
  for (let g = 0; g < grids.length; g++) {
    const data = grids[g];
    if (data.length !== n) throw new RangeError(`grid ${g} has ${data.length} values, dims need ${n}`);
    yield `\n${dimsLine}`;
    yield* joinLineChunks(valueLines(data, n, perLine, digits), linesPerChunk);
  }
}

function* valueLines(data: ArrayLike<number>, n: number, perLine: number, digits: number): Generator<string> {
  let line = '';
  for (let i = 0; i < n; i++) {
    line += formatVaspNumber(data[i], digits);
    if ((i + 1) % perLine === 0 || i === n - 1) {
      yield line;
      line = '';
    }
  }
}

/** Whole volumetric file as one string (small grids: tests, exports). */
export function writeVolumetric(
  structure: Structure,
  dims: [number, number, number],
  grids: Float32Array[] | Float64Array[] | number[][],
  opts: VolumetricWriteOptions = {},
): string {
  return [...writeVolumetricChunks(structure, dims, grids, opts)].join('');
}
