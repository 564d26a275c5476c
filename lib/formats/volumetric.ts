/**
 * VASP volumetric files: LOCPOT, CHGCAR, CHG, AECCAR0/1/2, PARCHG, ELFCAR.
 *
 * Layout: a POSCAR header (VASP 4 or 5), a blank line, `NGX NGY NGZ`, then NGX*NGY*NGZ values in Fortran order
 * (x fastest; index = i + NGX*(j + NGY*k)), any count per line (VASP writes 5 for CHGCAR, 10 for some PARCHGs).
 * CHGCAR adds `augmentation occupancies` blocks after a grid; spin-polarised files repeat `NGX NGY NGZ` and a second
 * grid (magnetisation), non-collinear ones three (mx, my, mz). Everything between grids is skipped.
 *
 * Units (as VASP writes them, never rescaled here):
 *   LOCPOT: eV (ionic + Hartree (+ xc) potential). CHGCAR/CHG/AECCAR/PARCHG: rho * V_cell (electrons; divide by the cell
 *   volume in Angstrom^3 for e/A^3, see `chargeDensityPerA3`). ELFCAR: dimensionless.
 *
 * Reading is streaming: `VolumetricParser.push(chunk)` takes byte chunks of any size. The grid header is checked
 * against `maxPoints` and against the bytes that can still arrive (each value needs at least 2 bytes); the grid then
 * grows as values arrive (./grow-buffer.ts), so a small gzip whose header declares a huge grid costs nothing until the
 * data proves the grid exists. Peak memory: the grid(s) plus one chunk and one 4 MiB block.
 */
import { cellVolume } from '../math/mat3';
import type { Grid3D } from '../grid/grid3d';
import type { Structure } from '../structure/structure';
import { FormatError } from './errors';
import { CappedGunzip, DEFAULT_MAX_DECOMPRESSED_BYTES, isGzip } from './gzip';
import { GrowableFloat32 } from './grow-buffer';
import { FloatScanner, parseIntToken } from './numbers';
import type { PoscarOptions, SpeciesSource } from './poscar';
import { parsePoscarLines, poscarLineCount, writePoscar } from './poscar';
import { latin1, tokens } from './text';

export type VolumetricKind = 'LOCPOT' | 'CHGCAR' | 'CHG' | 'AECCAR' | 'PARCHG' | 'ELFCAR' | 'unknown';

/** Default bound on grid points: 512^3 = 2^27 (512 MiB of float32 per grid). */
export const DEFAULT_MAX_POINTS = 512 ** 3;
/** Values scanned into one block before the block is appended to the growing grid. */
const BLOCK = 1 << 20;
const MAX_HEADER_LINE = 4096;
const MAX_TAIL_LINE = 1 << 20;

/** The kind of a volumetric file from its name (LOCPOT, CHGCAR.gz, AECCAR2, PARCHG.0123.ALLK, vasp_ELFCAR, ...). */
export function volumetricKindFromName(name: string | undefined): VolumetricKind {
  const base = (name ?? '').split(/[\\/]/).pop()!.toUpperCase();
  if (base.includes('LOCPOT')) return 'LOCPOT';
  if (base.includes('CHGCAR')) return 'CHGCAR';
  if (base.includes('AECCAR')) return 'AECCAR';
  if (base.includes('PARCHG')) return 'PARCHG';
  if (base.includes('ELFCAR')) return 'ELFCAR';
  if (/(^|[^A-Z])CHG($|[^A-Z])/.test(base)) return 'CHG';
  return 'unknown';
}

/** Units of the values of a kind, in words. */
export function volumetricUnits(kind: VolumetricKind): string {
  switch (kind) {
    case 'LOCPOT':
      return 'eV';
    case 'ELFCAR':
      return 'dimensionless';
    case 'unknown':
      return 'as written';
    default:
      return 'e (rho*V_cell)';
  }
}

