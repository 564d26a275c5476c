import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatFixed,
  formatMeV,
  formatMeVWithSigma,
  formatSigned,
  formatSignificant,
  formatWithSigma,
  siteDisplayName,
} from '@/lib/view/format';

describe('formatFixed', () => {
  it.each([
    [-0.0004, 3, '0.000'],
    [-0, 3, '0.000'],
    [-0.0005001, 3, '-0.001'],
    [1.8654017, 4, '1.8654'],
    [-1.865401761555416, 4, '-1.8654'],
    [0.1234, 0, '0'],
    [-0.4, 0, '0'],
  ])('%d with %d decimals -> %s', (v, d, want) => {
    expect(formatFixed(v, d)).toBe(want);
  });
  it('gives a dash for missing values', () => {
    expect(formatFixed(null)).toBe(MISSING);
    expect(formatFixed(undefined)).toBe(MISSING);
    expect(formatFixed(NaN)).toBe(MISSING);
    expect(formatFixed(Infinity)).toBe(MISSING);
  });
});

describe('formatSigned', () => {
  it('signs non-zero values only', () => {
    expect(formatSigned(0.12)).toBe('+0.120');
    expect(formatSigned(-0.12)).toBe('-0.120');
    expect(formatSigned(-0.0001)).toBe('0.000');
    expect(formatSigned(0)).toBe('0.000');
  });
});

describe('meV', () => {
  it('converts eV to whole meV', () => {
    expect(formatMeV(0.1094)).toBe('109');
    expect(formatMeV(-0.0004)).toBe('0');
    expect(formatMeV(0.02035, 1)).toBe('20.4');
    expect(formatMeV(null)).toBe(MISSING);
  });
  it('writes value and sigma in meV', () => {
    expect(formatMeVWithSigma(0.3124, 0.1094)).toBe('312 ± 109 meV');
    expect(formatMeVWithSigma(0.3124, null)).toBe('312 meV');
    expect(formatWithSigma(-1.2345, 0.0123, 2, 'eV')).toBe('-1.23 ± 0.01 eV');
  });
});

describe('formatSignificant', () => {
  it('keeps 3 significant digits', () => {
    expect(formatSignificant(0.98765)).toBe('0.988');
    expect(formatSignificant(-12.345)).toBe('-12.3');
    expect(formatSignificant(0.0012345)).toBe('0.00123');
    expect(formatSignificant(0)).toBe('0');
  });
});

describe('siteDisplayName', () => {
  it('shows the user label with the app id, or the app id alone', () => {
    expect(siteDisplayName('bridge-3', 'bridge-08')).toBe('bridge-08 (app bridge-3)');
    expect(siteDisplayName('bridge-3', null)).toBe('bridge-3');
    expect(siteDisplayName('bridge-3', 'bridge-3')).toBe('bridge-3');
  });
});
