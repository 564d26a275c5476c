import { describe, expect, it } from 'vitest';
import { colourOf, finiteRange, scalePosition, valuesToRgba } from '@/lib/view/colour-scale';
import { niceTicks } from '@/lib/view/ticks';

describe('colour bar mapping', () => {
  it('maps the ends of the range to the ends of viridis (#440154, #fde725) and clamps outside', () => {
    const scale = { range: [-2, 3] as [number, number], colormap: 'viridis' as const };
    const lo = colourOf(-2, scale).map((c) => Math.round(c * 255));
    const hi = colourOf(3, scale).map((c) => Math.round(c * 255));
    expect(lo).toEqual([0x44, 0x01, 0x54]);
    expect(hi).toEqual([0xfd, 0xe7, 0x25]);
    expect(colourOf(-10, scale)).toEqual(colourOf(-2, scale));
    expect(colourOf(10, scale)).toEqual(colourOf(3, scale));
  });

  it('places values linearly on the bar', () => {
    expect(scalePosition(0.5, [0, 2])).toBe(0.25);
    expect(scalePosition(Number.NaN, [0, 2])).toBe(0);
    expect(scalePosition(1, [1, 1])).toBe(0.5);
  });

  it('greys map value to the same level in every channel', () => {
    const rgba = valuesToRgba(new Float32Array([0, 0.5, 1]), { range: [0, 1], colormap: 'grey' });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('finds the finite range and round ticks', () => {
    expect(finiteRange([3, null, -1, Number.NaN, 2])).toEqual([-1, 3]);
    expect(finiteRange([null])).toBeNull();
    expect(niceTicks([-1.3, 2.7], 5)).toEqual([-1, 0, 1, 2]);
    expect(niceTicks([0.012, 0.047], 4)).toEqual([0.02, 0.03, 0.04]);
  });
});
