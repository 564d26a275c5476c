/**
 * VASP OUTCAR: energies of the ionic steps and convergence, read as a stream of byte chunks (multi-GB OUTCARs are
 * never held whole: one chunk plus one partial line).
 *
 * Markers (as in ASE's vasp_outcar_parsers, one per property):
 *   "FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)" opens the summary of one ionic step; within it
 *   "free  energy   TOTEN  =  X eV"  -> free energy (eV)
 *   "energy  without entropy= Y  energy(sigma->0) = Z" -> energy without entropy and sigma->0 (eV)
 *   "reached required accuracy" -> the relaxation converged (IBRION >= 0 runs).
 * Electronic-step lines (VASP 5 prints "free energy    TOTEN" in every SCF step) are outside those blocks and ignored.
 */
import { FormatError } from './errors';
import { CappedGunzip, DEFAULT_MAX_DECOMPRESSED_BYTES, isGzip, sniffGzipStream } from './gzip';
import { parseFortranNumber } from './numbers';
import { OutcarLevelsTracker, type OutcarLevels } from './outcar-levels';
import { LineChunker } from './text';

export interface IonicStepEnergies {
  /** free energy TOTEN (eV). */
  freeEnergyEv: number;
  /** energy(sigma->0) (eV); NaN when the line was missing. */
  energySigma0Ev: number;
  /** energy without entropy (eV); NaN when missing. */
  energyWithoutEntropyEv: number;
}

export interface OutcarSummary {
  /** VASP version string from the first line, when present ("vasp.6.1.1"). */
  vaspVersion?: string;
  ionicSteps: number;
  /** Energies per ionic step, in order. */
  steps: IonicStepEnergies[];
  /** Last ionic step: energy(sigma->0) in eV (undefined when no step finished). */
  energySigma0Ev?: number;
  /** Last ionic step: free energy TOTEN in eV. */
  freeEnergyEv?: number;
  reachedRequiredAccuracy: boolean;
  /** Whether the run printed its timing footer ("General timing and accounting"), i.e. ended normally. */
  finishedNormally: boolean;
  /** Fermi level and the eigenvalues straddling it at the last printed step (./outcar-levels.ts). */
  levels?: OutcarLevels;
  /** Lines read (the last line of the file): where a run cut short ended. */
  lineCount: number;
}

const MARKERS =
  /FREE ENERGIE OF THE ION-ELECTRON SYSTEM|free\s+energy\s+TOTEN\s*=\s*(\S+)|energy\s+without\s+entropy\s*=\s*(\S+)\s+energy\(sigma->0\)\s*=\s*(\S+)|reached required accuracy|General timing and accounting|(vasp\.\d[\w.]*)/g;

/** Streaming OUTCAR scanner: `push` chunks (decompressed), then `finish`. */
export class OutcarScanner {
  private readonly chunker: LineChunker;
  private readonly steps: IonicStepEnergies[] = [];
  private inBlock = false;
  private lineNo = 1;
  private reached = false;
  private finished = false;
  private version?: string;
  private readonly levels = new OutcarLevelsTracker();
  /** Eigenvalue lines come after the first E-fermi line: only from there is the text split into lines. */
  private levelsStarted = false;
  private endsWithNewline = false;

  constructor(private readonly fileName?: string) {
    this.chunker = new LineChunker(1 << 24, fileName);
  }

  push(chunk: Uint8Array): void {
    this.scan(this.chunker.push(chunk));
  }

