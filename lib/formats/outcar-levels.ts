/**
 * Host electronic levels from an OUTCAR, line by line: the last "E-fermi :" value and, from the eigenvalue blocks
 * printed after it ("band No.  band energies  occupation", per k-point and spin), the highest eigenvalue at or below
 * E_F and the lowest above it. For a pristine semiconductor these are the VBM and CBM; for a doped slab both sit at
 * E_F. Same definition as scripts/dft (GPAW); eV on the scale of the run's LOCPOT. The occupations say whether some
 * state is partly filled (between 1% and 99% of the fullest state printed): E_F then sits in states, not in a gap
 * (lib/ml/host-levels.ts).
 */
import { PARTLY_FILLED } from '../ml/host-levels';
import { parseFortranNumber } from './numbers';

export interface OutcarLevels {
  fermiEv: number;
  highestOccupiedEv?: number;
  lowestUnoccupiedEv?: number;
  /** Whether some printed state is partly filled; undefined when no occupation was readable. */
  fractionalOccupations?: boolean;
}

const EIGENVALUE_ROW = /^\s*\d+\s+(\S+)\s+(\S+)\s*$/;
const FERMI = /E-fermi\s*:\s*(\S+)/;

export class OutcarLevelsTracker {
  private fermi = NaN;
  private highest = -Infinity;
  private lowest = Infinity;
  private occupations: number[] = [];
  private inBands = false;

  line(text: string): void {
    const f = FERMI.exec(text);
    if (f) {
      this.fermi = parseFortranNumber(f[1]);
      this.highest = -Infinity;
      this.lowest = Infinity;
      this.occupations = [];
      this.inBands = false;
      return;
    }
    if (Number.isNaN(this.fermi)) return;
    if (text.includes('band No.')) {
      this.inBands = true;
      return;
    }
    if (!this.inBands) return;
    const row = EIGENVALUE_ROW.exec(text);
    if (row) {
      const e = parseFortranNumber(row[1]);
      if (Number.isNaN(e)) return;
      if (e <= this.fermi) this.highest = Math.max(this.highest, e);
      else this.lowest = Math.min(this.lowest, e);
      const occupation = parseFortranNumber(row[2]);
      if (Number.isFinite(occupation)) this.occupations.push(occupation);
      return;
    }
    if (text.trim() === '' || /k-point|spin component/.test(text)) return;
    this.inBands = false;
  }

  result(): OutcarLevels | undefined {
    if (!Number.isFinite(this.fermi)) return undefined;
    return {
      fermiEv: this.fermi,
      highestOccupiedEv: Number.isFinite(this.highest) ? this.highest : undefined,
      lowestUnoccupiedEv: Number.isFinite(this.lowest) ? this.lowest : undefined,
      fractionalOccupations: this.partlyFilled(),
    };
  }

  private partlyFilled(): boolean | undefined {
    // Full is 2 without spin polarisation, 1 per spin with it: the fullest printed state says which (Methfessel-Paxton
    // smearing can overshoot a little past full, so the nominal value is used).
    const fullest = this.occupations.reduce((a, o) => Math.max(a, o), 0);
    if (!(fullest > 0)) return undefined;
    const full = fullest > 1.25 ? 2 : 1;
    return this.occupations.some((o) => o > PARTLY_FILLED.min * full && o < PARTLY_FILLED.max * full);
  }
}
