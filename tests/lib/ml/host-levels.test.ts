/** Host-level descriptors: meta.json levels on the potential's scale, moved to the vacuum scale by the shift. */
import { describe, expect, test } from 'vitest';
import { encodeEpdiBatch, hostLevelDescriptors, parseEpdiBatch, samplesFromBatch } from '../../../lib/ml';

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
