/**
 * Request-body schemas for trained models (zod): the model spec, the metadata sent with a model zip, and a model's
 * predictions. Used by the model routes and ./models.ts.
 */
import { z } from 'zod';
import { FEATURE_GROUPS, isFeatureGroup } from '@/lib/ml/site-features';
import { MAX_NAME_LENGTH } from './limits';

/** Model types the app knows (lib/ml ModelSpec['type']). */
export const MODEL_TYPES = [
  'mean',
  'mep-linear',
  'pixel-ridge',
  'descriptor-gp',
  'frozen-ridge',
  'frozen-mlp',
  'finetune',
  'cnn',
  'site-relative',
] as const;

export const modelSpecSchema = z
  .object({ type: z.enum(MODEL_TYPES), backbone: z.string().min(1).max(100).optional() })
  .passthrough()
  .refine((s) => !['frozen-ridge', 'frozen-mlp', 'finetune'].includes(s.type) || !!s.backbone, {
    message: 'this model type needs a backbone',
    path: ['backbone'],
  })
  .refine(
    (s) =>
      s.type !== 'site-relative' ||
      (Array.isArray(s.groups) && s.groups.every((g) => typeof g === 'string' && isFeatureGroup(g))),
    { message: `a site-relative model needs groups from ${FEATURE_GROUPS.join(', ')}`, path: ['groups'] },
  );

/** Metadata sent with a model zip by the browser. */
export const modelMetaSchema = z.object({
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
  spec: modelSpecSchema,
  metrics: z.record(z.string(), z.unknown()).default({}),
  trainingSiteIds: z.array(z.string().min(1)).default([]),
  backend: z.string().max(40).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

export const predictionsSchema = z
  .array(
    z.object({
      siteId: z.string().min(1),
      valueEv: z.number().finite(),
      sigmaEv: z.number().finite().nonnegative().nullable().optional(),
    }),
  )
  .max(200_000);
export type PredictionInput = z.infer<typeof predictionsSchema>[number];