export interface VolumetricOptions extends PoscarOptions {
  /** File kind; from `fileName` when absent. */
  kind?: VolumetricKind;
  /** Refuse grids with more points than this before allocating (default 512^3). */
  maxPoints?: number;
  /** Exact number of (decompressed) bytes that will be pushed, when known: bounds the grid size. */
  totalBytes?: number;
  /** Upper bound on bytes that can arrive (e.g. the gzip cap), when the exact size is unknown. */
  maxBytes?: number;
  /** How many grids to read (1 = the first only; default 4: total + up to 3 magnetisation grids). */
  maxGrids?: number;
  /** Called as bytes are consumed: (consumed, total when known). */
  onProgress?: (consumedBytes: number, totalBytes?: number) => void;
}

export interface VolumetricData {
  kind: VolumetricKind;
  units: string;
  structure: Structure;
  speciesSource: SpeciesSource;
  /** [NGX, NGY, NGZ]. */
  dims: [number, number, number];
  /** The first grid: the potential (LOCPOT) or rho*V_cell (CHGCAR). Shape [nx, ny, nz], x fastest. */
  grid: Grid3D;
  /** Further grids: spin (ISPIN=2: magnetisation) or non-collinear mx, my, mz; same dims and lattice. */
  extraGrids: Grid3D[];
  /** The second grid, when present (spin density for CHGCAR, spin-down-up for LOCPOT). */
  spin?: Grid3D;
  /** Whether CHGCAR augmentation occupancy blocks were skipped. */
  augmentationSkipped: boolean;
}

type Mode = 'header' | 'dims' | 'data' | 'lineEnd' | 'tail' | 'skip';

/** Streaming reader: `push` byte chunks, then `finish`. Synchronous; see `parseVolumetricStream` for async sources. */
export class VolumetricParser {
  private mode: Mode = 'header';
  private readonly opts: VolumetricOptions;
  private readonly fileName?: string;
  private readonly headerLines: string[] = [];
  private pendingLine = '';
  private pendingTooLong = false;
  /** 1-based line number of the next unread byte. */
  private line = 1;
  /** Bytes consumed before the current chunk. */
  private offset = 0;
  private lastReport = 0;
  private structure?: Structure;
  private speciesSource: SpeciesSource = 'file';
  private dims?: [number, number, number];
  private dimsLine = 0;
  private readonly grids: Float32Array[] = [];
  /** The grid being read: values of finished blocks. */
  private store?: GrowableFloat32;
  private scanner?: FloatScanner;
  private augmentation = false;

  constructor(opts: VolumetricOptions = {}) {
    this.opts = opts;
    this.fileName = opts.fileName;
  }

