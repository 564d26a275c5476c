import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { OutcarScanner, parseOutcar, parseVasprun, requireFinalEnergy } from '@/lib/formats';
import { fixture, hasShared, shared, thrown } from './helpers';

describe.skipIf(!hasShared)('real OUTCARs and vasprun.xml', () => {
  // Values read by eye: grep 'free  energy   TOTEN\|energy(sigma->0)' OUTCAR (last ionic block, line 5863-5865).
  test('MoS2 5x5 OUTCAR: one ionic step, -400.80534586 eV, converged', () => {
    const o = parseOutcar(shared('mos2-5x5/mos2/pristine-mos2/OUTCAR'), { fileName: 'OUTCAR' });
    expect(o.ionicSteps).toBe(1);
    expect(o.energySigma0Ev).toBe(-400.80534586);
    expect(o.freeEnergyEv).toBe(-400.80534586);
    expect(o.reachedRequiredAccuracy).toBe(true);
    expect(o.vaspVersion).toBe('vasp.5.4.4.18Apr17'); // head -1 OUTCAR
  });
  test('MacroDensity OUTCAR.test (VASP 5 electronic lines ignored): TOTEN -0.23926534, sigma->0 -0.23926528', () => {
    const o = parseOutcar(shared('macrodensity/OUTCAR.test'));
    expect(o.ionicSteps).toBe(1);
    expect(o.freeEnergyEv).toBe(-0.23926534);
    expect(o.energySigma0Ev).toBe(-0.23926528);
    expect(o.reachedRequiredAccuracy).toBe(false);
  });
  // pymatgen (Debian python3-pymatgen): Outcar(...).efermi = -1.6481; Vasprun(vasprun.xml) eigenvalues of all k-points
  // and spins: max at or below E_F -1.9827, min above -0.1021 (eigenvalue_band_properties: gap 1.8806, CBM, VBM).
  test('MoS2 5x5 OUTCAR levels: E_F -1.6481, highest occupied -1.9827, lowest unoccupied -0.1021 (as pymatgen)', () => {
    const o = parseOutcar(shared('mos2-5x5/mos2/pristine-mos2/OUTCAR'));
    // pymatgen's Vasprun of the same run: every occupation is 0 or 1 (none in 0.01-0.99), a gap.
    expect(o.levels).toEqual({
      fermiEv: -1.6481,
      highestOccupiedEv: -1.9827,
      lowestUnoccupiedEv: -0.1021,
      fractionalOccupations: false,
    });
  });
  test('MacroDensity OUTCAR.test: E_F 3.6671 as pymatgen reads it', () => {
    expect(parseOutcar(shared('macrodensity/OUTCAR.test')).levels?.fermiEv).toBe(3.6671);
  });
  test('MoS2 vasprun.xml: final e_fr_energy -400.80534586; e_0_energy taken from the last scstep (VASP writes 0)', () => {
    const v = parseVasprun(shared('mos2-5x5/mos2/pristine-mos2/vasprun.xml'));
    expect(v.ionicSteps).toBe(1);
    expect(v.freeEnergyEv).toBe(-400.80534586);
    expect(v.energySigma0Ev).toBe(-400.80534586);
    expect(v.sigma0FromLastScstep).toBe(true);
    expect(v.complete).toBe(true);
  });
});

