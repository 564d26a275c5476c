import { describe, expect, test } from 'vitest';
import { decode } from 'fast-png';
import { createSampler } from '../../../lib/grid';
import {
  colormapLut,
  createEpdiRenderer,
  datasetValueRange,
  DEFAULT_EXTRACTION_SETTINGS,
  extractSurface,
  meanElectrostaticPotential,
  potentialsToRgb,
  resolveSettings,
  rgbToPng,
  settingsHash,
} from '../../../lib/epdi';
import {
  buildMX2Slab,
  evaluatePotential,
  exactSphereAverage,
  exactVacuumLevel,
  gaussianSphereAverage,
  sampleModelOnGrid,
  syntheticBindingEnergy,
  syntheticPotentialModel,
  type GaussianPotentialModel,
} from '../../fixtures/synthetic';

describe('MEP', () => {
  test('MEP of a single Gaussian equals its closed-form ball average', () => {
    const model: GaussianPotentialModel = {
      lattice: [
        [7, 0, 0],
        [-3.5, 6.0622, 0],
        [0.8, -0.5, 9],
      ],
      centres: [[0.2, 0.3, 0.4]], // near a corner: the ball straddles the cell boundary
      amplitudesEv: [-6],
      sigmasA: [0.8],
      offsetEv: 1.25,
      dipoleStepEv: 0,
      slabCentreFrac: 0.5,
      vacuumMiddleFrac: 0,
    };
    const grid = sampleModelOnGrid(model, [60, 60, 80]);
    const sampler = createSampler(grid, 'tricubic');
    for (const d of [0, 0.5, 1.5, 2.5]) {
      const li: [number, number, number] = [0.2, 0.3, 0.4 + d];
      const exact = 1.25 + gaussianSphereAverage(-6, 0.8, d, 1.0, 'ball');
      expect(Math.abs(meanElectrostaticPotential(sampler, li, 1.0) - exact)).toBeLessThan(1e-3);
    }
  });
});

describe('surface extraction on the synthetic slab', () => {
  const slab = buildMX2Slab({ phase: '2H', dopant: { species: 'V' }, metalFracC: 0.45 });
  const model = syntheticPotentialModel(slab, { offsetEv: 2.7, dipoleStepEv: 0.3 });
  // 48 x 48 in-plane points: the 3x3 cell's primitive translations (1/3) map grid points onto grid points.
  const grid = sampleModelOnGrid(model, [48, 48, 120]);
  const result = extractSurface(slab, grid, { pixels: 32 });

  test('records settings and their hash; aligns to the vacuum above the surface', () => {
    expect(result.settings).toMatchObject({ ...DEFAULT_EXTRACTION_SETTINGS, pixels: 32 });
    expect(result.settingsHash).toBe(settingsHash(result.settings));
    expect(result.vacuum.shiftEv).toBeCloseTo(-exactVacuumLevel(model), 3);
    expect(result.vacuum.dipoleStepEv).toBeCloseTo(0.3, 3);
    expect(result.epdis.length).toBe(45);
    expect(result.epdis[0].length).toBe(32 * 32);
  });

  test('MEPs equal the closed-form ball averages (aligned), and so does the analytic E_b through a linear map', () => {
    result.sites.forEach((site, i) => {
      const exact = exactSphereAverage(model, site.position, 1.0) - exactVacuumLevel(model);
      // Grid spacing ~0.2 A: tricubic error + quadrature measured at 2e-4 eV; 1 meV allowed.
      expect(Math.abs(result.meps[i] - exact)).toBeLessThan(1e-3);
      expect(Math.abs(-3.0 - 4 * result.meps[i] - syntheticBindingEnergy(model, site.position))).toBeLessThan(4e-3);
    });
  });

  test('EPDI pixels sample the documented points (row 0 at +y, column 0 at -x, hop along +x for bridges)', () => {
    const site = result.sites.find((s) => s.kind === 'bridge')!;
    const i = result.sites.indexOf(site);
    const img = result.epdis[i];
    const N = 32;
    const W = 6.4;
    const t = site.hopAngleRad!;
    for (const [r, c] of [
      [0, 0],
      [0, 31],
      [31, 0],
      [10, 20],
    ]) {
      const ox = ((c + 0.5) / N - 0.5) * W;
      const oy = (0.5 - (r + 0.5) / N) * W;
      const p: [number, number, number] = [
        site.position[0] + ox * Math.cos(t) - oy * Math.sin(t),
        site.position[1] + ox * Math.sin(t) + oy * Math.cos(t),
        site.position[2],
      ];
      expect(img[c + N * r]).toBeCloseTo(evaluatePotential(model, p) - exactVacuumLevel(model), 2);
    }
  });
});

describe('a slab wrapped across the cell boundary along c', () => {
  test('gives the same MEPs and EPDIs as the same slab in the middle of the cell', () => {
    const centred = buildMX2Slab({ phase: '1T', dopant: { species: 'V' }, metalFracC: 0.5 });
    const wrapped = buildMX2Slab({ phase: '1T', dopant: { species: 'V' }, metalFracC: 0.96 });
    const run = (slab: typeof centred) => extractSurface(slab, sampleModelOnGrid(syntheticPotentialModel(slab, { offsetEv: 0.7 }), [36, 36, 100]), { pixels: 16 });
    const a = run(centred);
    const b = run(wrapped);
    expect(b.sites.map((s) => s.id)).toEqual(a.sites.map((s) => s.id));
    a.sites.forEach((_, i) => {
      // The grid moves by 0.46 c = 46 planes exactly, so the two fields are sampled identically up to rounding.
      expect(b.meps[i]).toBeCloseTo(a.meps[i], 4);
      for (let p = 0; p < 16 * 16; p += 37) expect(b.epdis[i][p]).toBeCloseTo(a.epdis[i][p], 4);
    });
  });
});

