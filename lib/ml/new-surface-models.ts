/**
 * The models of a new-surface table by default (the same list as `epdi evaluate`'s NEW_SURFACE_MODELS): closed-form
 * models, their anchored variants and the site-relative ablation (feature groups added one at a time). The
 * constants (constant barrier, constant excess) are always added by ./new-surface.ts.
 */
import type { ModelSpec } from './models';
import type { FeatureGroup } from './site-features';

const ABLATION: FeatureGroup[][] = [
  ['kind'],
  ['kind', 'host'],
  ['kind', 'host', 'potential'],
  ['kind', 'host', 'geometry'],
  ['kind', 'host', 'potential', 'geometry'],
  ['kind', 'host', 'potential', 'geometry', 'epdi'],
];

export const NEW_SURFACE_DEFAULT_MODELS: readonly ModelSpec[] = [
  { type: 'mean' },
  { type: 'mep-linear' },
  { type: 'descriptor-gp' },
  { type: 'mep-linear', anchor: 'endpoints' },
  { type: 'descriptor-gp', anchor: 'endpoints' },
  ...ABLATION.map((groups): ModelSpec => ({ type: 'site-relative', groups })),
];