describe('OUTCAR levels (hand-made)', () => {
  const block = (ef: string, rows: string[][]) =>
    [
      ` E-fermi :  ${ef}     XC(G=0):  -4.35     alpha+bet : -4.27`,
      '',
      ' spin component 1',
      '',
      ...rows.flatMap((r, k) => [
        ` k-point     ${k + 1} :       0.0000    0.0000    0.0000`,
        '  band No.  band energies     occupation ',
        ...r,
        '',
      ]),
      ' --------------------------------------------------------------------------------------------------------',
      '      2     -9.0000      2.00000   (a table of another kind after the blocks)',
    ].join('\n');
  test('the last step counts; a semiconductor gives its band edges across k-points', () => {
    const text = [
      block('-1.0', [['      1     -3.0000      2.00000', '      2      1.0000      0.00000']]),
      block('-1.5', [
        ['      1     -2.5000      2.00000', '      2     -0.2000      0.00000'],
        ['      1     -2.1000      2.00000', '      2     -0.4000      0.00000'],
      ]),
    ].join('\n');
    expect(parseOutcar(text).levels).toEqual({
      fermiEv: -1.5,
      highestOccupiedEv: -2.1,
      lowestUnoccupiedEv: -0.4,
      fractionalOccupations: false,
    });
  });
  test('a doped slab: a hole state just below E-fermi holds 1.08 of 2 electrons, so states at E_F are partly filled', () => {
    const text = block('-5.3592', [
      ['      1     -6.1000      2.00000', '      2     -5.3671      1.08000', '      3     -3.7635      0.00000'],
    ]);
    expect(parseOutcar(text).levels).toEqual({
      fermiEv: -5.3592,
      highestOccupiedEv: -5.3671,
      lowestUnoccupiedEv: -3.7635,
      fractionalOccupations: true,
    });
    // Spin-polarised runs print occupations of 1 per state: 0.5 of 1 is partly filled, 1.0 is full.
    const spin = block('-1.0', [['      1     -2.0000      1.00000', '      2     -1.0000      0.50000']]);
    expect(parseOutcar(spin).levels?.fractionalOccupations).toBe(true);
    // Methfessel-Paxton overshoot (2.03 at a state just below E_F, -0.02 above) on a metal: still partly filled
    // (1.2 of 2); deep states at 2.00000 are full, not 99% of the overshoot.
    const mp = block('0.0', [
      ['      1     -3.0000      2.00000', '      2     -0.0500      2.03000', '      3      0.0200      1.20000'],
    ]);
    expect(parseOutcar(mp).levels?.fractionalOccupations).toBe(true);
    const overshootOnly = block('0.0', [
      ['      1     -3.0000      2.00000', '      2     -0.0800      2.05000', '      3      1.0000      0.00000'],
    ]);
    expect(parseOutcar(overshootOnly).levels?.fractionalOccupations).toBe(false);
  });
  test('no E-fermi line, no levels', () => {
    expect(parseOutcar(fixture('OUTCAR.steps')).levels).toBeUndefined();
  });
});

describe('OUTCAR (hand-made 3-step excerpt)', () => {
  const bytes = fixture('OUTCAR.steps');
  test('last ionic step, step count, convergence', () => {
    const o = parseOutcar(bytes);
    expect(o.ionicSteps).toBe(3);
    expect(o.steps.map((s) => s.energySigma0Ev)).toEqual([-12.45, -13.225, -13.29]);
    expect(o.freeEnergyEv).toBe(-13.3);
    expect(o.reachedRequiredAccuracy).toBe(true);
    expect(o.finishedNormally).toBe(true);
  });
  test('the same from 1..97-byte chunks and gzip', () => {
    for (const size of [1, 13, 97]) {
      const s = new OutcarScanner();
      for (let p = 0; p < bytes.length; p += size) s.push(bytes.subarray(p, p + size));
      expect(s.finish().energySigma0Ev).toBe(-13.29);
    }
    expect(parseOutcar(gzipSync(bytes)).energySigma0Ev).toBe(-13.29);
  });
  test('a run cut before its first ionic step has no final energy', () => {
    const o = parseOutcar(' vasp.6.4.2\n Iteration 1(1)\n');
    expect(o.ionicSteps).toBe(0);
    expect(thrown(() => requireFinalEnergy(o, 'OUTCAR')).code).toBe('unexpected_eof');
  });
  test('a garbled energy is a bad_number with its line', () => {
    const text = bytes.toString().replace('-13.25000000 eV', '-13.2x5 eV');
    const e = thrown(() => parseOutcar(text, { fileName: 'OUTCAR' }));
    expect(e.code).toBe('bad_number');
    expect(e.line).toBe(16);
  });
});
