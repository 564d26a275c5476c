import { describe, expect, it } from 'vitest';
import { seriesStyle, surfaceDisplayName } from '@/lib/view/palette';

describe('seriesStyle', () => {
  it('gives 20 series 20 different colour-and-shape styles', () => {
    const keys = Array.from({ length: 20 }, (_, i) => seriesStyle(i)).map((s) => `${s.colour}/${s.shape}`);
    expect(new Set(keys).size).toBe(20);
  });
  it('gives the first seven series seven different colours, solid lines', () => {
    const first = Array.from({ length: 7 }, (_, i) => seriesStyle(i));
    expect(new Set(first.map((s) => s.colour)).size).toBe(7);
    expect(first.every((s) => s.dash === undefined)).toBe(true);
  });
});

describe('surfaceDisplayName', () => {
  it.each([
    ['MoS2-V', 'MoS2', 'V', 'MoS2-V'],
    ['MoS2', 'MoS2', null, 'MoS2'],
    ['MoS2', 'MoS2', 'V', 'MoS2 (MoS2:V)'],
    ['upload 1', 'ZrS2', null, 'upload 1 (ZrS2, pristine)'],
    ['ZrS2_Ti', 'ZrS2', 'Ti', 'ZrS2_Ti'],
  ])('%s (%s, %s) -> %s', (name, host, dopant, want) => {
    expect(surfaceDisplayName(name, host, dopant)).toBe(want);
  });
});
