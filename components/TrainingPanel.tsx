'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendName } from '@/lib/ml/backend';
import type { Protocol } from '@/lib/ml/evaluate';
import type { ModelSpec, ModelType } from '@/lib/ml/models';
import { deleteLocalModel, listLocalModels, saveLocalModel, type StoredModel } from './model-store';
import { CalibrationChart, LossChart, ParityChart } from './TrainingCharts';
import { TrainingClient } from './training-client';
import type { BackendInfo, DatasetInfo, RestoredInfo, TrainOutcome, WorkerProgress, WorkerReply } from './training-protocol';

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

interface BackboneEntry {
  name: string;
  inputSize: number;
  featureDims: number;
  available: boolean;
  missing?: string;
  provenance?: string;
}

interface Registry {
  directory: string;
  present: boolean;
  backbones: BackboneEntry[];
  problems: string[];
}

/** The model in hand: trained here or loaded; `serverId` once it is stored on the server. */
interface CurrentModel {
  name: string;
  spec: ModelSpec;
  zip: Uint8Array;
  metrics: Record<string, unknown>;
  trainIds: string[];
  serverId: string | null;
  source: 'trained' | 'server' | 'browser' | 'file';
}

const TYPES: { type: ModelType; label: string; backbone: 'required' | 'optional' | 'none'; iterative: boolean }[] = [
  { type: 'descriptor-gp', label: 'Descriptor GP (MEPs, gradients, moments; gives σ)', backbone: 'optional', iterative: false },
  { type: 'frozen-ridge', label: 'Frozen backbone + ridge head (bootstrap σ)', backbone: 'required', iterative: false },
  { type: 'frozen-mlp', label: 'Frozen backbone + MLP head', backbone: 'required', iterative: true },
  { type: 'finetune', label: 'Fine-tune the last backbone blocks', backbone: 'required', iterative: true },
  { type: 'cnn', label: 'Small CNN from scratch (control)', backbone: 'none', iterative: true },
  { type: 'pixel-ridge', label: 'Ridge on down-sampled pixels (baseline)', backbone: 'none', iterative: false },
  { type: 'mep-linear', label: 'MEP-linear (the paper’s correlation)', backbone: 'none', iterative: false },
];

const DEFAULTS: Partial<Record<ModelType, { epochs: number; learningRate: number }>> = {
  'frozen-mlp': { epochs: 150, learningRate: 1e-3 },
  finetune: { epochs: 8, learningRate: 1e-4 },
  cnn: { epochs: 60, learningRate: 3e-3 },
};

/** Model types the server can fit without tensors (POST .../models/train-server). */
const SERVER_TYPES: ModelType[] = ['descriptor-gp', 'pixel-ridge', 'mep-linear'];

const BASELINES: ModelSpec[] = [{ type: 'mean' }, { type: 'mep-linear' }, { type: 'pixel-ridge' }, { type: 'mean', anchor: 'endpoints' }];

