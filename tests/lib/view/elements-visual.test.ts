import { describe, expect, it } from 'vitest';
import { colourDistance, elementVisual, speciesColours, speciesRole } from '@/lib/view/elements-visual';

describe('element colours', () => {
  it('keeps Jmol colours for the usual hosts (Mo 0x54b5b5, S 0xffff30, Zr 0x94e0e0: jmol.sourceforge.net/jscolors)', () => {
    expect(elementVisual('Mo').colour).toBe(0x54b5b5);
    expect(elementVisual('S').colour).toBe(0xffff30);
    expect(elementVisual('Zr').colour).toBe(0x94e0e0);
  });
  it('draws Ti and V apart', () => {
    expect(colourDistance(elementVisual('Ti').colour, elementVisual('V').colour)).toBeGreaterThan(150);
  });
  it('gives a dopant too close to the host metal a far colour (Ti in ZrS2), leaves a distinct one (V in MoS2)', () => {
    // Ti 0xbfc2c7 vs Zr 0x94e0e0: (43, 30, 25) apart, sqrt(43^2 + 30^2 + 25^2) = 58.1.
    expect(colourDistance(0xbfc2c7, 0x94e0e0)).toBeCloseTo(Math.sqrt(43 ** 2 + 30 ** 2 + 25 ** 2), 10);
    const zrTi = speciesColours(['Zr', 'Zr', 'S', 'Ti'], ['Ti']);
    expect(zrTi.get('Zr')).toBe(0x94e0e0);
    expect(colourDistance(zrTi.get('Ti')!, zrTi.get('Zr')!)).toBeGreaterThan(150);
    expect(colourDistance(zrTi.get('Ti')!, zrTi.get('S')!)).toBeGreaterThan(150);
    const moV = speciesColours(['Mo', 'S', 'V'], ['V']);
    expect(moV.get('V')).toBe(elementVisual('V').colour);
  });
  it('names roles for the legend', () => {
    expect(['Mo', 'S', 'V', 'Li'].map((s) => speciesRole(s, ['V']))).toEqual([
      'host metal',
      'chalcogen',
      'dopant',
      'adsorbate',
    ]);
  });
});
