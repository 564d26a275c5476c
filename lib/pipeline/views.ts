/**
 * What the one pipeline takes (a surface's sites, hops, matched labels, predictions and NEB runs, from a folder or the
 * database) and what it gives (profiles, barriers, percolation, NEB comparisons), shared by the API, the pages, the
 * exports and the command line. Energies in eV on the dataset's mu_Li record, lengths in Angstrom, Cartesian.
 */
import type { Vec3 } from '../math/mat3';
import type { DopingEffect, EnergySource, HopProfile, NebComparison, NebOverall } from '../profile';
import type { MuLiRecord } from './mu-li';
import type { MuLiReference } from '../profile/binding';

/** The user's label on a site. */
export interface SiteLabel {
  /** The user's own name of the computed site (labels.csv `site`, or the sites/<name>/ folder). */
  name: string;
  eBindingEv: number | null;
  /** Li position as computed (relaxed), Cartesian Angstrom; null when unknown. */
  liPosition: Vec3 | null;
  /** In-plane distance from the label to the app's site, Angstrom. */
  matchDistanceA: number | null;
}

export interface PipelineSite {
  /** Unique key within the surface: the database id, or the canonical name in folder mode. */
  id: string;
  /** The app's canonical site id, e.g. 'T_M-0', 'bridge-12'. */
  name: string;
  kind: string;
  /** Li at the extraction plane (site xy, settings height), Cartesian Angstrom. */
  position: Vec3;
  /** Fractional a, b of `position`, wrapped into [0, 1). */
  frac: [number, number];
  symmetryGroup: number | null;
  mepV: number | null;
  dopantDistanceA: number | null;
  label: SiteLabel | null;
  prediction: { valueEv: number; sigmaEv: number | null } | null;
}

/** One hop per bridge (lib/surface `Hop`): from -> saddle -> to, site ids of the surface. */
export interface PipelineHop {
  id: string;
  name: string;
  from: string;
  saddle: string;
  to: string;
  sSaddle: number;
}

export interface PipelineNebImage {
  index: number;
  /** Normalised reaction coordinate (cumulative image distance). */
  s: number;
  /** Total energy of the image (slab + Li), eV. */
  energyEv: number;
  li: Vec3 | null;
}

export interface SourceFile {
  path: string;
  sha256: string;
  bytes?: number;
  role?: string;
}

export interface PipelineSurface {
  id: string;
  name: string;
  host: string;
  phase: string | null;
  dopant: string | null;
  eSlabEv: number | null;
  /** mu_Li this surface's energies use (the dataset's record, else its own meta.json), eV. */
  muLiEv: number | null;
  /** Rows a, b, c, Angstrom. */
  lattice: Vec3[];
  sites: PipelineSite[];
  hops: PipelineHop[];
  nebRuns: { name: string; images: PipelineNebImage[] }[];
  files: SourceFile[];
  extracted: boolean;
  /** Labels that matched no site, kinds that disagree, ...: shown in the notes. */
  labelProblems: string[];
}

/** Where a knot's energy came from, in more detail than its `source`. */
export type KnotOrigin = 'label' | 'symmetry-label' | 'prediction' | 'symmetry-prediction';

export interface KnotView {
  siteId: string;
  /** The name people see: the user's label name where the site was labelled, else the app's id. */
  site: string;
  /** The app's canonical site id. */
  siteName: string;
  kind: string;
  energyEv: number;
  source: Extract<EnergySource, 'dft' | 'predicted'>;
  sigmaEv: number | null;
  origin: KnotOrigin;
  /** The site (display name) whose label or prediction was used, when it is not this site (symmetry). */
  valueFromSite: string | null;
  note: string | null;
}

export interface NebView {
  name: string;
  /** True when the run goes B -> A and was reversed to the hop's direction. */
  reversed: boolean;
  /** Sum of the in-plane distances of the first and last image's Li to the hop's end sites, Angstrom. */
  matchDistanceA: number;
  s: number[];
  /** Binding-energy scale, eV. */
  energyEv: number[];
  /** Null when the hop is incomplete (nothing to compare with). */
  comparison: Omit<NebComparison, 'hop'> | null;
}

