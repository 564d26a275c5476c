/**
 * The NEB options of a GPAW campaign (lib/campaign/gpaw.ts): `neb_*` keys of the GPAW overrides, defaults from
 * scripts/dft/neb.py (N_INNER = 5 read from the file itself), checked before any folder is written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNebOverrides, gpawNebImages, gpawNebScript } from '@/lib/campaign/gpaw';

const nebPy = readFileSync(path.resolve(__dirname, '../../../scripts/dft/neb.py'), 'utf8');

describe('GPAW campaign NEB options', () => {
  it("should default to scripts/dft/neb.py's inner images and take neb_images from the overrides", () => {
    const nInner = Number(/^N_INNER = (\d+)$/m.exec(nebPy)![1]);
    expect(gpawNebImages({ basis: 'sz(dzp)' })).toBe(nInner);
    expect(gpawNebImages({ neb_images: 3 })).toBe(3);
  });

  it('should refuse images, steps or fmax that are not usable, and unknown neb_ keys', () => {
    expect(() => gpawNebImages({ neb_images: 0 })).toThrow(/neb_images/);
    expect(() => gpawNebImages({ neb_images: 2.5 })).toThrow(/neb_images/);
    expect(() => checkNebOverrides({ neb_max_steps: '10' })).toThrow(/neb_max_steps/);
    expect(() => checkNebOverrides({ neb_fmax_eV_A: -0.1 })).toThrow(/neb_fmax_eV_A/);
    expect(() => checkNebOverrides({ neb_climb: false })).toThrow(/unknown NEB option\(s\) neb_climb/);
    expect(() => checkNebOverrides({ neb_images: 1, neb_fmax_eV_A: 0.1, neb_max_steps: 15 })).not.toThrow();
  });

  it('should keep the neb_ keys out of the calculator settings and use them for the optimiser', () => {
    const script = gpawNebScript('t', { h_A: 0.3, neb_fmax_eV_A: 0.1, neb_max_steps: 15 }, 'S', 3);
    expect(script).toContain('SETTINGS.update({k: v for k, v in OVERRIDES.items() if not k.startswith("neb_")})');
    expect(script).toContain('fmax = float(OVERRIDES.get("neb_fmax_eV_A", FMAX_EV_A))');
    expect(script).toContain('opt.run(fmax=fmax, steps=max_steps)');
    expect(script).toContain('IMAGES = 3');
  });
});
