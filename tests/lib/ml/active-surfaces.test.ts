import { describe, expect, it } from 'vitest';
import {
  chooseNext,
  fitModel,
  fitStep,
  initialActiveState,
  isLabelled,
  reveal,
  scoreCandidates,
  simulateActiveSurfaces,
  type MlContext,
  type ModelSpec,
  type Sample,
} from '@/lib/ml';
import { syntheticSurfaces, type SyntheticRule } from './new-surface-fixture';

const ctx: MlContext = { seed: 11, imageSettings: { rangeEv: [0, 1] } };
const CONSTANT_EXCESS: ModelSpec = { type: 'site-relative', groups: [] };
const KIND: ModelSpec = { type: 'site-relative', groups: ['kind'] };
const rule: SyntheticRule = { offsetEv: (k) => -1 + 0.2 * k, kindStepEv: 0.08, excessEv: (rel) => 0.15 + 0.3 * rel, noiseEv: 0.01 };
const { samples, surfaces } = syntheticSurfaces(4, rule);
const TARGET = 'S3';

describe('cross-surface active learning: hidden labels', () => {
  it('the initial state carries no label of the new surface anywhere a strategy can look', () => {
    const { state, hidden } = initialActiveState(samples, surfaces, [TARGET]);
    const labelled = samples.filter((s) => s.surfaceId === TARGET && isLabelled(s));
    expect(hidden.size).toBe(labelled.length); // one label per symmetry group in the fixture
    expect(state.train.some((s) => s.surfaceId === TARGET)).toBe(false);
    expect(state.targetSamples.every((s) => s.eBindingEv === undefined)).toBe(true);
    expect(state.candidates.every((s) => s.eBindingEv === undefined)).toBe(true);
    expect(state.targets[0].pipeline.sites.every((s) => s.label === null)).toBe(true);
    expect(state.candidates.map((s) => s.id).sort()).toEqual(labelled.map((s) => s.id).sort());
    // Training: every label of the other surfaces.
    expect(state.train.length).toBe(samples.filter((s) => s.surfaceId !== TARGET && isLabelled(s)).length);
  });

  it('never trains on a label of the new surface before it is chosen; paired strategies start from one state', async () => {
    const report = await simulateActiveSurfaces(KIND, samples, surfaces, { kind: 'test', surfaces: [TARGET] }, ctx, { steps: 3, repeats: 1 });
    const run = report.runs[0];
    for (const strategy of report.strategies) {
      const steps = run.strategies[strategy];
      for (const p of steps) {
        const chosenBefore = steps.filter((q) => q.step <= p.step && q.chosen !== null).map((q) => q.chosen);
        expect([...p.newSurfaceTrainIds].sort()).toEqual([...chosenBefore].sort());
      }
      expect(steps.filter((p) => p.chosen !== null)).toHaveLength(3);
    }
    // Step 0 is the same state for every strategy: same training ids, same scores.
    const zero = report.strategies.map((s) => run.strategies[s][0]);
    for (const z of zero) {
      expect(z.newSurfaceTrainIds).toEqual([]);
      expect(z.barrierMaeEv).toBe(zero[0].barrierMaeEv);
      expect(z.minimaMaeEv).toBe(zero[0].minimaMaeEv);
    }
    // Building the initial state twice gives the same state (what every strategy of a run starts from).
    expect(initialActiveState(samples, surfaces, [TARGET]).state).toEqual(initialActiveState(samples, surfaces, [TARGET]).state);
  }, 60_000);

  it('random is reproducible by seed and differs between seeds', async () => {
    const chosen = async (seed: number): Promise<(string | null)[]> =>
      (await simulateActiveSurfaces(KIND, samples, surfaces, { kind: 'test', surfaces: [TARGET] }, { ...ctx, seed }, { steps: 4, repeats: 1, strategies: ['random'] })).runs[0].strategies.random.map((p) => p.chosen);
    const a = await chosen(5);
    expect(await chosen(5)).toEqual(a);
    expect(await chosen(6)).not.toEqual(a);
  }, 60_000);
});

/** The same samples with the new surface's labels replaced by absurd values (far from any prediction). */
function absurd(list: readonly Sample[]): Sample[] {
  return list.map((s, i) => (s.surfaceId === TARGET && isLabelled(s) ? { ...s, eBindingEv: i % 2 ? 100 : -100 } : s));
}

describe('cross-surface active learning: strategies do not read hidden values', () => {
  it('lowest-minimum picks the lowest PREDICTED minimum, whatever the hidden labels say', async () => {
    const pick = async (list: readonly Sample[]): Promise<string | null> => {
      const { state } = initialActiveState(list, surfaces, [TARGET]);
      const fit = await fitStep(KIND, state.train, state.targetSamples, ctx);
      return chooseNext('lowest-minimum', KIND, state, fit, ctx, () => 0.5, { nextSurface: 0 });
    };
    const real = await pick(samples);
    expect(await pick(absurd(samples))).toBe(real);
    // Independently: fit the model on the other surfaces and take the lowest predicted labelled-group minimum.
    const train = samples.filter((s) => s.surfaceId !== TARGET && isLabelled(s));
    const model = await fitModel(KIND, train as never, ctx);
    const minima = samples.filter((s) => s.surfaceId === TARGET && isLabelled(s) && !s.isSaddle);
    const preds = await model.predict(minima);
    model.dispose();
    const lowest = preds.reduce((a, b) => (b.meanEv < a.meanEv ? b : a));
    expect(real).toBe(lowest.id);
  }, 60_000);

  it('active chooses the same first calculation when the hidden labels are absurd', async () => {
    const pick = async (list: readonly Sample[]): Promise<string | null> => {
      const { state } = initialActiveState(list, surfaces, [TARGET]);
      const fit = await fitStep(KIND, state.train, state.targetSamples, ctx);
      return chooseNext('active', KIND, state, fit, ctx, () => 0.5, { nextSurface: 0 });
    };
    expect(await pick(absurd(samples))).toBe(await pick(samples));
  }, 60_000);
});