  private scan(text: string): void {
    MARKERS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = MARKERS.exec(text))) {
      const s = m[0];
      if (s.startsWith('FREE ENERGIE')) {
        this.inBlock = true;
        this.steps.push({ freeEnergyEv: NaN, energySigma0Ev: NaN, energyWithoutEntropyEv: NaN });
      } else if (m[1] !== undefined) {
        if (this.inBlock) this.steps[this.steps.length - 1].freeEnergyEv = this.num(m[1], text, m.index);
      } else if (m[2] !== undefined) {
        if (this.inBlock) {
          const step = this.steps[this.steps.length - 1];
          step.energyWithoutEntropyEv = this.num(m[2], text, m.index);
          step.energySigma0Ev = this.num(m[3], text, m.index);
          this.inBlock = false;
        }
      } else if (s === 'reached required accuracy') this.reached = true;
      else if (s.startsWith('General timing')) this.finished = true;
      else if (m[4] !== undefined && this.version === undefined && this.lineNo === 1 && m.index < 200) {
        this.version = m[4];
      }
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineNo++;
    if (text.length) this.endsWithNewline = text.endsWith('\n');
    if (text.includes('E-fermi') || this.levelsStarted) {
      this.levelsStarted = true;
      for (const line of text.split('\n')) this.levels.line(line);
    }
  }

  private num(token: string, text: string, index: number): number {
    const v = parseFortranNumber(token);
    if (Number.isNaN(v)) {
      let line = this.lineNo;
      for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
      throw new FormatError('bad_number', `bad energy '${token}'`, {
        fileName: this.fileName,
        line,
        expected: 'an energy in eV',
        got: token,
      });
    }
    return v;
  }

  finish(): OutcarSummary {
    this.scan(this.chunker.finish());
    const steps = this.steps.filter((s) => Number.isFinite(s.freeEnergyEv));
    const lastStep = steps[steps.length - 1];
    return {
      vaspVersion: this.version,
      ionicSteps: steps.length,
      steps,
      energySigma0Ev: lastStep && Number.isFinite(lastStep.energySigma0Ev) ? lastStep.energySigma0Ev : undefined,
      freeEnergyEv: lastStep?.freeEnergyEv,
      reachedRequiredAccuracy: this.reached,
      finishedNormally: this.finished,
      levels: this.levels.result(),
      lineCount: this.endsWithNewline ? this.lineNo - 1 : this.lineNo,
    };
  }
}

/** Push bytes (gzip inflated with a cap) in slices into a chunk consumer. */
export function feedBytes(
  bytes: Uint8Array,
  push: (chunk: Uint8Array) => void,
  opts: { fileName?: string; maxDecompressedBytes?: number } = {},
): void {
  if (isGzip(bytes)) {
    const g = new CappedGunzip(opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, push, opts.fileName);
    g.push(bytes, true);
    return;
  }
  const slice = 1 << 22;
  for (let p = 0; p < bytes.length; p += slice) push(bytes.subarray(p, Math.min(bytes.length, p + slice)));
}

/** Read an OUTCAR from bytes (plain or gzip) or text. Throws `unknown_format` when it has no VASP energy at all. */
export function parseOutcar(
  input: Uint8Array | string,
  opts: { fileName?: string; maxDecompressedBytes?: number } = {},
): OutcarSummary {
  const s = new OutcarScanner(opts.fileName);
  feedBytes(typeof input === 'string' ? new TextEncoder().encode(input) : input, (c) => s.push(c), opts);
  return s.finish();
}

/**
 * Read an OUTCAR from an async byte stream, plain or gzip (detected by its magic bytes, inflated with the
 * `maxDecompressedBytes` cap; a caller that inflates at its edge passes plain chunks).
 */
export async function parseOutcarStream(
  source: AsyncIterable<Uint8Array>,
  opts: { fileName?: string; maxDecompressedBytes?: number } = {},
): Promise<OutcarSummary> {
  const s = new OutcarScanner(opts.fileName);
  const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const { chunks } = await sniffGzipStream(source, cap, opts.fileName);
  for await (const c of chunks) s.push(c);
  return s.finish();
}

/**
 * The final energy(sigma->0) of an OUTCAR, or a `FormatError` when no ionic step finished (a run killed or still
 * running in its first SCF), naming the last line read.
 */
export function requireFinalEnergy(summary: OutcarSummary, fileName?: string): number {
  if (summary.energySigma0Ev === undefined) {
    throw new FormatError('unexpected_eof', 'no finished ionic step', {
      fileName,
      line: summary.lineCount,
      expected:
        "a finished ionic step ('FREE ENERGIE OF THE ION-ELECTRON SYSTEM' with energy(sigma->0)) before the end of " +
        'the file (was the run killed or still in its first SCF?)',
    });
  }
  return summary.energySigma0Ev;
}