const CHAINS: Record<string, BackendName[]> = {
  auto: ['webgl', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

const meV = (ev: unknown) => (typeof ev === 'number' && Number.isFinite(ev) ? (ev * 1000).toFixed(1) : '—');
const num = (v: unknown, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9._+-]+/g, '_')}.zip`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function apiError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

/** Start the engine: backend (with its fallback chain), then the dataset's EPDIs. Callbacks report each step. */
function bootEngine(
  client: TrainingClient,
  prefer: BackendName[],
  datasetId: string,
  on: { backend: (b: BackendInfo) => void; data: (d: DatasetInfo) => void; status: (s: string) => void; error: (m: string) => void },
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

/**
 * Training in the browser: pick a model and protocol, train on WebGL (falling back to wasm/cpu) in a Web Worker with
 * live loss curves and cancel, then the comparison against the baselines on the same splits, the parity and
 * calibration figures, the saddles to compute next, and saving/loading/exporting/predicting.
 */
export function TrainingPanel({ datasetId, initialModels }: { datasetId: string; initialModels: ServerModel[] }) {
  const router = useRouter();
  const clientRef = useRef<TrainingClient | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [chain, setChain] = useState('auto');
  const [data, setData] = useState<DatasetInfo | null>(null);
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [type, setType] = useState<ModelType>('descriptor-gp');
  const [backbone, setBackbone] = useState('');
  const [inputSize, setInputSize] = useState(0);
  const [protocolKind, setProtocolKind] = useState<'paper' | 'kfold'>('paper');
  const [fraction, setFraction] = useState(0.33);
  const [repeats, setRepeats] = useState(10);
  const [k, setK] = useState(5);
  const [epochs, setEpochs] = useState(150);
  const [learningRate, setLearningRate] = useState(1e-3);
  const [seed, setSeed] = useState(1);
  const [extras, setExtras] = useState({ mep: false, kind: false });
  const [useBackboneInGp, setUseBackboneInGp] = useState(false);
  const [anchored, setAnchored] = useState(true);
  const [running, setRunning] = useState<string | null>(null);
  const [status, setStatus] = useState('starting the training engine…');
  const [error, setError] = useState<string | null>(null);
  const [losses, setLosses] = useState<{ epoch: number; train: number; val?: number }[]>([]);
  const [epochTotal, setEpochTotal] = useState(0);
  const [bar, setBar] = useState<{ label: string; value: number; max: number } | null>(null);
  const [outcome, setOutcome] = useState<Omit<TrainOutcome, 'zip'> | null>(null);
  const [current, setCurrent] = useState<CurrentModel | null>(null);
  const [models, setModels] = useState<ServerModel[]>(initialModels);
  const [localModels, setLocalModels] = useState<StoredModel[]>([]);
  const [chosenServer, setChosenServer] = useState('');
  const [chosenLocal, setChosenLocal] = useState('');
  const [stored, setStored] = useState<{ modelId: string; count: number; seconds: number } | null>(null);

  const meta = TYPES.find((t) => t.type === type)!;
  const sites = useMemo(() => new Map((data?.sites ?? []).map((s) => [s.id, s])), [data]);

  const refreshLocal = useCallback(() => {
    listLocalModels(datasetId).then(setLocalModels, () => setLocalModels([]));
  }, [datasetId]);

  const refreshServer = useCallback(async () => {
    const res = await fetch(`/api/datasets/${datasetId}/models`);
    if (res.ok) setModels(((await res.json()) as { models: ServerModel[] }).models);
    router.refresh();
  }, [datasetId, router]);

  useEffect(() => {
    const client = new TrainingClient();
    clientRef.current = client;
    const boot = () =>
      bootEngine(client, CHAINS.auto, datasetId, {
        backend: setBackend,
        data: setData,
        status: setStatus,
        error: (m) => {
          setError(m);
          setStatus('the training engine failed to start');
        },
      });
    client.onRestart = boot;
    boot();
    fetch('/api/weights')
      .then((r) => r.json() as Promise<Registry>)
      .then((reg) => {
        setRegistry(reg);
        const first = reg.backbones.find((b) => b.available);
        if (first) {
          setBackbone(first.name);
          setInputSize(first.inputSize);
        }
      })
      .catch(() => setRegistry({ directory: '', present: false, backbones: [], problems: ['could not read /api/weights'] }));
    refreshLocal();
    return () => client.dispose();
  }, [datasetId, refreshLocal]);

  const chooseType = (t: ModelType) => {
    setType(t);
    const d = DEFAULTS[t];
    if (d) {
      setEpochs(d.epochs);
      setLearningRate(d.learningRate);
    }
  };

  const buildSpec = (): ModelSpec => {
    const spec = baseSpec();
    return anchored ? { ...spec, anchor: 'endpoints' } : spec;
  };
  const baseSpec = (): ModelSpec => {
    const bb = backbone || undefined;
    const size = inputSize || undefined;
    const ex = extras.mep || extras.kind ? { mep: extras.mep, kind: extras.kind } : undefined;
    switch (type) {
      case 'descriptor-gp':
        return bb && useBackboneInGp ? { type, backbone: bb, inputSize: size } : { type };
      case 'frozen-ridge':
        return { type, backbone: bb!, inputSize: size, extras: ex };
      case 'frozen-mlp':
        return { type, backbone: bb!, inputSize: size, extras: ex, epochs, learningRate };
      case 'finetune':
        return { type, backbone: bb!, inputSize: size, extras: ex, epochs, learningRate };
      case 'cnn':
        return { type, size: Math.min(32, data?.pixels ?? 32), extras: ex, epochs, learningRate };
      case 'pixel-ridge':
        return { type, extras: ex };
      default:
        return { type: 'mep-linear' };
    }
  };
  const onProgress = (p: WorkerProgress) => {
    if (p.stage === 'status') setStatus(p.message);
    else if (p.stage === 'fit') {
      const q = p.progress;
      if (q.phase === 'features') setBar({ label: 'backbone features', value: q.done ?? 0, max: q.total ?? 1 });
      if (q.phase === 'batch') setBar({ label: `epoch ${q.epoch}/${q.epochs}, batch ${q.batch}/${q.batches}`, value: (q.epoch ?? 1) - 1, max: q.epochs ?? 1 });
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

  const train = async () => {
    const client = clientRef.current;
    if (!client || !data) return;
    const protocol: Protocol = protocolKind === 'paper' ? { kind: 'paper', fraction, repeats } : { kind: 'kfold', k };
    const usable = protocolKind === 'kfold' || data.labelledSaddles >= 2;
    setError(null);
    setLosses([]);
    setEpochTotal(meta.iterative ? epochs : 0);
    setOutcome(null);
    setStored(null);
    setBar(null);
    setRunning('train');
    const t0 = performance.now();
    try {
      const r = (await client.request(
        { type: 'train', spec: buildSpec(), protocol: usable ? protocol : null, seed, baselines: BASELINES },
        onProgress,
      )) as Extract<WorkerReply, { type: 'trained' }>;
      const { zip, ...rest } = r.outcome;
      setOutcome(rest);
      setCurrent({ name: rest.model, spec: rest.spec, zip, metrics: rest.metrics, trainIds: rest.trainIds, serverId: null, source: 'trained' });
      setStatus(
        `trained ${rest.model} on ${rest.nTrain} sites in ${rest.fitSeconds.toFixed(1)} s` +
          (rest.comparison ? `, evaluated in ${rest.evalSeconds.toFixed(1)} s` : ', not evaluated (the paper split needs ≥ 2 labelled saddles)') +
          ` on ${rest.backend} (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`,
      );
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'aborted') setStatus('training cancelled');
      else {
        setError(err.message);
        setStatus('training failed');
      }
    } finally {
      setRunning(null);
      setBar(null);
    }
  };

  const cancel = async () => {
    setStatus('cancelling…');
    await clientRef.current?.cancel();
  };

  const switchBackend = async (value: string) => {
    const client = clientRef.current;
    setChain(value);
    if (!client) return;
    setRunning('backend');
    try {
      const b = (await client.request({ type: 'init', prefer: CHAINS[value] })) as Extract<WorkerReply, { type: 'backend' }>;
      setBackend(b.info);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(null);
    }
  };

  const saveToServer = async (model = current): Promise<string | null> => {
    if (!model) return null;
    if (model.serverId) return model.serverId;
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(model.zip)], { type: 'application/zip' }), 'model.zip');
    form.append(
      'meta',
      JSON.stringify({
        name: model.name,
        spec: model.spec,
        metrics: model.metrics,
        trainingSiteIds: model.trainIds,
        backend: typeof model.metrics.backend === 'string' ? model.metrics.backend : backend?.backend,
        settings: { trainedIn: model.source === 'trained' ? `browser (${backend?.where ?? 'worker'})` : model.source },
      }),
    );
    const res = await fetch(`/api/datasets/${datasetId}/models`, { method: 'POST', body: form });
    if (!res.ok) throw new Error(await apiError(res));
    const { model: saved } = (await res.json()) as { model: ServerModel };
    setCurrent({ ...model, serverId: saved.id });
    await refreshServer();
    return saved.id;
  };

  const act = async (label: string, fn: () => Promise<void>) => {
    setError(null);
    setRunning(label);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(null);
    }
  };

  const restore = async (zip: Uint8Array, source: CurrentModel['source'], serverId: string | null, fallbackName: string) => {
    const client = clientRef.current!;
    const r = (await client.request({ type: 'restore', zip })) as Extract<WorkerReply, { type: 'restored' }>;
    const info: RestoredInfo = r.info;
    setCurrent({ name: fallbackName || info.model, spec: info.spec, zip, metrics: info.metrics, trainIds: [], serverId, source });
    setStatus(`loaded ${info.model} (${source}), trained on ${info.nTrain} sites`);
  };

  const predictAndStore = () =>
    act('predict', async () => {
      const client = clientRef.current!;
      const id = await saveToServer();
      if (!id) return;
      setStatus('predicting every unlabelled site…');
      const r = (await client.request({ type: 'predict' })) as Extract<WorkerReply, { type: 'predicted' }>;
      const body = r.predictions.map((p) => ({ siteId: p.id, valueEv: p.meanEv, sigmaEv: p.sigmaEv ?? null }));
      const res = await fetch(`/api/models/${id}/predictions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(await apiError(res));
      const { stored: count } = (await res.json()) as { stored: number };
      setStored({ modelId: id, count, seconds: r.seconds });
      setStatus(`stored ${count} predictions (computed in ${r.seconds.toFixed(2)} s)`);
      await refreshServer();
    });

  /** Closed-form models can also be fitted in Node (no GPU needed): a job stores the model and its predictions. */
  const trainOnServer = () =>
    act('server', async () => {
      const spec = buildSpec();
      const protocol = protocolKind === 'paper' ? { kind: 'paper', fraction, repeats } : { kind: 'kfold', k };
      setStatus(`training ${spec.type} on the server…`);
      const res = await fetch(`/api/datasets/${datasetId}/models/train-server`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ spec, seed, protocol }),
      });
      if (!res.ok) throw new Error(await apiError(res));
      const { jobId } = (await res.json()) as { jobId: string };
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const { job } = (await (await fetch(`/api/jobs/${jobId}`)).json()) as {
          job: { status: string; message: string; error: string | null; result: { modelId: string; model: string; predictions: number; seconds: number } | null };
        };
        if (job.status === 'failed') throw new Error(job.error ?? 'server training failed');
        if (job.status === 'done' && job.result) {
          setStored({ modelId: job.result.modelId, count: job.result.predictions, seconds: job.result.seconds });
          setStatus(`trained ${job.result.model} on the server in ${job.result.seconds.toFixed(1)} s and stored ${job.result.predictions} predictions`);
          await refreshServer();
          return;
        }
        setStatus(`server: ${job.message || job.status}`);
      }
    });

  const busy = running !== null || !data;
  const calibration = (outcome?.comparison?.results ?? [])
    .filter((r) => r.calibration && !r.error)
    .map((r) => ({ model: r.model, points: r.calibration! }));
  const siteLabel = (id: string) => {
    const s = sites.get(id);
    return s ? `${s.surface} · ${s.name}` : id;
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="engine-heading" className="rounded border border-slate-200 bg-white p-4 text-sm">
        <h2 id="engine-heading" className="mb-2 text-lg font-semibold">
          Engine
        </h2>
        <div className="flex flex-wrap items-end gap-6">
          <p>
            tfjs backend in use: <strong data-testid="backend">{backend?.backend ?? '…'}</strong>
            {backend && <span className="text-slate-600"> · runs in a {backend.where}</span>}
          </p>
          <p className="text-slate-600" aria-label="Fallback chain">
            {backend?.chain.map((c, i) => (
              <span key={c.name}>
                {i > 0 && ' → '}
                <span className={c.status === 'used' ? 'font-semibold text-emerald-700' : c.status === 'failed' ? 'text-red-700 line-through' : ''}>
                  {c.name}
                </span>
              </span>
            ))}
          </p>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Backend preference</span>
            <select value={chain} onChange={(e) => void switchBackend(e.target.value)} disabled={busy} className="rounded border border-slate-300 px-2 py-1">
              <option value="auto">auto: webgl → wasm → cpu</option>
              <option value="wasm">wasm → cpu</option>
              <option value="cpu">cpu only</option>
            </select>
          </label>
        </div>
        {data && (
          <p className="mt-2 text-slate-600">
            {data.sites.length} sites with EPDIs ({data.pixels}×{data.pixels} px, range {num(data.rangeEv[0], 2)} to {num(data.rangeEv[1], 2)} eV):{' '}
            {data.labelledMinima} labelled minima, {data.labelledSaddles} labelled saddles, {data.unlabelledSaddles} saddles to predict,{' '}
            {data.unlabelled} unlabelled sites in all.
          </p>
        )}
      </section>

      <section aria-labelledby="setup-heading" className="rounded border border-slate-200 bg-white p-4 text-sm">
        <h2 id="setup-heading" className="mb-3 text-lg font-semibold">
          Model and protocol
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Model type</span>
            <select value={type} onChange={(e) => chooseType(e.target.value as ModelType)} disabled={busy} className="rounded border border-slate-300 px-2 py-1">
              {TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Backbone (ImageNet weights)</span>
            <select
              value={backbone}
              onChange={(e) => {
                setBackbone(e.target.value);
                const b = registry?.backbones.find((x) => x.name === e.target.value);
                if (b) setInputSize(b.inputSize);
              }}
              disabled={busy || meta.backbone === 'none'}
              className="rounded border border-slate-300 px-2 py-1"
            >
              {registry?.backbones.map((b) => (
                <option key={b.name} value={b.name} disabled={!b.available}>
                  {b.name} ({b.featureDims}-d){b.available ? '' : ' — missing'}
                </option>
              ))}
            </select>
            {meta.backbone === 'optional' && (
              <span className="mt-1 flex items-center gap-1 text-xs">
                <input type="checkbox" checked={useBackboneInGp} onChange={(e) => setUseBackboneInGp(e.target.checked)} disabled={busy} id="gp-backbone" />
                <label htmlFor="gp-backbone">join pooled backbone features (PCA 8)</label>
              </span>
            )}
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Backbone input size (px)</span>
            <select value={inputSize} onChange={(e) => setInputSize(Number(e.target.value))} disabled={busy || meta.backbone === 'none'} className="rounded border border-slate-300 px-2 py-1">
              {[224, 160, 128, 96, 64].map((s) => (
                <option key={s} value={s}>
                  {s}
                  {s === (registry?.backbones.find((b) => b.name === backbone)?.inputSize ?? 224) ? ' (trained at)' : ''}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-xs text-slate-600">Protocol</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="protocol" checked={protocolKind === 'paper'} onChange={() => setProtocolKind('paper')} disabled={busy} />
              paper split: all minima +
              <select aria-label="Fraction of saddles in training" value={fraction} onChange={(e) => setFraction(Number(e.target.value))} disabled={busy} className="rounded border border-slate-300 px-1">
                {[0.2, 0.33, 0.5].map((f) => (
                  <option key={f} value={f}>
                    {Math.round(f * 100)}%
                  </option>
                ))}
              </select>
              of saddles
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="protocol" checked={protocolKind === 'kfold'} onChange={() => setProtocolKind('kfold')} disabled={busy} />
              k-fold CV, k =
              <input aria-label="k" type="number" min={2} max={20} value={k} onChange={(e) => setK(Number(e.target.value))} disabled={busy} className="w-14 rounded border border-slate-300 px-1" />
            </label>
          </fieldset>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Repeats (paper split)</span>
            <input type="number" min={1} max={50} value={repeats} onChange={(e) => setRepeats(Number(e.target.value))} disabled={busy || protocolKind !== 'paper'} className="rounded border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Seed</span>
            <input type="number" value={seed} onChange={(e) => setSeed(Number(e.target.value))} disabled={busy} className="rounded border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Epochs</span>
            <input type="number" min={1} max={2000} value={epochs} onChange={(e) => setEpochs(Number(e.target.value))} disabled={busy || !meta.iterative} className="rounded border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Learning rate</span>
            <input type="number" step="any" min={1e-6} max={1} value={learningRate} onChange={(e) => setLearningRate(Number(e.target.value))} disabled={busy || !meta.iterative} className="rounded border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex items-start gap-2">
            <input type="checkbox" checked={anchored} onChange={(e) => setAnchored(e.target.checked)} disabled={busy} className="mt-1" />
            <span>
              Anchor saddles on their end minima
              <span className="block text-xs text-slate-600">learn E_b(saddle) − mean E_b of the two minima it joins</span>
            </span>
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-xs text-slate-600">Extra inputs</legend>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={extras.mep} onChange={(e) => setExtras({ ...extras, mep: e.target.checked })} disabled={busy || type === 'mep-linear' || type === 'descriptor-gp'} />
              MEP
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={extras.kind} onChange={(e) => setExtras({ ...extras, kind: e.target.checked })} disabled={busy || type === 'mep-linear' || type === 'descriptor-gp'} />
              site kind
            </label>
          </fieldset>
        </div>
        {registry && registry.problems.length > 0 && (
          <details className="mt-3 text-xs text-amber-800">
            <summary>Weights: {registry.backbones.filter((b) => b.available).length} backbone(s) present in {registry.directory}; notes</summary>
            <ul className="list-disc pl-5">
              {registry.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </details>
        )}
        <div className="mt-4 flex items-center gap-3">
          <button
            type="button"
            onClick={() => void train()}
            disabled={busy || (meta.backbone === 'required' && !registry?.backbones.find((b) => b.name === backbone)?.available)}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            Train
          </button>
          {SERVER_TYPES.includes(type) && !(type === 'descriptor-gp' && useBackboneInGp) && (
            <button type="button" onClick={() => void trainOnServer()} disabled={busy} className="rounded border border-slate-300 px-4 py-2 disabled:opacity-50">
              Train on the server
            </button>
          )}
          <button type="button" onClick={() => void cancel()} disabled={running !== 'train'} className="rounded border border-slate-300 px-4 py-2 disabled:opacity-50">
            Cancel
          </button>
          <p role="status" aria-live="polite" className="text-slate-700">
            {status}
          </p>
        </div>
        {bar && (
          <div className="mt-2">
            <progress aria-label={bar.label} value={bar.value} max={bar.max} className="w-full" />
            <span className="text-xs text-slate-600">{bar.label}</span>
          </div>
        )}
        {error && (
          <p role="alert" className="mt-2 rounded border border-red-200 bg-red-50 p-2 text-red-800">
            {error}
          </p>
        )}
      </section>

      {(meta.iterative || losses.length > 0) && (running === 'train' || losses.length > 0) && (
        <section aria-labelledby="loss-heading" className="rounded border border-slate-200 bg-white p-4">
          <h2 id="loss-heading" className="mb-2 text-lg font-semibold">
            Loss
          </h2>
          <LossChart points={losses} epochs={epochTotal} />
        </section>
      )}
      {!meta.iterative && running === 'train' && (
        <p className="text-sm text-slate-600">This model is fitted in closed form (no epochs, so no loss curve).</p>
      )}

      {outcome && (
        <section aria-labelledby="results-heading" className="space-y-4 rounded border border-slate-200 bg-white p-4 text-sm">
          <h2 id="results-heading" className="text-lg font-semibold">
            How good is it?
          </h2>
          {outcome.comparison ? (
            <>
              <p className="text-slate-600">
                {outcome.comparison.description}; {outcome.comparison.splits} splits; {outcome.comparison.nLabelled} labelled sites ({outcome.comparison.nSaddles} saddles); seed{' '}
                {outcome.comparison.seed}. Every model ran on the same splits.
              </p>
              <table aria-label="Comparison" className="w-full border border-slate-200">
                <thead className="bg-slate-100 text-left text-slate-600">
                  <tr>
                    <th className="px-3 py-1">Model</th>
                    <th className="px-3 py-1">Test MAE (meV)</th>
                    <th className="px-3 py-1">RMSE (meV)</th>
                    <th className="px-3 py-1">R²</th>
                    <th className="px-3 py-1">90% coverage</th>
                    <th className="px-3 py-1">Time (s)</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.comparison.results.map((r) => (
                    <tr key={r.model} className={`border-t border-slate-100 ${r.model === outcome.comparison!.best ? 'bg-emerald-50 font-medium' : ''}`}>
                      <td className="px-3 py-1">
                        {r.model}
                        {r.model === outcome.model ? ' (yours)' : ''}
                        {r.model === outcome.comparison!.best ? ' — best' : ''}
                      </td>
                      {r.error ? (
                        <td className="px-3 py-1 text-red-700" colSpan={5}>
                          failed: {r.error}
                        </td>
                      ) : (
                        <>
                          <td className="px-3 py-1">
                            {meV(r.maeEv.mean)} ± {meV(r.maeEv.std)}
                          </td>
                          <td className="px-3 py-1">{meV(r.rmseEv.mean)}</td>
                          <td className="px-3 py-1">{num(r.r2.mean)}</td>
                          <td className="px-3 py-1">{r.coverage90 === undefined ? '—' : num(r.coverage90, 2)}</td>
                          <td className="px-3 py-1">{num(r.fitSeconds, 1)}</td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="grid gap-4 md:grid-cols-2">
                {outcome.parity.length > 0 && <ParityChart points={outcome.parity} model={outcome.model} />}
                {calibration.length > 0 ? (
                  <CalibrationChart curves={calibration} />
                ) : (
                  <p className="text-slate-600">No model here gives σ, so there is no calibration figure.</p>
                )}
              </div>
            </>
          ) : (
            <p className="text-slate-600">Not evaluated: the paper split needs at least 2 labelled saddles (use k-fold).</p>
          )}
          <div>
            <h3 className="font-semibold">Compute these next</h3>
            {outcome.next.length === 0 ? (
              <p className="text-slate-600">Every saddle of this dataset is labelled, itself or through a symmetry twin.</p>
            ) : (
              <>
                <p className="text-xs text-slate-600">
                  Unlabelled saddles (one per symmetry group, none with a labelled twin) with the largest predictive σ ({outcome.nextRankedBy === outcome.model ? outcome.model : `${outcome.nextRankedBy}, since ${outcome.model} gives no σ`}): an NEB there
                  teaches the model most. To rank them instead by how much each may move the surface&apos;s percolating barrier,
                  predict and store below, then open the profiles page (&quot;Saddles to compute next&quot;).
                </p>
                <table aria-label="Compute these next" className="mt-1 w-full border border-slate-200">
                  <thead className="bg-slate-100 text-left text-slate-600">
                    <tr>
                      <th className="px-3 py-1">#</th>
                      <th className="px-3 py-1">Site</th>
                      <th className="px-3 py-1">Predicted E_b (eV)</th>
                      <th className="px-3 py-1">σ (eV)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {outcome.next.map((p, i) => (
                      <tr key={p.id} className="border-t border-slate-100">
                        <td className="px-3 py-1">{i + 1}</td>
                        <td className="px-3 py-1">{siteLabel(p.id)}</td>
                        <td className="px-3 py-1">{num(p.meanEv)}</td>
                        <td className="px-3 py-1">{num(p.sigmaEv)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        </section>
      )}

      <section aria-labelledby="model-heading" className="space-y-3 rounded border border-slate-200 bg-white p-4 text-sm">
        <h2 id="model-heading" className="text-lg font-semibold">
          Model
        </h2>
        <p>
          {current ? (
            <>
              In hand: <strong>{current.name}</strong> ({current.source}
              {current.serverId ? ', saved on the server' : ''}) · {(current.zip.byteLength / 1024).toFixed(1)} KiB
            </>
          ) : (
            'No model yet: train one or load a saved one.'
          )}
        </p>
        <div className="flex flex-wrap gap-2">
          <button type="button" disabled={!current || busy || !!current.serverId} onClick={() => void act('save', async () => void (await saveToServer()))} className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50">
            Save to server
          </button>
          <button
            type="button"
            disabled={!current || busy}
            onClick={() =>
              void act('local', async () => {
                await saveLocalModel({ datasetId, name: current!.name, metrics: current!.metrics, zip: current!.zip });
                refreshLocal();
                setStatus(`saved ${current!.name} in this browser`);
              })
            }
            className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
          >
            Save in browser
          </button>
          <button type="button" disabled={!current} onClick={() => current && download(current.zip, current.name)} className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50">
            Export zip
          </button>
          <button type="button" disabled={!current || busy} onClick={() => void predictAndStore()} className="rounded bg-emerald-600 px-3 py-1 font-medium text-white disabled:opacity-50">
            Predict unlabelled sites and store
          </button>
        </div>
        {stored && (
          <p className="text-emerald-800">
            Stored {stored.count} predictions for the unlabelled sites.{' '}
            <Link href={`/datasets/${datasetId}/profiles?model=${stored.modelId}`} className="text-indigo-700 hover:underline">
              See the profiles with them
            </Link>
          </p>
        )}
        <div className="grid gap-4 md:grid-cols-3">
          <div className="flex items-end gap-2">
            <label className="flex min-w-0 flex-1 flex-col">
              <span className="text-xs text-slate-600">Saved on the server</span>
              <select value={chosenServer} onChange={(e) => setChosenServer(e.target.value)} className="w-full min-w-0 rounded border border-slate-300 px-2 py-1">
                <option value="">—</option>
                {models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} · MAE {meV(m.metrics.maeEv)} meV · {new Date(m.createdAt).toLocaleString()}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={!chosenServer || busy}
              onClick={() =>
                void act('load', async () => {
                  const res = await fetch(`/api/models/${chosenServer}/export`);
                  if (!res.ok) throw new Error(await apiError(res));
                  const m = models.find((x) => x.id === chosenServer);
                  await restore(new Uint8Array(await res.arrayBuffer()), 'server', chosenServer, m?.name ?? '');
                })
              }
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
            >
              Load
            </button>
          </div>
          <div className="flex items-end gap-2">
            <label className="flex min-w-0 flex-1 flex-col">
              <span className="text-xs text-slate-600">Saved in this browser</span>
              <select value={chosenLocal} onChange={(e) => setChosenLocal(e.target.value)} className="w-full min-w-0 rounded border border-slate-300 px-2 py-1">
                <option value="">—</option>
                {localModels.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} · {new Date(m.savedAt).toLocaleString()}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={!chosenLocal || busy}
              onClick={() =>
                void act('load', async () => {
                  const m = localModels.find((x) => x.id === chosenLocal)!;
                  await restore(m.zip, 'browser', null, m.name);
                })
              }
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
            >
              Load
            </button>
            <button
              type="button"
              aria-label="Delete from browser"
              disabled={!chosenLocal || busy}
              onClick={() => void deleteLocalModel(chosenLocal).then(() => (setChosenLocal(''), refreshLocal()))}
              className="rounded border border-slate-300 px-2 py-1 disabled:opacity-50"
            >
              ✕
            </button>
          </div>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Load a zip file</span>
            <input
              type="file"
              accept=".zip,application/zip"
              disabled={busy}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void act('load', async () => restore(new Uint8Array(await f.arrayBuffer()), 'file', null, f.name.replace(/\.zip$/, '')));
              }}
              className="text-xs"
            />
          </label>
        </div>
      </section>
    </div>
  );
}
