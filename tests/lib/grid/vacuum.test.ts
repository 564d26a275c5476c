import { describe, expect, test } from 'vitest';
import { largestGap, vacuumAlignment } from '../../../lib/grid';
import { buildMX2Slab, exactVacuumLevel, sampleModelOnGrid, syntheticPotentialModel } from '../../fixtures/synthetic';

describe('vacuum alignment', () => {
  test('largest periodic gap wraps across the cell boundary', () => {
    expect(largestGap([0.1, 0.2, 0.9])).toEqual({ start: 0.2, width: expect.closeTo(0.7, 12) });
    const g = largestGap([0.95, 0.05, 0.5]);
    expect(g.start).toBeCloseTo(0.05, 12);
    expect(g.width).toBeCloseTo(0.45, 12);
  });

  test.each([
    ['centred slab, no dipole', 0.5, 3.2, 0],
    ['centred slab with a dipole step', 0.5, -1.4, 0.4],
    ['slab wrapped across c, with a dipole step', 0.02, 4.0, -0.3],
  ])('%s: finds the vacuum level above the top surface and the step', (_name, metalFracC, offsetEv, dipoleStepEv) => {
    const slab = buildMX2Slab({ phase: '2H', supercell: [2, 2], metalFracC, cLength: 24 });
    const model = syntheticPotentialModel(slab, { offsetEv, dipoleStepEv });
    const grid = sampleModelOnGrid(model, [24, 24, 160]);
    const v = vacuumAlignment(grid, slab.positions);
    expect(v.dipoleStepEv).toBeCloseTo(dipoleStepEv, 4);
    expect(v.vacuumLevelEv).toBeCloseTo(exactVacuumLevel(model), 4);
    expect(v.shiftEv).toBeCloseTo(-(offsetEv + dipoleStepEv / 2), 4);
    expect(v.reference).toBe(dipoleStepEv === 0 ? 'middle' : 'top');
    // Gap = 24 A minus the 3.17 A thick layer.
    expect(v.gapWidthAngstrom).toBeCloseTo(24 - 3.17, 6);
  });
});
