import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration } from '@/lib/view/time';

describe('one date format across the app', () => {
  it.each([
    ['2026-12-01T22:39:19.123Z', '2026-12-01 22:39'],
    ['2026-12-01T23:59:59+02:00', '2026-12-01 21:59'],
    [Date.UTC(2025, 0, 2, 3, 4), '2025-01-02 03:04'],
    ['not a date', '—'],
    [null, '—'],
  ])('%s reads %s (UTC)', (v, expected) => {
    expect(formatDateTime(v as string)).toBe(expected);
  });
});

describe('durations never read "0.0 s" for a real run', () => {
  it.each([
    [4.7, '4.7 s'],
    [0.1, '0.1 s'],
    [0.04, '40 ms'],
    [0.0004, '<1 ms'],
    [0, '0 s'],
    [250, '250 s'],
    [NaN, '—'],
  ])('%s s reads %s', (s, expected) => {
    expect(formatDuration(s)).toBe(expected);
  });
});
