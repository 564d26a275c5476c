'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendName } from '@/lib/ml/backend';
import { CHAINS, type Registry } from './training-config';
import { TrainingClient } from './training-client';
import type { BackendInfo, DatasetInfo, WorkerReply } from './training-protocol';

export interface TrainingEngine {
  /** The worker's client (null before the first effect ran). */
  getClient: () => TrainingClient | null;
  backend: BackendInfo | null;
  chain: string;
  data: DatasetInfo | null;
  registry: Registry | null;
  status: string;
  setStatus: (s: string) => void;
  error: string | null;
  setError: (e: string | null) => void;
  switching: boolean;
  switchBackend: (chain: string) => Promise<void>;
}

/** Start the engine: backend (with its fallback chain), then the dataset's EPDIs. */
function boot(
  client: TrainingClient,
  prefer: BackendName[],
  datasetId: string,
  on: {
    backend: (b: BackendInfo) => void;
    data: (d: DatasetInfo) => void;
    status: (s: string) => void;
    error: (m: string) => void;
  },
): void {
  client
    .request({ type: 'init', prefer })
    .then((b) => {
      on.backend((b as Extract<WorkerReply, { type: 'backend' }>).info);
      on.status('loading the dataset’s EPDIs…');
      return client.request({ type: 'load', datasetId });
    })
    .then((l) => {
      on.data((l as Extract<WorkerReply, { type: 'loaded' }>).info);
      on.status('ready');
    })
    .catch((e: Error) => on.error(e.message));
}

/** The training worker of one dataset: backend, its EPDIs, the weights registry, status and errors. */
export function useTrainingEngine(datasetId: string): TrainingEngine {
  const clientRef = useRef<TrainingClient | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [chain, setChain] = useState('auto');
  const [data, setData] = useState<DatasetInfo | null>(null);
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [status, setStatus] = useState('starting the training engine…');
  const [error, setError] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);

  useEffect(() => {
    const c = new TrainingClient();
    clientRef.current = c;
    const start = () =>
      boot(c, CHAINS.auto, datasetId, {
        backend: setBackend,
        data: setData,
        status: setStatus,
        error: (m) => {
          setError(m);
          setStatus('the training engine failed to start');
        },
      });
    c.onRestart = start;
    start();
    fetch('/api/weights')
      .then((r) => r.json() as Promise<Registry>)
      .then(setRegistry)
      .catch(() =>
        setRegistry({ directory: '', present: false, backbones: [], problems: ['could not read /api/weights'] }),
      );
    return () => c.dispose();
  }, [datasetId]);

  const switchBackend = useCallback(async (value: string) => {
    setChain(value);
    const c = clientRef.current;
    if (!c) return;
    setSwitching(true);
    try {
      const b = (await c.request({ type: 'init', prefer: CHAINS[value] })) as Extract<WorkerReply, { type: 'backend' }>;
      setBackend(b.info);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSwitching(false);
    }
  }, []);

  const getClient = useCallback(() => clientRef.current, []);

  return { getClient, backend, chain, data, registry, status, setStatus, error, setError, switching, switchBackend };
}
