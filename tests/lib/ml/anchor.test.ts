/**
 * Endpoint anchoring (lib/ml/anchor.ts, anchored-model.ts) on a hand-made two-surface set whose predictions are
 * worked out by hand in the comments.
 */
import { describe, expect, test } from 'vitest';
import {
  anchorOf,
  buildAnchorTable,
  encodeEpdiBatch,
  fitModel,
  parseEpdiBatch,
  uncomputedSaddles,
  restoreModel,
  samplesFromBatch,
  type LabelledSample,
  type MlContext,
  type Sample,
} from '../../../lib/ml';

function site(id: string, surfaceId: string, group: number, e: number | undefined, ends?: [number, number]): Sample {
  return {
    id,
    surfaceId,
    kind: ends ? 'bridge' : 'T_M',
    isSaddle: !!ends,
    epdi: new Float32Array([0, 1, 2, group]),
    pixels: 2,
    mepEv: 0.1 * group,
    eBindingEv: e,
    siteGroup: `${surfaceId}#${group}`,
    hopEnds: ends && [`${surfaceId}#${ends[0]}`, `${surfaceId}#${ends[1]}`],
  };
}

// Surface A: minima -1.0 (group 0), -0.8 (group 1); saddles with Delta = 0.2, 0.15, 0.2.
// Surface B: minima 0.1 (group 0), 0.3 (group 1); one saddle with Delta = 0.15. Mean Delta = 0.175.
const train = [
  site('A/m0', 'A', 0, -1.0),
  site('A/m1', 'A', 1, -0.8),
  site('A/s01', 'A', 2, -0.7, [0, 1]),
  site('A/s00', 'A', 3, -0.85, [0, 0]),
  site('A/s11', 'A', 4, -0.6, [1, 1]),
  site('B/m0', 'B', 0, 0.1),
  site('B/m1', 'B', 1, 0.3),
  site('B/s01', 'B', 2, 0.35, [0, 1]),
] as LabelledSample[];

const test_ = [
  site('B/t01', 'B', 3, 9.9, [0, 1]), // (0.1 + 0.3) / 2 + 0.175 = 0.375
  site('C/t01', 'C', 0, 9.9, [0, 1]), // no minima of C: mean of all minima (-0.35) + 0.175 = -0.175
  site('A/m1-twin', 'A', 1, 9.9), // same group as A/m1: -0.8
  site('B/m5', 'B', 5, 9.9), // group not in training: B's mean minimum 0.2
];

const ctx: MlContext = { imageSettings: { rangeEv: [-2, 2] }, seed: 3 };