/** The sampled curve and barriers of a hop, as lib/profile `hopProfile` computes them. */
export type HopCurve = Pick<
  HopProfile,
  | 's'
  | 'energyEv'
  | 'sigmaEv'
  | 'sigmaMethod'
  | 'source'
  | 'barrierForwardEv'
  | 'barrierBackwardEv'
  | 'barrierForwardSigmaEv'
  | 'barrierBackwardSigmaEv'
  | 'maxEnergyEv'
  | 'saddleIsMaximum'
>;

export interface HopProfileView extends HopCurve {
  hopId: string;
  hop: string;
  surfaceId: string;
  surface: string;
  host: string;
  dopant: string | null;
  knots: [KnotView, KnotView, KnotView];
  sSaddle: number;
  /** Lattice cells (a, b) of the `to` image reached from the `from` site. */
  translation: [number, number];
  neb: NebView | null;
}

export interface IncompleteHop {
  hopId: string;
  hop: string;
  from: string;
  saddle: string;
  to: string;
  /** Sites (display names) without a DFT label (own or by symmetry) or a prediction. */
  missing: string[];
}

export interface SiteProfileView {
  id: string;
  /** The app's canonical site id. */
  name: string;
  /** The name people see (as KnotView.site): the user's label name, else the app's id (`app:` on a collision). */
  site: string;
  /** The user's label name, when the site was labelled. */
  label: string | null;
  kind: string;
  /** Li at the extraction plane, Cartesian Angstrom. */
  position: [number, number, number];
  /** Relaxed Li height (Cartesian z, Angstrom) from the user's label, when known. */
  liZA: number | null;
  /** In-plane distance from the user's label to the site, Angstrom. */
  matchDistanceA: number | null;
  symmetryGroup: number | null;
  mepV: number | null;
  dopantDistanceA: number | null;
  /** DFT E_b: the site's own label, else a symmetry-equivalent site's (see `dftBySymmetry`). */
  eBindingEv: number | null;
  dftBySymmetry: boolean;
  predictedEv: number | null;
  sigmaEv: number | null;
}

export interface PercolationView {
  barrierEv: number;
  thresholdEv: number;
  groundSite: string;
  bottleneckHop: string;
  winding: number[];
}

export interface NextSaddleView {
  /** A saddle of the group (display name; hops through any of its symmetry twins move with it). */
  site: string;
  /** The app's canonical id of that saddle. */
  siteName: string;
  symmetryGroup: string;
  meanEv: number;
  sigmaEv: number;
  expectedChangeEv: number;
}

export interface SurfaceProfiles {
  id: string;
  name: string;
  host: string;
  phase: string | null;
  dopant: string | null;
  eSlabEv: number | null;
  /** mu_Li the energies of this surface are on, eV. */
  muLiEv: number | null;
  hops: HopProfileView[];
  incomplete: IncompleteHop[];
  percolation: PercolationView | null;
  /** Predicted saddle groups by the expected change of the percolating barrier if computed, largest first. */
  nextSaddles: NextSaddleView[];
  sites: SiteProfileView[];
  nebUnmatched: { name: string; reason: string }[];
  files: SourceFile[];
  extracted: boolean;
}

export interface ModelView {
  id: string;
  name: string;
  backbone: string;
  head: string;
  createdAt: string;
  settings: unknown;
  metrics: unknown;
  predictions: number;
}

export interface DatasetProfiles {
  dataset: { id: string; name: string; muLiReference: string; muLiEv: number | null; settings: unknown };
  /** The dataset's one mu_Li record (lib/pipeline/mu-li.ts). */
  muLi: MuLiRecord;
  /** The same as a lib/profile reference; null when the record has no value. */
  reference: MuLiReference | null;
  model: ModelView | null;
  samples: number;
  surfaces: SurfaceProfiles[];
  doping: DopingEffect[];
  nebSummary: NebOverall | null;
  /** Provenance and caveats for people: re-referencing, symmetry fill-in, incomplete hops, unmatched NEBs. */
  notes: string[];
}