  /** Bytes consumed so far. */
  get consumed(): number {
    return this.offset;
  }

  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let p = 0;
    while (p < end) {
      switch (this.mode) {
        case 'data': {
          const s = this.scanner!;
          p = s.feed(chunk, p, end, false);
          this.line = s.line;
          if (s.full && !s.pending && this.nextBlock()) this.mode = 'lineEnd';
          break;
        }
        case 'lineEnd':
          p = this.lineEnd(chunk, p, end);
          break;
        case 'skip':
          p = end;
          break;
        default:
          p = this.lineMode(chunk, p, end);
      }
    }
    this.offset += end;
    const cb = this.opts.onProgress;
    if (cb) {
      const total = this.opts.totalBytes;
      const step = total ? Math.max(total / 100, 1 << 16) : 4 << 20;
      if (this.offset - this.lastReport >= step) {
        this.lastReport = this.offset;
        cb(this.offset, total);
      }
    }
  }

  /** After the last value of a grid: the rest of its line must be blank, else the file has more values than declared. */
  private lineEnd(buf: Uint8Array, p: number, end: number): number {
    while (p < end) {
      const c = buf[p];
      if (c === 10) {
        this.line++;
        this.mode = this.grids.length >= (this.opts.maxGrids ?? 4) ? 'skip' : 'tail';
        return p + 1;
      }
      if (c !== 32 && c !== 13 && c !== 9) {
        throw new FormatError('wrong_count', 'more values on the line than the grid holds', {
          fileName: this.fileName,
          line: this.line,
          expected: `end of line after ${this.dims!.join('*')} values`,
          got: latin1(buf, p, Math.min(end, p + 20)),
        });
      }
      p++;
    }
    return p;
  }

  /** Header, dims and tail: whole lines. */
  private lineMode(buf: Uint8Array, p: number, end: number): number {
    const nl = buf.indexOf(10, p);
    const stop = nl < 0 ? end : nl;
    const max = this.mode === 'tail' ? MAX_TAIL_LINE : MAX_HEADER_LINE;
    if (this.mode === 'tail' && (this.pendingTooLong || stop - p > 64 || this.pendingLine.length > 64)) {
      // Long tail lines (augmentation values) cannot be a dims line: skip without decoding.
      this.pendingTooLong = nl < 0;
      this.pendingLine = '';
      if (nl >= 0) this.line++;
      return nl < 0 ? end : nl + 1;
    }
    const text = this.pendingLine + latin1(buf, p, stop);
    if (text.length > max) {
      throw new FormatError('bad_header', 'line too long (binary data?)', {
        fileName: this.fileName,
        line: this.line,
        expected: this.expectedHere(),
        got: text.slice(0, 40),
      });
    }
    if (nl < 0) {
      this.pendingLine = text;
      return end;
    }
    this.pendingLine = '';
    this.handleLine(text.endsWith('\r') ? text.slice(0, -1) : text, nl + 1);
    this.line++;
    return nl + 1;
  }

  private expectedHere(): string {
    if (this.mode === 'header') return 'a POSCAR header line';
    if (this.mode === 'dims') return '3 grid dimensions NGX NGY NGZ';
    return 'augmentation data or the next grid header';
  }

  private handleLine(text: string, nextP: number): void {
    if (this.mode === 'header') {
      if (/[\x00-\x08\x0e-\x1f]/.test(text)) {
        throw new FormatError('bad_header', 'binary data in the header', {
          fileName: this.fileName,
          line: this.line,
          expected: 'a text POSCAR header',
          got: text,
        });
      }
      this.headerLines.push(text);
      const n = poscarLineCount(this.headerLines, 0, this.fileName, this.opts.maxAtoms);
      if (n !== undefined && this.headerLines.length >= n) {
        const r = parsePoscarLines(this.headerLines, 0, this.opts);
        this.structure = r.structure;
        this.speciesSource = r.speciesSource;
        this.mode = 'dims';
      }
      return;
    }
    if (this.mode === 'dims') {
      const t = tokens(text);
      if (t.length === 0) return; // the blank line VASP writes after the positions
      const d = t.map(parseIntToken);
      if (t.length !== 3 || d.some((x) => Number.isNaN(x))) {
        throw new FormatError('bad_header', 'bad grid dimensions', {
          fileName: this.fileName,
          line: this.line,
          expected: '3 grid dimensions NGX NGY NGZ',
          got: text.trim(),
        });
      }
      if (d.some((x) => x <= 0)) {
        throw new FormatError('bad_value', 'grid dimensions must be positive', {
          fileName: this.fileName,
          line: this.line,
          expected: '3 positive grid dimensions',
          got: text.trim(),
        });
      }
      this.dims = d as [number, number, number];
      this.dimsLine = this.line;
      this.startGrid(this.offset + nextP);
      return;
    }
    // tail: augmentation blocks, per-atom moments, or the dims line of the next grid.
    if (text.includes('augmentation')) {
      this.augmentation = true;
      return;
    }
    const t = tokens(text);
    const dims = this.dims!;
    if (t.length === 3 && t.every((x, k) => /^\d+$/.test(x) && Number(x) === dims[k])) {
      this.startGrid(this.offset + nextP);
    }
  }

  private startGrid(dataStart: number): void {
    const [nx, ny, nz] = this.dims!;
    const n = nx * ny * nz;
    const maxPoints = this.opts.maxPoints ?? DEFAULT_MAX_POINTS;
    if (n > maxPoints) {
      throw new FormatError('too_large', `grid of ${n} points exceeds the limit of ${maxPoints}`, {
        fileName: this.fileName,
        line: this.line,
        expected: `at most ${maxPoints} grid points (maxPoints)`,
        got: `${nx} ${ny} ${nz}`,
      });
    }
    const bound = this.opts.totalBytes ?? this.opts.maxBytes;
    if (bound !== undefined && 2 * n - 1 > bound - dataStart) {
      throw new FormatError('too_large', `grid of ${n} points cannot fit in the ${bound - dataStart} bytes left`, {
        fileName: this.fileName,
        line: this.line,
        expected: `a grid that fits the ${Math.max(0, bound - dataStart)} bytes left in the file`,
        got: `${nx} ${ny} ${nz}`,
      });
    }
    this.store = new GrowableFloat32(n);
    this.scanner = new FloatScanner(new Float32Array(Math.min(BLOCK, n)), this.line + 1, this.fileName);
    this.mode = 'data';
  }

  /**
   * The scanner's block is full: append it to the grid. Returns true when the grid is complete (then it joins
   * `grids`), else points the scanner at the next block.
   */
  private nextBlock(): boolean {
    const s = this.scanner!;
    const store = this.store!;
    store.append(s.target, s.count);
    s.count = 0;
    if (store.length === store.capacity) {
      this.grids.push(store.finish());
      this.store = undefined;
      return true;
    }
    const left = store.capacity - store.length;
    if (left < s.target.length) s.target = s.target.subarray(0, left);
    return false;
  }

  /** Values of the grid being read, so far. */
  private valuesRead(): number {
    return (this.store?.length ?? 0) + (this.scanner?.count ?? 0);
  }

  /** Call after the last chunk. Throws `unexpected_eof` when the file stopped early. */
  finish(): VolumetricData {
    if (this.mode === 'data' && this.scanner) {
      this.scanner.feed(new Uint8Array(0), 0, 0, true);
      this.line = this.scanner.line;
      if (this.scanner.full && this.nextBlock()) this.mode = 'tail';
    } else if (this.pendingLine !== '' && this.mode !== 'tail') {
      const text = this.pendingLine.endsWith('\r') ? this.pendingLine.slice(0, -1) : this.pendingLine;
      this.pendingLine = '';
      this.handleLine(text, 0);
      if (this.mode === 'data') return this.finish();
    }
    if (this.mode === 'header' || this.mode === 'dims' || !this.structure || !this.dims) {
      throw new FormatError('unexpected_eof', 'file ends inside the header', {
        fileName: this.fileName,
        line: this.line,
        expected: this.mode === 'dims' ? '3 grid dimensions NGX NGY NGZ' : 'the rest of the POSCAR header',
      });
    }
    if (this.mode === 'data') {
      const got = this.valuesRead();
      const want = this.store?.capacity ?? 0;
      throw new FormatError('unexpected_eof', `file ends after ${got} of ${want} values`, {
        fileName: this.fileName,
        line: this.line,
        expected: `${want} values for the ${this.dims.join('x')} grid (grid ${this.grids.length + 1}), got ${got}`,
      });
    }
    this.opts.onProgress?.(this.offset, this.opts.totalBytes);
    const kind = this.opts.kind ?? volumetricKindFromName(this.fileName);
    const lattice = this.structure.lattice;
    const dims = this.dims;
    const grids: Grid3D[] = this.grids.map((data) => ({ dims: [...dims] as [number, number, number], lattice, data }));
    return {
      kind,
      units: volumetricUnits(kind),
      structure: this.structure,
      speciesSource: this.speciesSource,
      dims,
      grid: grids[0],
      extraGrids: grids.slice(1),
      spin: grids[1],
      augmentationSkipped: this.augmentation,
    };
  }
}

