import { describe, expect, test } from 'vitest';
import {
  bindingEnergy,
  describeReference,
  isMuLiReference,
  rereference,
  type MuLiReference,
} from '@/lib/profile/binding';
import { dopingEffects } from '@/lib/profile/doping';
import { ProfileError } from '@/lib/profile/errors';

const bcc: MuLiReference = { kind: 'bcc', muLiEv: -1.9 };
const atom: MuLiReference = { kind: 'atom', muLiEv: -0.3 };

describe('binding energies', () => {
  test('E_b = E_total - E_slab - mu_Li', () => {
    // -101.5 - (-100) - (-1.9) = 0.4
    expect(bindingEnergy(-101.5, -100, bcc)).toBeCloseTo(0.4, 12);
    expect(bindingEnergy(-101.5, -100, atom)).toBeCloseTo(-1.2, 12);
  });

  test('switching the reference shifts every E_b by mu_old - mu_new and leaves barriers unchanged', () => {
    const r = rereference([0.4, null, 0.7], bcc, atom);
    expect(r.shiftEv).toBeCloseTo(-1.6, 12);
    expect(r.values[0]).toBeCloseTo(-1.2, 12); // same as computing on the atom reference directly
    expect(r.values[1]).toBeNull();
    expect((r.values[2] as number) - (r.values[0] as number)).toBeCloseTo(0.3, 12);
    expect(r.message).toMatch(/bcc Li .* isolated Li atom .* barriers unchanged/);
    expect(rereference(0.4, bcc, bcc).values).toBe(0.4);
  });

  test('validates references', () => {
    expect(isMuLiReference({ kind: 'custom', muLiEv: -2, note: 'PBE+D3' })).toBe(true);
    expect(isMuLiReference({ kind: 'fcc', muLiEv: -2 })).toBe(false);
    expect(isMuLiReference({ kind: 'bcc', muLiEv: Number.NaN })).toBe(false);
    expect(() => bindingEnergy(-1, -1, { kind: 'bcc' } as unknown as MuLiReference)).toThrow(ProfileError);
    expect(describeReference({ kind: 'custom', muLiEv: -2, note: 'a\nb' })).toBe('custom (mu_Li = -2 eV; a b)');
  });
});

describe('dopingEffects', () => {
  test('barrier change per dopant relative to the pristine host, absolute and percent', () => {
    const effects = dopingEffects([
      { surface: 'TiS2-3x3', host: 'TiS2', dopant: null, barrierEv: 0.3 },
      { surface: 'TiS2-4x4', host: 'TiS2', dopant: '', barrierEv: 0.32 },
      { surface: 'V@TiS2', host: 'TiS2', dopant: 'V', barrierEv: 0.27 },
      { surface: 'Nb@TiS2', host: 'TiS2', dopant: 'Nb', barrierEv: 0.33 },
      { surface: 'V@MoS2', host: 'MoS2', dopant: 'V', barrierEv: 0.2 }, // no pristine MoS2: skipped
    ]);
    expect(effects.map((e) => `${e.host}/${e.dopant}`)).toEqual(['TiS2/Nb', 'TiS2/V']);
    const v = effects[1];
    expect(v.pristineBarrierEv).toBe(0.3); // lowest of the two pristine surfaces
    expect(v.pristineCount).toBe(2);
    expect(v.deltaEv).toBeCloseTo(-0.03, 12);
    expect(v.deltaPercent).toBeCloseTo(-10, 10); // the paper's V-doped TiS2 figure
    expect(effects[0].deltaPercent).toBeCloseTo(10, 10);
  });

  test('zero pristine barrier gives no percentage', () => {
    const [e] = dopingEffects([
      { surface: 'p', host: 'X', dopant: null, barrierEv: 0 },
      { surface: 'd', host: 'X', dopant: 'Y', barrierEv: 0.1 },
    ]);
    expect(e.deltaPercent).toBeNull();
  });
});
