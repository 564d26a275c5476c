/**
 * The streaming reader of VASP volumetric files (`VolumetricParser`); the layout, the units and the memory bounds are
 * described in ./volumetric.ts, which also holds the whole-file and async-stream entry points.
 */
import type { Grid3D } from '../grid/grid3d';
import type { Structure } from '../structure/structure';
import { FormatError } from './errors';
import { GrowableFloat32 } from './grow-buffer';
import { FloatScanner, parseIntToken } from './numbers';
import type { SpeciesSource } from './poscar';
import { parsePoscarLines, poscarLineCount } from './poscar';
import { latin1, tokens } from './text';
import {
  DEFAULT_MAX_POINTS,
  volumetricKindFromName,
  volumetricUnits,
  type VolumetricData,
  type VolumetricOptions,
} from './volumetric-data';

/** Values scanned into one block before the block is appended to the growing grid. */
const BLOCK = 1 << 20;
const MAX_HEADER_LINE = 4096;
const MAX_TAIL_LINE = 1 << 20;

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
