/**
 * Messages between the TrainingPanel (main thread) and training.worker.ts. Everything is structured-clone data;
 * model zips travel as transferred Uint8Arrays. Each request carries an `id` echoed by its replies.
 */
import type { BackendName } from '@/lib/ml/backend';
import type { EpdiBatchSite } from '@/lib/ml/batch';
import type { ComparisonTable, Protocol } from '@/lib/ml/evaluate';
import type { ModelSpec } from '@/lib/ml/models';
import type { FitHistory } from '@/lib/ml/nets';
import type { TiedGroup } from '@/lib/ml/next-ties';
import type { Prediction, TrainProgress } from '@/lib/ml/types';

export type WorkerRequest =
  | { id: number; type: 'init'; prefer: BackendName[] }
  | { id: number; type: 'load'; datasetId: string }
  | { id: number; type: 'train'; spec: ModelSpec; protocol: Protocol | null; seed: number; baselines: ModelSpec[] }
  | { id: number; type: 'restore'; zip: Uint8Array }
  | { id: number; type: 'predict' }
  | { id: number; type: 'cancel' };

export interface BackendInfo {
  backend: BackendName;
  /** The chain tried, in order, and whether each one worked (those after the chosen one were not tried). */
  chain: { name: BackendName; status: 'used' | 'failed' | 'not tried' }[];
  /** Where the worker runs (a Web Worker here; 'main thread' if workers are unavailable). */
  where: string;
}

export interface DatasetInfo {
  pixels: number;
  rangeEv: [number, number];
  sites: EpdiBatchSite[];
  labelledMinima: number;
  labelledSaddles: number;
  unlabelledSaddles: number;
  unlabelled: number;
}

export interface ParityPoint {
  id: string;
  split: number;
  truthEv: number;
  meanEv: number;
  sigmaEv?: number;
}

export interface TrainOutcome {
  model: string;
  spec: ModelSpec;
  backend: BackendName;
  nTrain: number;
  trainIds: string[];
  fitSeconds: number;
  evalSeconds: number;
  history?: FitHistory;
  comparison: ComparisonTable | null;
  parity: ParityPoint[];
  /** Unlabelled saddles ranked by predictive sigma, largest first, and which model ranked them. */
  next: Prediction[];
  nextRankedBy: string | null;
  /** Entries of `next` that are tied (same E_b and sigma) and why (lib/ml/next-ties.ts). */
  nextTies: TiedGroup[];
  /** Test sets too small to mean anything, saying how many are needed (lib/ml/sample-size.ts); empty when fine. */
  sampleWarnings: string[];
  metrics: Record<string, unknown>;
  zip: Uint8Array;
}

export interface RestoredInfo {
  model: string;
  spec: ModelSpec;
  nTrain: number;
  /** The site ids the model was trained on, as its zip records them. */
  trainIds: string[];
  metrics: Record<string, unknown>;
}

export type WorkerProgress =
  | { stage: 'fit'; progress: TrainProgress }
  | { stage: 'eval'; model: string; split: number; splits: number; maeEv: number }
  | { stage: 'eval-features'; progress: TrainProgress }
  | { stage: 'status'; message: string };

export type WorkerReply =
  | { id: number; type: 'backend'; info: BackendInfo }
  | { id: number; type: 'loaded'; info: DatasetInfo }
  | { id: number; type: 'progress'; progress: WorkerProgress }
  | { id: number; type: 'trained'; outcome: TrainOutcome }
  | { id: number; type: 'restored'; info: RestoredInfo }
  | { id: number; type: 'predicted'; predictions: Prediction[]; seconds: number }
  | { id: number; type: 'cancelled' }
  | { id: number; type: 'error'; message: string; code?: string };