export interface VolumetricReadOptions extends VolumetricOptions {
  /** Cap on decompressed bytes for gzip input (default 16 GiB). */
  maxDecompressedBytes?: number;
}

const SLICE = 4 << 20;

/** Read a whole volumetric file from bytes (plain or gzip) or text. */
export function parseVolumetric(input: Uint8Array | string, opts: VolumetricReadOptions = {}): VolumetricData {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (isGzip(bytes)) {
    const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    const { onProgress, ...rest } = opts;
    const parser = new VolumetricParser({ ...rest, totalBytes: undefined, maxBytes: cap });
    const g = new CappedGunzip(cap, (c) => parser.push(c), opts.fileName);
    for (let p = 0; p < bytes.length; p += SLICE) {
      const e = Math.min(bytes.length, p + SLICE);
      g.push(bytes.subarray(p, e), e === bytes.length);
      onProgress?.(e, bytes.length);
    }
    if (bytes.length === 0) g.push(bytes, true);
    return parser.finish();
  }
  const parser = new VolumetricParser({ ...opts, totalBytes: bytes.length });
  for (let p = 0; p < bytes.length; p += SLICE) parser.push(bytes.subarray(p, Math.min(bytes.length, p + SLICE)));
  return parser.finish();
}

/**
 * Read a volumetric file from an async byte stream (a Node ReadStream, a web ReadableStream, ...). Gzip input is
 * detected by its magic bytes and inflated with the `maxDecompressedBytes` cap. `totalBytes` is the size of the
 * source (compressed or not): progress reports source bytes; for plain input it also bounds the grid.
 */
