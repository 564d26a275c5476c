import { describe, expect, it } from 'vitest';
import { hopPaths, siteEnergy, type ViewSite } from '@/lib/view/surface-model';

function site(id: string, eBindingEv: number | null, predictedEv: number | null = null): ViewSite {
  return {
    id,
    name: id,
    kind: 'H',
    position: [0, 0, 0],
    xy: [0, 0],
    directionRad: null,
    mepV: null,
    eBindingEv,
    predictedEv,
    sigmaEv: null,
    dopantDistanceA: null,
  };
}

describe('energies for colouring', () => {
  it('prefers the chosen source and falls back to the other', () => {
    expect(siteEnergy(site('a', -1, -0.8), 'dft')).toBe(-1);
    expect(siteEnergy(site('a', -1, -0.8), 'predicted')).toBe(-0.8);
    expect(siteEnergy(site('a', null, -0.8), 'dft')).toBe(-0.8);
    expect(siteEnergy(site('a', null, null), 'predicted')).toBeNull();
  });

  it('draws one path per saddle with the larger barrier, or none when an energy is missing', () => {
    const sites = [site('A', -1.2), site('B', -1.0), site('S', -0.7), site('T', null)];
    const hops = [
      { id: '1', name: 'h1', from: 'A', saddle: 'S', to: 'B' },
      { id: '2', name: 'h2', from: 'B', saddle: 'S', to: 'A' },
      { id: '3', name: 'h3', from: 'A', saddle: 'T', to: 'B' },
    ];
    const paths = hopPaths(sites, hops, 'dft');
    expect(paths).toHaveLength(2);
    expect(paths[0].barrierEv).toBeCloseTo(0.5, 12); // -0.7 - (-1.2)
    expect(paths[1].barrierEv).toBeNull();
  });
});