describe('EPDI symmetry on a pristine slab', () => {
  const slab = buildMX2Slab({ phase: '2H' });
  const model = syntheticPotentialModel(slab, { offsetEv: -1 });
  const grid = sampleModelOnGrid(model, [72, 72, 120]);
  const result = extractSurface(slab, grid, { pixels: 48 });
  const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);
  const span = (a: Float32Array): number => Math.max(...a) - Math.min(...a);

  test('two sites related by a lattice translation have identical EPDIs', () => {
    // All T_M sites of the pristine 3x3 cell are related by primitive translations (a grid translation of 24 points).
    const tm = result.sites.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'T_M');
    for (const [, i] of tm.slice(1)) expect(maxDiff(result.epdis[tm[0][1]], result.epdis[i])).toBeLessThan(1e-5);
  });

  test('two bridges related by a 3-fold rotation have equal EPDIs once each is rotated to its hop direction', () => {
    const bridges = result.sites.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'bridge');
    const deg = (s: (typeof bridges)[number][0]): number => Math.round(((s.hopAngleRad! * 180) / Math.PI + 360) % 360);
    const b30 = bridges.find(([s]) => deg(s) === 30)!;
    const b150 = bridges.find(([s]) => deg(s) === 150)!;
    const d = maxDiff(result.epdis[b30[1]], result.epdis[b150[1]]);
    // Only interpolation breaks the symmetry (the grid is not invariant under the rotation): < 0.3% of the contrast.
    expect(d).toBeLessThan(0.003 * span(result.epdis[b30[1]]));
    expect(span(result.epdis[b30[1]])).toBeGreaterThan(0.05);
  });

  test('a hollow image equals itself rotated by 120 degrees (C3 about the site)', () => {
    const i = result.sites.findIndex((s) => s.kind === 'H');
    const site = result.sites[i];
    const renderer = createEpdiRenderer(grid, [1, 0, 0], [0, 1, 0]);
    const rotated = renderer.render(site.position, (2 * Math.PI) / 3, 6.4, 48);
    for (let p = 0; p < rotated.length; p++) rotated[p] += result.appliedShiftEv;
    expect(maxDiff(rotated, result.epdis[i])).toBeLessThan(0.003 * span(result.epdis[i]));
  });
});

describe('settings, range and channels', () => {
  test('settings: defaults, validation, a stable hash independent of key order', () => {
    expect(resolveSettings()).toEqual({ heightA: 1.5, mepRadiusA: 1.0, windowA: 6.4, pixels: 64, colormap: 'grey' });
    expect(() => resolveSettings({ pixels: 500 })).toThrow();
    const a = settingsHash(resolveSettings({ pixels: 224, colormap: 'viridis' }));
    const b = settingsHash(resolveSettings({ colormap: 'viridis', pixels: 224 }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{14}$/);
    expect(settingsHash(resolveSettings({ pixels: 224, colormap: 'viridis', heightA: 1.6 }))).not.toBe(a);
  });

  test('EPDI range: min and max over all images together, padded by 2% of the span', () => {
    // Values 0..99 split over two images: span 99, pad 1.98 -> [-1.98, 100.98] (by hand).
    const imgs = [Float32Array.from({ length: 50 }, (_, i) => i), Float32Array.from({ length: 50 }, (_, i) => 50 + i)];
    const r = datasetValueRange(imgs);
    expect(r.minEv).toBeCloseTo(-1.98, 9);
    expect(r.maxEv).toBeCloseTo(100.98, 9);
    expect(r.samples).toBe(100);
  });

  test('EPDI range: NaN ignored, a constant image gets a unit-wide range, no pixels throws', () => {
    expect(datasetValueRange([Float32Array.from([2, NaN, 2])])).toEqual({ minEv: 1.5, maxEv: 2.5, samples: 2 });
    expect(() => datasetValueRange([new Float32Array(0)])).toThrow(RangeError);
  });

  test('grey replicates the clamped value; viridis ends at #440154 and #fde725', () => {
    const rgb = potentialsToRgb(Float32Array.from([-2, 0, 1, 5]), [-1, 3], 'grey');
    expect(Array.from(rgb)).toEqual([0, 0, 0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 1, 1, 1]);
    const lut = colormapLut('viridis');
    expect(Array.from(lut.slice(0, 3)).map((x) => Math.round(x * 255))).toEqual([0x44, 0x01, 0x54]);
    expect(Array.from(lut.slice(-3)).map((x) => Math.round(x * 255))).toEqual([0xfd, 0xe7, 0x25]);
  });

  test('PNG round-trips through fast-png with the right size and pixels', () => {
    const rgb = potentialsToRgb(Float32Array.from([0, 1, 2, 3, 4, 5]), [0, 5], 'grey');
    const png = rgbToPng(rgb, 3, 2);
    const back = decode(png);
    expect([back.width, back.height, back.channels]).toEqual([3, 2, 3]);
    expect(Array.from(back.data.slice(0, 6))).toEqual([0, 0, 0, 51, 51, 51]);
  });
});