describe('cross-surface active learning: the acquisition', () => {
  it('picks the site that sets the most barriers and has the largest uncertainty, each barrier removing sigma^2', async () => {
    // Minima of two kinds 0.1 eV apart; the constant-excess model puts all minima of a surface at one level, so an
    // unlabelled minimum has sigma ~ 50 meV, while the saddle excess barely varies (sigma ~ 10 meV).
    const wide: SyntheticRule = { offsetEv: (k) => -1 + 0.2 * k, kindStepEv: 0.1, excessEv: (rel) => 0.2 + 0.02 * rel, noiseEv: 0.005 };
    const data = syntheticSurfaces(4, wide, 5);
    const group = new Map(data.samples.map((s) => [s.id, s.siteGroup!]));
    const target = data.surfaces.find((s) => s.id === TARGET)!;
    // Hand count from the app's hops: symmetry-distinct directed barriers (from group > saddle group > to group).
    const keys = new Set<string>();
    for (const h of target.pipeline.hops) {
      const [a, sd, b] = [h.from, h.saddle, h.to].map((id) => group.get(`${TARGET}/${id}`)!);
      keys.add(`${a}>${sd}>${b}`);
      keys.add(`${b}>${sd}>${a}`);
    }
    const startingAt = (g: string): number => [...keys].filter((k) => k.split('>')[0] === g).length;
    const { state: start, hidden } = initialActiveState(data.samples, data.surfaces, [TARGET]);
    const minima = start.candidates.filter((c) => !c.isSaddle);
    const m = minima.reduce((a, b) => (startingAt(group.get(b.id)!) > startingAt(group.get(a.id)!) ? b : a));
    const mGroup = group.get(m.id)!;
    // Computed: every other minimum, and every saddle next to M; left: M and the saddles away from M (ends known).
    let state = start;
    for (const c of start.candidates)
      if ((!c.isSaddle && c.id !== m.id) || (c.isSaddle && c.hopEnds!.includes(mGroup))) state = reveal(state, c.id, hidden.get(c.id)!);
    expect(state.candidates.filter((c) => c.isSaddle).length).toBeGreaterThan(0);
    const fit = await fitStep(CONSTANT_EXCESS, state.train, state.targetSamples, ctx);
    const { scores } = await scoreCandidates(CONSTANT_EXCESS, state, fit, ctx);
    const sm = scores.find((x) => x.id === m.id)!;
    for (const sc of scores.filter((x) => x.isSaddle)) expect(sm.sigmaEv!).toBeGreaterThan(sc.sigmaEv!);
    expect(startingAt(mGroup)).toBeGreaterThanOrEqual(2);
    expect(scores[0].id).toBe(m.id);
    // M's label fixes the barriers that start at M (saddle on top: error -e_M each): score ~ n sigma_M^2. A saddle
    // with both ends known fixes its two directed barriers: ~ 2 sigma_S^2. 256 draws: within 30%.
    const n = startingAt(mGroup);
    expect(sm.scoreEv2).toBeGreaterThan(0.7 * n * sm.sigmaEv! ** 2);
    expect(sm.scoreEv2).toBeLessThan(1.3 * n * sm.sigmaEv! ** 2);
    for (const sc of scores.filter((x) => x.isSaddle)) {
      expect(sc.scoreEv2).toBeGreaterThan(0.7 * 2 * sc.sigmaEv! ** 2);
      expect(sc.scoreEv2).toBeLessThan(1.3 * 2 * sc.sigmaEv! ** 2);
    }
  }, 60_000);

  it('on a surface with no label, a saddle first makes barriers worse (offset error no longer cancels); a minimum changes none', async () => {
    const { state } = initialActiveState(samples, surfaces, [TARGET]);
    const fit = await fitStep(CONSTANT_EXCESS, state.train, state.targetSamples, ctx);
    const { scores } = await scoreCandidates(CONSTANT_EXCESS, state, fit, ctx);
    // A minimum's label sets the surface offset: every knot moves with it, no barrier changes.
    for (const s of scores.filter((x) => !x.isSaddle)) expect(Math.abs(s.scoreEv2)).toBeLessThan(1e-9);
    // A saddle's label keeps its ends at the offset's guess: its barriers take the whole offset error.
    for (const s of scores.filter((x) => x.isSaddle)) expect(s.scoreEv2).toBeLessThan(0);
    expect(scores[0].isSaddle).toBe(false);
  }, 60_000);
});