describe('endpoint anchoring', () => {
  test('anchors come from the end minima, the group, the surface or all minima, in that order', () => {
    const table = buildAnchorTable(train);
    expect(table.overall).toBeCloseTo(-0.35, 12);
    expect(anchorOf(test_[0], table)).toEqual({ anchorEv: expect.closeTo(0.2, 12), source: 'endpoints' });
    expect(anchorOf(test_[1], table)).toEqual({ anchorEv: expect.closeTo(-0.35, 12), source: 'overall' });
    expect(anchorOf(test_[2], table)).toEqual({ anchorEv: expect.closeTo(-0.8, 12), source: 'group' });
    expect(anchorOf(test_[3], table)).toEqual({ anchorEv: expect.closeTo(0.2, 12), source: 'surface' });
  });

  test('mean/anchored predicts anchor + mean Delta and never reads a test label', async () => {
    const model = await fitModel({ type: 'mean', anchor: 'endpoints' }, train, ctx);
    const preds = await model.predict(test_);
    expect(preds.map((p) => p.meanEv)).toEqual([0.375, -0.175, -0.8, 0.2].map((v) => expect.closeTo(v, 12)));
    const relabelled = test_.map((s) => ({ ...s, eBindingEv: -5 }));
    expect((await model.predict(relabelled)).map((p) => p.meanEv)).toEqual(preds.map((p) => p.meanEv));
    expect(model.name).toBe('mean/anchored');
  });

  test('with fewer than 3 anchored training saddles the excess is their mean', async () => {
    const small = train.filter((s) => s.id !== 'A/s00' && s.id !== 'A/s11');
    const model = await fitModel({ type: 'pixel-ridge', anchor: 'endpoints' }, small, ctx);
    // Delta: A/s01 0.2, B/s01 0.15 -> 0.175 again.
    expect((await model.predict([test_[0]]))[0].meanEv).toBeCloseTo(0.375, 12);
  });

  test('the inner model sees MEPs relative to the end minima, in training and in prediction', async () => {
    // Delta = 0.5 * (MEP - ends' MEP) + 0.1 exactly; absolute MEPs carry a surface offset (A +5 eV, B -3 eV) that an
    // absolute-MEP line could not fit. Test saddle on B: anchor 0.2 + 0.5 * 0.6 + 0.1 = 0.6 eV.
    const saddle = (id: string, surface: 'A' | 'B', group: number, relative: number, e?: number): Sample => {
      const offset = surface === 'A' ? 5 : -3;
      const anchor = surface === 'A' ? -0.9 : 0.2;
      return {
        ...site(id, surface, group, e ?? anchor + 0.5 * relative + 0.1, [0, 1]),
        mepEv: offset + relative,
        hopEndsMepEv: offset,
      };
    };
    const minima = train.filter((s) => !s.isSaddle);
    const data = [
      ...minima,
      saddle('A/r1', 'A', 10, 0.2),
      saddle('A/r2', 'A', 11, 0.4),
      saddle('B/r1', 'B', 12, -0.2),
    ] as LabelledSample[];
    const model = await fitModel({ type: 'mep-linear', anchor: 'endpoints' }, data, ctx);
    const [p] = await model.predict([saddle('B/new', 'B', 13, 0.6, 99)]);
    expect(p.meanEv).toBeCloseTo(0.6, 10);
  });

  test('minima without a labelled group: surface mean plus the inner model on MEP relative to the surface', async () => {
    // E = surface mean + 0.5 * (MEP - surface mean minimum MEP); absolute MEPs carry offsets A +5, B -3 eV.
    const minimum = (id: string, surface: 'A' | 'B', group: number, relative: number, e?: number): Sample => ({
      ...site(id, surface, group, e ?? (surface === 'A' ? -0.9 : 0.2) + 0.5 * relative),
      mepEv: (surface === 'A' ? 5 : -3) + relative,
    });
    const data = [
      minimum('A/0', 'A', 0, -0.2),
      minimum('A/1', 'A', 1, 0),
      minimum('A/2', 'A', 2, 0.2),
      minimum('B/0', 'B', 0, -0.2),
      minimum('B/1', 'B', 1, 0.2),
    ] as LabelledSample[];
    const model = await fitModel({ type: 'mep-linear', anchor: 'endpoints' }, data, ctx);
    const [fresh, twin] = await model.predict([minimum('B/7', 'B', 7, 0.4, 99), minimum('A/1-twin', 'A', 1, 0.3, 99)]);
    expect(fresh.meanEv).toBeCloseTo(0.2 + 0.5 * 0.4, 10);
    expect(twin.meanEv).toBeCloseTo(-0.9, 10); // its group is labelled: the label, whatever the MEP
    const restored = await restoreModel(JSON.parse(JSON.stringify(await model.state())), {});
    expect((await restored.predict([minimum('B/7', 'B', 7, 0.4, 99)]))[0].meanEv).toBeCloseTo(0.4, 10);
  });

  test('save -> restore gives identical predictions', async () => {
    const model = await fitModel({ type: 'mep-linear', anchor: 'endpoints' }, train, ctx);
    const restored = await restoreModel(JSON.parse(JSON.stringify(await model.state())), {});
    expect(await restored.predict(test_)).toEqual(await model.predict(test_));
  });

  test('the EPDI batch carries symmetry groups and hop ends to the samples', () => {
    const header = {
      pixels: 1,
      count: 2,
      rangeEv: null,
      sites: [
        {
          id: 'a',
          surfaceId: 'S',
          surface: 's',
          host: null,
          dopant: null,
          name: 'T_M-0',
          kind: 'T_M',
          symmetryGroup: 4,
          dopantDistanceA: null,
          mepV: 1,
          eBindingEv: -1,
        },
        {
          id: 'b',
          surfaceId: 'S',
          surface: 's',
          host: null,
          dopant: null,
          name: 'bridge-0',
          kind: 'bridge',
          symmetryGroup: 7,
          hopEndGroups: [4, 5] as [number, number],
          dopantDistanceA: null,
          mepV: 1,
          eBindingEv: null,
        },
      ],
    };
    const [a, b] = samplesFromBatch(parseEpdiBatch(encodeEpdiBatch(header, (d) => d.fill(0))));
    expect(a.siteGroup).toBe('S#4');
    expect(a.hopEnds).toBeUndefined();
    expect(b.hopEnds).toEqual(['S#4', 'S#5']);
  });
});

describe('anchors of a surface without labelled minima', () => {
  // Mean minima on the line E = 1.2 * level + 5.3: levels -4.3, -5.9, -5.0 eV give 0.14, -1.78, -0.70 eV.
  const withLevel = (s: Sample, level: number): Sample => ({ ...s, descriptors: { acceptor_level_eV: level } });
  const surfaces = [
    withLevel(site('P/m0', 'P', 0, 0.14), -4.3),
    withLevel(site('Q/m0', 'Q', 0, -1.78), -5.9),
    withLevel(site('R/m0', 'R', 0, -0.7), -5.0),
  ] as LabelledSample[];

  test('come from the line of surface mean minima against the acceptor level', () => {
    const table = buildAnchorTable(surfaces);
    expect(table.levelLine?.slope).toBeCloseTo(1.2, 10);
    expect(table.levelLine?.residualStd).toBeCloseTo(0, 10);
    expect(anchorOf(withLevel(site('N/m0', 'N', 0, undefined), -5.5), table)).toEqual({
      anchorEv: expect.closeTo(-1.3, 10),
      source: 'acceptor-level',
    });
    expect(anchorOf(site('N/m0', 'N', 0, undefined), table).source).toBe('overall');
  });

  test('need three surfaces with a level', () => {
    expect(buildAnchorTable(surfaces.slice(0, 2)).levelLine).toBeUndefined();
  });
});

describe('saddles to compute next', () => {
  test('one per symmetry group, none whose group already has a label', () => {
    const pool = [
      ...train,
      site('A/s01-twin', 'A', 2, undefined, [0, 1]), // group A#2 is labelled (A/s01)
      site('A/new', 'A', 7, undefined, [0, 1]),
      site('A/new-twin', 'A', 7, undefined, [0, 1]),
      site('B/new', 'B', 8, undefined, [0, 1]),
    ];
    expect(uncomputedSaddles(pool).map((s) => s.id)).toEqual(['A/new', 'B/new']);
  });
});
