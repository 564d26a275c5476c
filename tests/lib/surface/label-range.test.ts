import { describe, expect, it } from 'vitest';
import type { Mat3 } from '@/lib/math/mat3';
import { LABEL_BINDING_LIMIT_EV, LABEL_CELL_TOLERANCE_A, labelRangeIssues } from '@/lib/surface/label-range';

/** Orthorhombic 10 x 10 x 20 A: fractional = Cartesian / length, so the excess is read off by hand. */
const BOX: Mat3 = [
  [10, 0, 0],
  [0, 10, 0],
  [0, 0, 20],
];
/**
 * 3x3 hexagonal cell, a0 = 3.16: a = (9.48, 0, 0), b = (-4.74, 9.48 sqrt(3)/2, 0) = (-4.74, 8.2099, 0), |a| = |b| = 9.48.
 * A point at fractional (0.5, fb, 0.5) is x = 0.5 * 9.48 - 4.74 fb, y = 8.2099 fb, z = 10; its excess along b is
 * (fb - 1) * 9.48 A: 0.474 A at fb = 1.05 (inside the 0.5 A tolerance), 0.5688 A at fb = 1.06 (outside).
 */
const HB = (9.48 * Math.sqrt(3)) / 2;
const HEX: Mat3 = [
  [9.48, 0, 0],
  [-4.74, HB, 0],
  [0, 0, 20],
];
const hexPoint = (fb: number): [number, number, number] => [4.74 - 4.74 * fb, HB * fb, 10];

const codes = (issues: { code: string }[]): string[] => issues.map((i) => i.code);

describe('label range checks', () => {
  it('uses the documented defaults: 0.5 A outside the cell, |E_b| <= 1e4 eV', () => {
    expect(LABEL_CELL_TOLERANCE_A).toBe(0.5);
    expect(LABEL_BINDING_LIMIT_EV).toBe(1e4);
  });

  it.each([
    ['inside', [5, 5, 12], []],
    ['on the far face', [10, 10, 20], []],
    ['0.4 A past a (within tolerance)', [10.4, 5, 12], []],
    ['0.4 A before the origin along c', [5, 5, -0.4], []],
    ['0.6 A past a', [10.6, 5, 12], ['position_outside_cell']],
    ['0.6 A before the origin along b', [5, -0.6, 12], ['position_outside_cell']],
    ['1 A past c', [5, 5, 21], ['position_outside_cell']],
    ['the issue 15 label (1e300, -1e300, 1e300)', [1e300, -1e300, 1e300], ['position_outside_cell']],
  ])('orthorhombic cell: %s', (_name, position, expected) => {
    expect(codes(labelRangeIssues({ position: position as [number, number, number] }, BOX))).toEqual(expected);
  });

  it('measures the excess along the (skewed) lattice vector of a hexagonal cell', () => {
    expect(labelRangeIssues({ position: hexPoint(0.5) }, HEX)).toEqual([]);
    expect(labelRangeIssues({ position: hexPoint(1.05) }, HEX)).toEqual([]);
    const out = labelRangeIssues({ position: hexPoint(1.06) }, HEX);
    expect(codes(out)).toEqual(['position_outside_cell']);
    expect(out[0].message).toContain('0.5688 A outside the cell along b (fractional 1.06)');
  });

  it('names a coordinate that is not finite', () => {
    const out = labelRangeIssues({ position: [Number.NaN, 1, Number.POSITIVE_INFINITY] }, BOX);
    expect(out.map((i) => [i.code, i.field])).toEqual([
      ['position_not_finite', 'x'],
      ['position_not_finite', 'z'],
    ]);
  });

  it.each([
    [{ eBindingEv: -1.9 }, []],
    [{ eBindingEv: 1e4 }, []],
    [{ eBindingEv: -1e4 }, []],
    [{ eBindingEv: 10000.5 }, ['energy_out_of_range']],
    [{ eBindingEv: -1e308 }, ['energy_out_of_range']],
    [{ eBindingEv: Number.NaN }, ['energy_not_finite']],
    [{ eBindingEv: Number.POSITIVE_INFINITY }, ['energy_not_finite']],
  ])('E_b %o', (energies, expected) => {
    expect(codes(labelRangeIssues({ position: [5, 5, 12], ...energies }, BOX))).toEqual(expected);
  });

  it('accepts large code-dependent totals (a QE or CP2K 3x3 MoS2 slab is about -2e4 eV) and refuses absurd ones', () => {
    expect(labelRangeIssues({ position: [5, 5, 12], eTotalEv: -21500 }, BOX)).toEqual([]);
    expect(codes(labelRangeIssues({ position: [5, 5, 12], eTotalEv: 1e300 }, BOX))).toEqual(['energy_out_of_range']);
    expect(codes(labelRangeIssues({ position: [5, 5, 12], eTotalEv: Number.NaN }, BOX))).toEqual(['energy_not_finite']);
  });

  it('checks the E_b an E_total-only label implies when E_slab and mu_Li are known', () => {
    // -190.5 - (-188) - (-1.9) = -0.6 eV: fine.
    expect(labelRangeIssues({ position: [5, 5, 12], eTotalEv: -190.5 }, BOX, { eSlabEv: -188, muLiEv: -1.9 })).toEqual(
      [],
    );
    // 2e4 - (-188) - (-1.9) = 20189.9 eV: beyond 1e4.
    const out = labelRangeIssues({ position: [5, 5, 12], eTotalEv: 2e4 }, BOX, { eSlabEv: -188, muLiEv: -1.9 });
    expect(codes(out)).toEqual(['energy_out_of_range']);
    expect(out[0].message).toBe('E_b = E_total - E_slab - mu_Li = 20189.9 eV is outside -10000..10000 eV');
  });

  it('reports position and energy problems together, with options overriding the limits', () => {
    const out = labelRangeIssues({ position: [10.3, 5, 12], eBindingEv: 6 }, BOX, {
      cellToleranceA: 0.2,
      bindingLimitEv: 5,
    });
    expect(out.map((i) => i.field)).toEqual(['position', 'E_b_eV']);
  });
});
