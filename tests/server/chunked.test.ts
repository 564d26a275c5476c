import { describe, expect, it } from 'vitest';
import { chunks, ID_CHUNK, mapChunks, MAX_BIND_VALUES, rowsPerInsert } from '@/lib/server/chunked';

describe('chunked id lists', () => {
  it('keeps an IN list of ID_CHUNK ids, plus a few other parameters, under the 999 limit', () => {
    expect(ID_CHUNK).toBe(500);
    expect(MAX_BIND_VALUES).toBe(999);
  });

  it.each([
    [0, 500, []],
    [1, 500, [1]],
    [500, 500, [500]],
    [501, 500, [500, 1]],
    [1201, 500, [500, 500, 201]],
    [7, 3, [3, 3, 1]],
  ])('splits %i items into chunks of at most %i', (n, size, lengths) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const out = chunks(items, size);
    expect(out.map((c) => c.length)).toEqual(lengths);
    expect(out.flat()).toEqual(items);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    expect(() => chunks([1], 0)).toThrow(RangeError);
    expect(() => chunks([1], 2.5)).toThrow(RangeError);
  });

  it('sizes createMany batches by columns: floor(998 / columns) rows', () => {
    // 6 columns: 166 rows = 996 parameters; 167 rows would be 1002.
    expect(rowsPerInsert(6)).toBe(166);
    expect(rowsPerInsert(1)).toBe(998);
    expect(rowsPerInsert(2000)).toBe(1);
    expect(() => rowsPerInsert(0)).toThrow(RangeError);
  });

  it('runs the chunks one after the other, in order', async () => {
    const seen: number[][] = [];
    let running = 0;
    const out = await mapChunks(
      [1, 2, 3, 4, 5],
      async (c) => {
        running++;
        expect(running).toBe(1);
        await new Promise((r) => setTimeout(r, 1));
        seen.push(c);
        running--;
        return c.reduce((a, b) => a + b, 0);
      },
      2,
    );
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(out).toEqual([3, 7, 5]);
  });
});
