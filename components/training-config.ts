/**
 * What the training panel offers: model types with the controls each one has, protocols (the classic splits run
 * in the browser; the new-surface protocols run on the server, lib/server/new-surface-server.ts), backend chains,
 * and `buildSpec`, the one place the panel's settings become a lib/ml ModelSpec.
 */
import type { BackendName } from '@/lib/ml/backend';
import type { Protocol } from '@/lib/ml/evaluate';
import type { ModelSpec, ModelType } from '@/lib/ml/models';
import type { FeatureGroup } from '@/lib/ml/site-features';

/** A stored model as the list endpoint gives it (lib/server/models ModelView). */
export interface ServerModel {
  id: string;
  name: string;
  backbone: string;
  head: string;
  backend: string | null;
  metrics: Record<string, unknown>;
  trainingSiteCount: number;
  predictions: number;
  bytes: number;
  createdAt: string;
}

export interface BackboneEntry {
  name: string;
  inputSize: number;
  featureDims: number;
  available: boolean;
  missing?: string;
  provenance?: string;
}

export interface Registry {
  directory: string;
  present: boolean;
  backbones: BackboneEntry[];
  problems: string[];
}

/** The model in hand: trained here or loaded; `serverId` once it is stored on the server. */
export interface CurrentModel {
  name: string;
  spec: ModelSpec;
  zip: Uint8Array;
  metrics: Record<string, unknown>;
  trainIds: string[];
  serverId: string | null;
  source: 'trained' | 'server' | 'browser' | 'file';
}

export interface ModelTypeInfo {
  type: ModelType;
  label: string;
  backbone: 'required' | 'optional' | 'none';
  /** Trained by epochs (has epochs, learning rate and a loss curve); the rest are closed-form fits. */
  iterative: boolean;
  /** Takes extra inputs (MEP, site kind) beside its image features. */
  extras: boolean;
  /** Fitted by the server too (no tensors). */
  server: boolean;
}

export const MODEL_TYPES: ModelTypeInfo[] = [
  {
    type: 'site-relative',
    label: 'Site-relative (for surfaces nobody has computed; gives σ)',
    backbone: 'none',
    iterative: false,
    extras: false,
    server: true,
  },
  {
    type: 'descriptor-gp',
    label: 'Descriptor GP (MEPs, gradients, moments; gives σ)',
    backbone: 'optional',
    iterative: false,
    extras: false,
    server: true,
  },
  {
    type: 'frozen-ridge',
    label: 'Frozen backbone + ridge head (bootstrap σ)',
    backbone: 'required',
    iterative: false,
    extras: true,
    server: false,
  },
  {
    type: 'frozen-mlp',
    label: 'Frozen backbone + MLP head',
    backbone: 'required',
    iterative: true,
    extras: true,
    server: false,
  },
  {
    type: 'finetune',
    label: 'Fine-tune the last backbone blocks',
    backbone: 'required',
    iterative: true,
    extras: true,
    server: false,
  },
  {
    type: 'cnn',
    label: 'Small CNN from scratch (control)',
    backbone: 'none',
    iterative: true,
    extras: true,
    server: false,
  },
  {
    type: 'pixel-ridge',
    label: 'Ridge on down-sampled pixels (baseline)',
    backbone: 'none',
    iterative: false,
    extras: true,
    server: true,
  },
  {
    type: 'mep-linear',
    label: 'MEP-linear (the paper’s correlation)',
    backbone: 'none',
    iterative: false,
    extras: false,
    server: true,
  },
];

export const modelTypeInfo = (t: ModelType): ModelTypeInfo => MODEL_TYPES.find((m) => m.type === t) ?? MODEL_TYPES[0];

export const ITERATIVE_DEFAULTS: Partial<Record<ModelType, { epochs: number; learningRate: number }>> = {
  'frozen-mlp': { epochs: 150, learningRate: 1e-3 },
  finetune: { epochs: 8, learningRate: 1e-4 },
  cnn: { epochs: 60, learningRate: 3e-3 },
};

/** The baselines every browser-trained model is compared with on the same splits. */
export const BASELINES: ModelSpec[] = [
  { type: 'mean' },
  { type: 'mep-linear' },
  { type: 'pixel-ridge' },
  { type: 'mean', anchor: 'endpoints' },
];

