/** Host-level descriptors: meta.json levels on the potential's scale, moved to the vacuum scale by the shift. */
import { describe, expect, test } from 'vitest';
import {
  acceptorLevel,
  encodeEpdiBatch,
  hostLevelDescriptors,
  hostLevelsOf,
  parseEpdiBatch,
  partlyFilled,
  samplesFromBatch,
} from '../../../lib/ml';

describe('host level descriptors', () => {
  test('levels plus the vacuum shift: GPAW levels (vacuum at 0) stay, VASP-like ones move by the shift', () => {
    expect(hostLevelDescriptors({ E_fermi_eV: -5.9, lowest_unoccupied_eV: -5.85 }, 0)).toEqual({
      acceptor_level_eV: -5.85,
      fermi_level_eV: -5.9,
    });
    // A potential whose vacuum sits at +3.2 eV is shifted by -3.2 eV; a CBM at -1.1 eV on that scale is at -4.3 eV.
    expect(hostLevelDescriptors({ lowest_unoccupied_eV: -1.1 }, -3.2).acceptor_level_eV).toBeCloseTo(-4.3, 12);
    expect(hostLevelDescriptors({}, -3.2)).toEqual({});
  });

  test('partly filled states at E_F make E_F the acceptor level (MoSe2:V), a gap keeps the CBM (MoSe2)', () => {
    // data/demo MoSe2-V: the V hole state lies 7.9 meV below E_F, Fermi-Dirac occupation at kT = 0.05 eV
    // 1 / (1 + exp(-0.0079 / 0.05)) = 0.539: a partly filled state, so Li's electron goes to E_F, not to the CBM
    // 1.6 eV higher (the "lowest eigenvalue above E_F").
    const doped = { E_fermi_eV: -5.3592, highest_occupied_eV: -5.3671, lowest_unoccupied_eV: -3.7635, settings: { width_eV: 0.05 } };
    expect(partlyFilled(doped)).toBe(true);
    expect(hostLevelDescriptors(doped, 0.1).acceptor_level_eV).toBeCloseTo(-5.2592, 12);
    // data/demo MoSe2: E_F mid-gap, 0.88 eV from either edge: occupations 1 - 2e-8 and 2e-8, a gap.
    const pristine = { E_fermi_eV: -4.5985, highest_occupied_eV: -5.4786, lowest_unoccupied_eV: -3.7115, settings: { width_eV: 0.05 } };
    expect(partlyFilled(pristine)).toBe(false);
    expect(acceptorLevel(pristine)).toBe(-3.7115);
    // ZrS2-Ti: the VBM 0.538 eV below E_F is full to 1 - 2e-5 (> 99%): still a gap.
    expect(partlyFilled({ E_fermi_eV: -6.115, highest_occupied_eV: -6.653, lowest_unoccupied_eV: -5.572, settings: { width_eV: 0.05 } })).toBe(false);
    // Recorded occupations (a host OUTCAR) decide over the width; without either, the CBM as before.
    expect(acceptorLevel({ ...pristine, fractional_occupations: true })).toBe(-4.5985);
    expect(acceptorLevel({ E_fermi_eV: -5.3592, lowest_unoccupied_eV: -3.7635 })).toBe(-3.7635);
  });

  test('hostLevelsOf reads meta.json defensively', () => {
    expect(hostLevelsOf({ E_fermi_eV: '-5', lowest_unoccupied_eV: -3.7, fractional_occupations: 'yes', settings: { width_eV: 0.05 } })).toEqual({
      E_fermi_eV: undefined,
      highest_occupied_eV: undefined,
      lowest_unoccupied_eV: -3.7,
      fractional_occupations: undefined,
      settings: { width_eV: 0.05 },
    });
    expect(hostLevelsOf(null).settings).toEqual({ width_eV: undefined });
  });

  test('the EPDI batch hands surface descriptors to every sample of the surface', () => {
    const site = {
      surfaceId: 'S',
      surface: 's',
      host: null,
      dopant: null,
      kind: 'T_M',
      symmetryGroup: 0,
      dopantDistanceA: null,
      mepV: 1,
      eBindingEv: null,
    };
    const header = {
      pixels: 1,
      count: 2,
      rangeEv: null,
      sites: [
        { ...site, id: 'a', name: 'T_M-0', descriptors: { acceptor_level_eV: -5.85 } },
        { ...site, id: 'b', name: 'T_M-1', descriptors: {} as Record<string, number> },
      ],
    };
    const [a, b] = samplesFromBatch(parseEpdiBatch(encodeEpdiBatch(header, (d) => d.fill(0))));
    expect(a.descriptors).toEqual({ acceptor_level_eV: -5.85 });
    expect(b.descriptors).toBeUndefined();
  });
});
