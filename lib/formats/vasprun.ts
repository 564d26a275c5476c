/**
 * vasprun.xml final energies, by a streaming scan of the tags (no DOM: files reach GBs with projections).
 *
 * Each ionic step is a `<calculation>`; its SCF steps are `<scstep>` blocks with their own `<energy>`; the step's
 * final energies are the `<energy>` directly under `<calculation>`:
 *   <i name="e_fr_energy"> free energy TOTEN (eV), <i name="e_wo_entrp"> without entropy, <i name="e_0_energy"> sigma->0.
 * VASP 5.4.4-6.x writes e_0_energy of the calculation block as 0 (a known bug, pymatgen works around it the same way):
 * then we take e_0_energy of the last SCF step.
 */
import { FormatError } from './errors';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, sniffGzipStream } from './gzip';
import { feedBytes } from './outcar';
import { LineChunker } from './text';

export interface VasprunSummary {
  ionicSteps: number;
  /** Last ionic step, eV. */
  freeEnergyEv?: number;
  energyWithoutEntropyEv?: number;
  energySigma0Ev?: number;
  /** True when e_0_energy came from the last SCF step (the VASP bug above). */
  sigma0FromLastScstep: boolean;
  /** Whether </modeling> was seen (the run finished writing). */
  complete: boolean;
  generator?: string;
}

const TAGS =
  /<calculation\b|<scstep\b|<\/scstep>|<i\s+name="(e_fr_energy|e_wo_entrp|e_0_energy)"\s*>\s*([^<\s]+)\s*<\/i>|<\/modeling>|<i\s+name="version"[^>]*>\s*([^<]+?)\s*<\/i>/g;

export class VasprunScanner {
  private readonly chunker: LineChunker;
  private calcs = 0;
  private inScstep = false;
  private calcE: Record<string, number> = {};
  private scE: Record<string, number> = {};
  private complete = false;
  private version?: string;
  private lineNo = 1;

  constructor(private readonly fileName?: string) {
    this.chunker = new LineChunker(1 << 24, fileName);
  }

  push(chunk: Uint8Array): void {
    this.scan(this.chunker.push(chunk));
  }

  private scan(text: string): void {
    TAGS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TAGS.exec(text))) {
      const s = m[0];
      if (s.startsWith('<calculation')) {
        this.calcs++;
        this.calcE = {};
        this.scE = {};
      } else if (s.startsWith('<scstep')) {
        this.inScstep = true;
        this.scE = {};
      } else if (s === '</scstep>') this.inScstep = false;
      else if (s === '</modeling>') this.complete = true;
      else if (m[3] !== undefined) this.version ??= m[3];
      else if (m[1] !== undefined) {
        const v = Number(m[2]);
        if (!Number.isFinite(v)) {
          let line = this.lineNo;
          for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
          throw new FormatError('bad_number', `bad ${m[1]} '${m[2]}'`, {
            fileName: this.fileName,
            line,
            expected: `a number for ${m[1]} (eV)`,
            got: m[2],
          });
        }
        (this.inScstep ? this.scE : this.calcE)[m[1]] = v;
      }
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineNo++;
  }

  finish(): VasprunSummary {
    this.scan(this.chunker.finish());
    const c = this.calcE;
    let e0 = c.e_0_energy;
    let fromSc = false;
    if ((e0 === undefined || (e0 === 0 && c.e_fr_energy !== 0)) && this.scE.e_0_energy !== undefined) {
      e0 = this.scE.e_0_energy;
      fromSc = true;
    }
    return {
      ionicSteps: this.calcs,
      freeEnergyEv: c.e_fr_energy,
      energyWithoutEntropyEv: c.e_wo_entrp,
      energySigma0Ev: e0,
      sigma0FromLastScstep: fromSc,
      complete: this.complete,
      generator: this.version,
    };
  }
}

/** Read vasprun.xml from bytes (plain or gzip) or text. */
export function parseVasprun(
  input: Uint8Array | string,
  opts: { fileName?: string; maxDecompressedBytes?: number } = {},
): VasprunSummary {
  const s = new VasprunScanner(opts.fileName);
  feedBytes(typeof input === 'string' ? new TextEncoder().encode(input) : input, (c) => s.push(c), opts);
  return s.finish();
}

/** Read vasprun.xml from an async byte stream, plain or gzip (detected by its magic bytes, inflated with the cap). */
export async function parseVasprunStream(
  source: AsyncIterable<Uint8Array>,
  opts: { fileName?: string; maxDecompressedBytes?: number } = {},
): Promise<VasprunSummary> {
  const s = new VasprunScanner(opts.fileName);
  const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const { chunks } = await sniffGzipStream(source, cap, opts.fileName);
  for await (const c of chunks) s.push(c);
  return s.finish();
}
