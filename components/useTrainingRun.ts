'use client';

import { useState } from 'react';
import type { Protocol } from '@/lib/ml/evaluate';
import type { ModelSpec } from '@/lib/ml/models';
import { formatDuration } from '@/lib/view/time';
import { runJob } from './training-api';
import { BASELINES, type CurrentModel } from './training-config';
import type { TrainingEngine } from './useTrainingEngine';
import type { TrainOutcome, WorkerProgress, WorkerReply } from './training-protocol';

export interface LossPoint {
  epoch: number;
  train: number;
  val?: number;
}

export interface ProgressBar {
  label: string;
  value: number;
  max: number;
}

export type Outcome = Omit<TrainOutcome, 'zip'>;

export interface TrainingRun {
  running: boolean;
  losses: LossPoint[];
  epochTotal: number;
  bar: ProgressBar | null;
  outcome: Outcome | null;
  /** Fit in the browser's worker; `protocol` null: no comparison (a new-surface protocol runs on the server). */
  train: (spec: ModelSpec, protocol: Protocol | null, seed: number, epochs: number) => Promise<CurrentModel | null>;
  /** Fit a closed-form model on the server (a job stores it and its predictions). */
  trainOnServer: (
    spec: ModelSpec,
    protocol: Protocol | null,
    seed: number,
  ) => Promise<{ modelId: string; predictions: number; seconds: number } | null>;
  cancel: () => Promise<void>;
}

const meV = (ev: number) => (Number.isFinite(ev) ? (ev * 1000).toFixed(1) : '—');

/** One training run of the panel: progress, live losses, the outcome (fit times measured, never rounded to 0). */
export function useTrainingRun(datasetId: string, engine: TrainingEngine): TrainingRun {
  const [running, setRunning] = useState(false);
  const [losses, setLosses] = useState<LossPoint[]>([]);
  const [epochTotal, setEpochTotal] = useState(0);
  const [bar, setBar] = useState<ProgressBar | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { setStatus, setError } = engine;

  const onProgress = (p: WorkerProgress) => {
    if (p.stage === 'status') setStatus(p.message);
    else if (p.stage === 'fit') {
      const q = p.progress;
      if (q.phase === 'features') setBar({ label: 'backbone features', value: q.done ?? 0, max: q.total ?? 1 });
      if (q.phase === 'batch')
        setBar({
          label: `epoch ${q.epoch}/${q.epochs}, batch ${q.batch}/${q.batches}`,
          value: (q.epoch ?? 1) - 1,
          max: q.epochs ?? 1,
        });
      if (q.phase === 'epoch') {
        setEpochTotal(q.epochs ?? 0);
        setBar({ label: `epoch ${q.epoch}/${q.epochs}`, value: q.epoch ?? 0, max: q.epochs ?? 1 });
        setLosses((prev) => [...prev, { epoch: q.epoch!, train: q.trainLoss!, val: q.valLoss }]);
      }
    } else if (p.stage === 'eval') {
      setStatus(`evaluating: ${p.model}, split ${p.split}/${p.splits} (test MAE ${meV(p.maeEv)} meV)`);
      setBar({ label: `${p.model}: split ${p.split}/${p.splits}`, value: p.split, max: p.splits });
    } else if (p.stage === 'eval-features') {
      setBar({ label: 'backbone features', value: p.progress.done ?? 0, max: p.progress.total ?? 1 });
    }
  };

  const train: TrainingRun['train'] = async (spec, protocol, seed, epochs) => {
    const client = engine.getClient();
    if (!client || !engine.data) return null;
    setError(null);
    setLosses([]);
    setEpochTotal(epochs);
    setOutcome(null);
    setBar(null);
    setRunning(true);
    const t0 = performance.now();
    try {
      const r = (await client.request(
        { type: 'train', spec, protocol, seed, baselines: BASELINES },
        onProgress,
      )) as Extract<WorkerReply, { type: 'trained' }>;
      const { zip, ...rest } = r.outcome;
      setOutcome(rest);
      setStatus(
        `trained ${rest.model} on ${rest.nTrain} sites in ${formatDuration(rest.fitSeconds)}` +
          (rest.comparison ? `, evaluated in ${formatDuration(rest.evalSeconds)}` : protocol ? ', not evaluated' : '') +
          ` on ${rest.backend} (${formatDuration((performance.now() - t0) / 1000)} in all)`,
      );
      return {
        name: rest.model,
        spec: rest.spec,
        zip,
        metrics: rest.metrics,
        trainIds: rest.trainIds,
        serverId: null,
        source: 'trained',
      };
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'aborted') setStatus('training cancelled');
      else {
        setError(err.message);
        setStatus('training failed');
      }
      return null;
    } finally {
      setRunning(false);
      setBar(null);
    }
  };

  const trainOnServer: TrainingRun['trainOnServer'] = async (spec, protocol, seed) => {
    setError(null);
    setRunning(true);
    setStatus(`training ${spec.type} on the server…`);
    try {
      const result = await runJob<{ modelId: string; model: string; predictions: number; seconds: number }>(
        `/api/datasets/${datasetId}/models/train-server`,
        { spec, seed, protocol: protocol ?? { kind: 'none' } },
        (m) => setStatus(`server: ${m}`),
      );
      setStatus(
        `trained ${result.model} on the server in ${formatDuration(result.seconds)} and stored ${result.predictions} predictions`,
      );
      return result;
    } catch (e) {
      setError((e as Error).message);
      setStatus('server training failed');
      return null;
    } finally {
      setRunning(false);
    }
  };

  const cancel = async () => {
    setStatus('cancelling…');
    await engine.getClient()?.cancel();
  };

  return { running, losses, epochTotal, bar, outcome, train, trainOnServer, cancel };
}