export const CHAINS: Record<string, BackendName[]> = {
  auto: ['webgl', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

/** Protocols of the panel: the classic splits of one dataset, and the new-surface protocols (lib/ml/new-surface.ts). */
export type ProtocolKind = 'paper' | 'kfold' | 'loso' | 'dopant-out' | 'train-test';

export const PROTOCOLS: { kind: ProtocolKind; label: string; newSurface: boolean }[] = [
  { kind: 'paper', label: 'Paper split: all minima + a fraction of the saddles', newSurface: false },
  { kind: 'kfold', label: 'k-fold cross-validation', newSurface: false },
  { kind: 'loso', label: 'Leave one surface out', newSurface: true },
  { kind: 'dopant-out', label: 'Leave one dopant out', newSurface: true },
  { kind: 'train-test', label: 'Train on some surfaces, test on others', newSurface: true },
];

export const isNewSurface = (k: ProtocolKind): boolean => k === 'loso' || k === 'dopant-out' || k === 'train-test';

export interface TrainingSettings {
  type: ModelType;
  backbone: string;
  inputSize: number;
  useBackboneInGp: boolean;
  epochs: number;
  learningRate: number;
  /** Networks trained by epochs: members of the deep ensemble (sigma = their spread; 1 = no sigma). */
  ensemble: number;
  extras: { mep: boolean; kind: boolean };
  /** Site-relative model: its feature groups (lib/ml/site-features.ts). */
  groups: FeatureGroup[];
  anchored: boolean;
  protocol: ProtocolKind;
  fraction: number;
  repeats: number;
  k: number;
  seed: number;
  /** New-surface protocols: k = 0..3 DFT labels of each test surface in training. */
  shots: number[];
  trainSurfaces: string[];
  testSurfaces: string[];
}

export const DEFAULT_SETTINGS: TrainingSettings = {
  type: 'descriptor-gp',
  backbone: '',
  inputSize: 0,
  useBackboneInGp: false,
  epochs: 150,
  learningRate: 1e-3,
  ensemble: 3,
  extras: { mep: false, kind: false },
  groups: ['kind', 'host', 'potential', 'geometry'],
  anchored: true,
  protocol: 'paper',
  fraction: 0.33,
  repeats: 10,
  k: 5,
  seed: 1,
  shots: [0, 1],
  trainSurfaces: [],
  testSurfaces: [],
};

/** The lib/ml spec of the settings (only the chosen type's options are read). */
export function buildSpec(s: TrainingSettings, pixels: number): ModelSpec {
  const bb = s.backbone || undefined;
  const size = s.inputSize || undefined;
  const ex = s.extras.mep || s.extras.kind ? { mep: s.extras.mep, kind: s.extras.kind } : undefined;
  const base = ((): ModelSpec => {
    switch (s.type) {
      case 'descriptor-gp':
        return bb && s.useBackboneInGp ? { type: s.type, backbone: bb, inputSize: size } : { type: s.type };
      case 'frozen-ridge':
        return { type: s.type, backbone: bb!, inputSize: size, extras: ex };
      case 'frozen-mlp':
      case 'finetune':
        return {
          type: s.type,
          backbone: bb!,
          inputSize: size,
          extras: ex,
          epochs: s.epochs,
          learningRate: s.learningRate,
          ensemble: s.ensemble,
        };
      case 'cnn':
        return {
          type: s.type,
          size: Math.min(32, pixels || 32),
          extras: ex,
          epochs: s.epochs,
          learningRate: s.learningRate,
          ensemble: s.ensemble,
        };
      case 'pixel-ridge':
        return { type: s.type, extras: ex };
      case 'site-relative':
        return { type: s.type, groups: [...s.groups] };
      default:
        return { type: 'mep-linear' };
    }
  })();
  // The site-relative model predicts saddles above their end minima by construction: no anchor option.
  return s.anchored && base.type !== 'site-relative' ? { ...base, anchor: 'endpoints' } : base;
}

/** The classic protocol of the settings, or null for a new-surface protocol (run on the server). */
export function classicProtocol(s: TrainingSettings): Protocol | null {
  if (s.protocol === 'paper') return { kind: 'paper', fraction: s.fraction, repeats: s.repeats };
  if (s.protocol === 'kfold') return { kind: 'kfold', k: s.k };
  return null;
}

/** Whether the server can fit this spec (closed-form, no backbone). */
export function serverFittable(spec: ModelSpec): boolean {
  return modelTypeInfo(spec.type as ModelType).server && !('backbone' in spec && spec.backbone) && spec.type !== 'cnn';
}
