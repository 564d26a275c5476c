/**
 * Types shared by the whole ML module. Everything here is plain data: no tensors, no I/O.
 */

/** Adsorption site classes (see ../shared/DESIGN.md section 1). */
export type SiteKind = 'T_M' | 'H' | 'H_X' | 'T_X' | 'bridge' | 'other';
export const SITE_KINDS: readonly SiteKind[] = ['T_M', 'H', 'H_X', 'T_X', 'bridge', 'other'];

/**
 * One Li position with its EPDI. The unit of every training set, split and prediction.
 *
 * `epdi` is the electrostatic potential on the EPDI plane in eV (already aligned to the vacuum level), row-major
 * `Shape: [pixels, pixels]`, x fastest, window centred on the site (for saddles: rotated so the hop runs along +x).
 * `rgb`, when given, is a pre-rendered colour image `Shape: [pixels, pixels, 3]` in [0, 1] that replaces the default
 * grey rendering of `epdi`.
 */
export interface Sample {
  id: string;
  surfaceId: string;
  kind: SiteKind;
  isSaddle: boolean;
  epdi: Float32Array;
  pixels: number;
  /** Edge of the square EPDI window in Angstrom (default 6.4). */
  windowAngstrom?: number;
  rgb?: Float32Array;
  /** Mean electrostatic potential around the Li position (eV). */
  mepEv: number;
  /** Distance from the site to the nearest dopant (Angstrom); absent for undoped surfaces. */
  dopantDistanceAngstrom?: number;
  /** Extra numeric descriptors, e.g. `mep_r0.5_h1.5` (MEPs at other radii/heights), named with units. */
  descriptors?: Record<string, number>;
  /** DFT binding energy (eV); absent when not computed yet. */
  eBindingEv?: number;
  /** Symmetry group key, unique across surfaces: sites with the same key are equivalent (same E_b). */
  siteGroup?: string;
  /** Saddles: `siteGroup` keys of the two minima the hop joins. */
  hopEnds?: [string, string];
  /** Saddles: mean MEP of the two minima the hop joins (eV); anchored models take the MEP relative to it. */
  hopEndsMepEv?: number;
  /**
   * Site features from inputs only, named `<group>:<name>` (./site-features.ts): what the site-relative model and
   * the new-surface ablation use. Kept apart from `descriptors` so other models' inputs do not change.
   */
  siteFeatures?: Record<string, number>;
}

/** A sample whose label is known. */
export type LabelledSample = Sample & { eBindingEv: number };

export function isLabelled(s: Sample): s is LabelledSample {
  return typeof s.eBindingEv === 'number' && Number.isFinite(s.eBindingEv);
}

/** Optional inputs joined to image features. */
export interface ExtraInputs {
  mep?: boolean;
  kind?: boolean;
  dopant?: boolean;
}

/** How a potential image becomes a [0, 1] picture: ONE fixed range per dataset, never per image. */
export interface ImageSettings {
  /** Potential (eV) mapped to 0 and to 1; values outside are clipped. */
  rangeEv: [number, number];
}

/** Prediction for one sample; sigma (eV) is the predictive standard deviation when the model has one. */
export interface Prediction {
  id: string;
  meanEv: number;
  sigmaEv?: number;
}

/** Progress of an iterative fit (MLP, CNN, fine-tune). Losses are on standardised targets (MSE). */
export interface TrainProgress {
  phase: 'features' | 'epoch' | 'batch' | 'done';
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  trainLoss?: number;
  valLoss?: number;
  /** Features extracted so far / total (phase 'features'). */
  done?: number;
  total?: number;
}

export type ProgressCallback = (p: TrainProgress) => void;

/** Regression metrics in eV. */
export interface Metrics {
  n: number;
  maeEv: number;
  rmseEv: number;
  r2: number;
}
