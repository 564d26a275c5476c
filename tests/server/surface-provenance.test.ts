/** surfaceProvenance: the rows the surface page shows from a stored meta.json (hand-written inputs). */
import { describe, expect, it } from 'vitest';
import { surfaceProvenance } from '@/lib/server/surface-provenance';

describe('surfaceProvenance', () => {
  it('lists the code, mu_Li with its reference and every setting in key order', () => {
    const meta = JSON.stringify({
      code: 'GPAW 22.8.0',
      mu_Li_eV: -1.865401761555416,
      mu_Li_reference: 'bcc',
      settings: { xc: 'PBE', kpts: [2, 2, 1], h_A: 0.2, basis: 'dzp', extra: { a: 1 } },
    });
    expect(surfaceProvenance(meta)).toEqual([
      { key: 'code', value: 'GPAW 22.8.0' },
      { key: 'mu_Li', value: '-1.8654 eV (bcc)' },
      { key: 'basis', value: 'dzp' },
      { key: 'extra', value: '{"a":1}' },
      { key: 'h_A', value: '0.2' },
      { key: 'kpts', value: '2 × 2 × 1' },
      { key: 'xc', value: 'PBE' },
    ]);
  });

  it('gives nothing for a missing or broken meta.json and bounds what a user file can put on the page', () => {
    expect(surfaceProvenance(null)).toEqual([]);
    expect(surfaceProvenance('{not json')).toEqual([]);
    expect(surfaceProvenance('[1, 2]')).toEqual([]);
    expect(surfaceProvenance('{"settings": "PBE"}')).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${String(i).padStart(3, '0')}`, 'x'.repeat(5000)]));
    const rows = surfaceProvenance(JSON.stringify({ settings: many }));
    expect(rows).toHaveLength(60);
    expect(rows[0].value).toHaveLength(400);
    expect(rows[0].value.endsWith('…')).toBe(true);
  });
});
