'use client';

import { useState } from 'react';
import type { NewSurfaceTable } from '@/lib/ml/new-surface-table';
import { modelName, type ModelSpec } from '@/lib/ml/models';
import { NEW_SURFACE_DEFAULT_MODELS } from '@/lib/ml/new-surface-models';
import { formatDuration } from '@/lib/view/time';
import { runJob } from './training-api';
import type { TrainingSettings } from './training-config';

export interface NewSurfaceRun {
  running: boolean;
  table: NewSurfaceTable | null;
  status: string | null;
  error: string | null;
  run: (settings: TrainingSettings, extra: ModelSpec | null) => Promise<void>;
}

/**
 * The new-surface table of the panel: the server runs lib/ml's `evaluateNewSurface` (as `epdi evaluate --protocol
 * loso` does) on the stored dataset and answers the same table (lib/ml/new-surface-table.ts).
 */
export function useNewSurface(datasetId: string): NewSurfaceRun {
  const [running, setRunning] = useState(false);
  const [table, setTable] = useState<NewSurfaceTable | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (s: TrainingSettings, extra: ModelSpec | null) => {
    const protocol =
      s.protocol === 'train-test'
        ? { kind: 'train-test', train: s.trainSurfaces, test: s.testSurfaces }
        : { kind: s.protocol === 'dopant-out' ? 'dopant-out' : 'loso' };
    setRunning(true);
    setError(null);
    setTable(null);
    setStatus('starting the new-surface evaluation on the server…');
    try {
      // The chosen model joins the standard rows unless it is one of them already (no duplicate rows).
      const isDefault = extra && NEW_SURFACE_DEFAULT_MODELS.some((m) => modelName(m) === modelName(extra));
      const models = extra && !isDefault ? [...NEW_SURFACE_DEFAULT_MODELS, extra] : undefined;
      const r = await runJob<{ table: NewSurfaceTable; seconds: number }>(
        `/api/datasets/${datasetId}/models/new-surface`,
        { protocol, shots: s.shots.length ? s.shots : [0], seed: s.seed, ...(models ? { models } : {}) },
        (m) => setStatus(`server: ${m}`),
      );
      setTable(r.table);
      setStatus(`new-surface table computed on the server in ${formatDuration(r.seconds)}`);
    } catch (e) {
      setError((e as Error).message);
      setStatus(null);
    } finally {
      setRunning(false);
    }
  };

  return { running, table, status, error, run };
}
