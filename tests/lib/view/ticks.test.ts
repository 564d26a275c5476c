import { describe, expect, it } from 'vitest';
import { axisScale, formatTick, niceDomain, niceTicks, tickDecimals, tickLabels, tickStep } from '@/lib/view/ticks';

describe('tickStep', () => {
  // d3-array tickIncrement thresholds: raw step 0.14 -> error 1.4 < sqrt(2) -> 0.1; 0.15 -> 2 x 0.1; 0.35 -> 5 x 0.1.
  it.each([
    [0, 1.4, 10, 0.1],
    [0, 1.5, 10, 0.2],
    [0, 3.5, 10, 0.5],
    [0, 8, 10, 1],
    [0.2012, 0.2031, 4, 0.0005],
  ])('[%d, %d] in %d intervals -> %d', (lo, hi, count, step) => {
    expect(tickStep(lo, hi, count)).toBeCloseTo(step, 12);
  });
  it('is NaN for an empty range', () => {
    expect(tickStep(1, 1, 5)).toBeNaN();
  });
});

describe('niceTicks', () => {
  it('gives round ticks inside the range', () => {
    expect(niceTicks([-1.3, 2.7], 5)).toEqual([-1, 0, 1, 2]);
    expect(niceTicks([0.012, 0.047], 4)).toEqual([0.02, 0.03, 0.04]);
    // The unround profile axis (-1.53 .. -1.19): steps of 0.1 (span 0.34 / 4 = 0.085 -> 0.1).
    expect(niceTicks([-1.53, -1.19], 5)).toEqual([-1.5, -1.4, -1.3, -1.2]);
  });
  it('writes 0 (not -0) and no binary noise', () => {
    const t = niceTicks([-0.3, 0.3], 7);
    expect(t).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(Object.is(t[3], -0)).toBe(false);
  });
  it('returns the one value of a degenerate range', () => {
    expect(niceTicks([2, 2])).toEqual([2]);
  });
});

describe('niceDomain', () => {
  it('widens to whole steps', () => {
    expect(niceDomain([-1.53, -1.19], 5)).toEqual([-1.6, -1.1]);
    expect(niceDomain([0.13, 0.97], 5)).toEqual([0, 1]);
  });
  it('pads a flat range', () => {
    const [lo, hi] = niceDomain([0, 0]);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
  });
});

describe('labels', () => {
  it('uses the decimals of the step', () => {
    expect(tickDecimals(0.25)).toBe(2);
    expect(tickDecimals(0.2)).toBe(1);
    expect(tickDecimals(5)).toBe(0);
    expect(tickDecimals(0.0005)).toBe(4);
  });
  it('tells neighbouring colour-bar ticks apart (the issue: 0.201 0.201 0.202 0.202 0.203)', () => {
    const ticks = niceTicks([0.2012, 0.2031], 5);
    const labels = tickLabels(ticks);
    expect(labels).toEqual(['0.2015', '0.2020', '0.2025', '0.2030']);
    expect(new Set(labels).size).toBe(labels.length);
  });
  it('never writes -0', () => {
    expect(formatTick(-1e-17, 0.1)).toBe('0.0');
    expect(formatTick(-0.04, 0.1)).toBe('0.0');
    expect(formatTick(-0.2, 0.1)).toBe('-0.2');
  });
  it('axisScale gives a round domain, its ticks and distinct labels', () => {
    const a = axisScale([-1.45, -1.19, -1.53, null, NaN], 5);
    expect(a.domain).toEqual([-1.6, -1.1]);
    expect(a.ticks.map(a.format)).toEqual(['-1.6', '-1.5', '-1.4', '-1.3', '-1.2', '-1.1']);
  });
});