export async function parseVolumetricStream(
  source: AsyncIterable<Uint8Array>,
  opts: VolumetricReadOptions = {},
): Promise<VolumetricData> {
  const { onProgress, ...rest } = opts;
  let parser: VolumetricParser | undefined;
  let gunzip: CappedGunzip | undefined;
  let head = new Uint8Array(0);
  let seen = 0;
  let lastReport = 0;
  const feed = (chunk: Uint8Array): void => {
    if (gunzip) gunzip.push(chunk, false);
    else parser!.push(chunk);
  };
  for await (const raw of source) {
    const chunk = raw instanceof Uint8Array ? raw : new Uint8Array(raw as ArrayBufferLike);
    seen += chunk.length;
    if (!parser) {
      const merged = new Uint8Array(head.length + chunk.length);
      merged.set(head);
      merged.set(chunk, head.length);
      if (merged.length < 2) {
        head = merged;
        continue;
      }
      if (isGzip(merged)) {
        const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
        parser = new VolumetricParser({ ...rest, totalBytes: undefined, maxBytes: cap });
        const p = parser;
        gunzip = new CappedGunzip(cap, (c) => p.push(c), opts.fileName);
      } else {
        parser = new VolumetricParser(rest);
      }
      feed(merged);
    } else feed(chunk);
    if (onProgress && seen - lastReport >= (opts.totalBytes ? Math.max(opts.totalBytes / 100, 1 << 16) : 4 << 20)) {
      lastReport = seen;
      onProgress(seen, opts.totalBytes);
    }
  }
  if (!parser) {
    parser = new VolumetricParser(rest);
    parser.push(head);
  }
  if (gunzip) gunzip.push(new Uint8Array(0), true);
  const out = parser.finish();
  onProgress?.(seen, opts.totalBytes);
  return out;
}

/**
 * Charge density in e/A^3 from a CHGCAR-like grid (rho*V_cell): divides every value by the cell volume.
 * Returns a new grid; the input is left as is.
 */
export function chargeDensityPerA3(grid: Grid3D): Grid3D {
  const v = cellVolume(grid.lattice);
  if (!(v > 0)) throw new RangeError('cell volume must be positive');
  const data = new Float32Array(grid.data.length);
  for (let i = 0; i < data.length; i++) data[i] = grid.data[i] / v;
  return { dims: [...grid.dims] as [number, number, number], lattice: grid.lattice, data };
}

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
    let buf: string[] = [];
    let line = '';
    for (let i = 0; i < n; i++) {
      line += formatVaspNumber(data[i], digits);
      if ((i + 1) % perLine === 0 || i === n - 1) {
        buf.push(line);
        line = '';
        if (buf.length >= linesPerChunk) {
          yield `${buf.join('\n')}\n`;
          buf = [];
        }
      }
    }
    if (buf.length) yield `${buf.join('\n')}\n`;
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

