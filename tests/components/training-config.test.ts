/**
 * The panel's settings become lib/ml specs in one place (components/training-config.ts buildSpec): the site-relative
 * model takes its feature groups and never the anchor option, and the server may fit it (the route's zod schema
 * accepts exactly that spec).
 */
import { describe, expect, it } from 'vitest';
import { buildSpec, DEFAULT_SETTINGS, serverFittable } from '@/components/training-config';
import { serverSpecSchema } from '@/lib/server/train-server';

describe('training panel specs', () => {
  it('builds the site-relative spec from the chosen feature groups, without an anchor', () => {
    const spec = buildSpec({ ...DEFAULT_SETTINGS, type: 'site-relative', groups: ['kind', 'host'], anchored: true }, 32);
    expect(spec).toEqual({ type: 'site-relative', groups: ['kind', 'host'] });
    expect(serverFittable(spec)).toBe(true);
    expect(serverSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('still anchors the other closed-form models when asked', () => {
    expect(buildSpec({ ...DEFAULT_SETTINGS, type: 'mep-linear', anchored: true }, 32)).toEqual({ type: 'mep-linear', anchor: 'endpoints' });
  });

  it('the server refuses an unknown feature group', () => {
    expect(serverSpecSchema.safeParse({ type: 'site-relative', groups: ['colour'] }).success).toBe(false);
  });

  it('passes the ensemble size to the networks trained by epochs (sigma from their spread)', () => {
    const spec = buildSpec({ ...DEFAULT_SETTINGS, type: 'cnn', ensemble: 5, anchored: false }, 16);
    expect(spec).toMatchObject({ type: 'cnn', ensemble: 5, size: 16 });
    const mlp = buildSpec({ ...DEFAULT_SETTINGS, type: 'frozen-mlp', backbone: 'darknet-tiny', ensemble: 1, anchored: false }, 32);
    expect(mlp).toMatchObject({ type: 'frozen-mlp', backbone: 'darknet-tiny', ensemble: 1 });
  });
});
