'use client';

import { useMemo, useState } from 'react';
import { DefaultModelButton } from './DefaultModelButton';
import { LossChart } from './TrainingCharts';
import { TrainingComparison } from './TrainingComparison';
import { TrainingEngineSection } from './TrainingEngineSection';
import { TrainingModelControls } from './TrainingModelControls';
import { TrainingModelSection } from './TrainingModelSection';
import { TrainingNewSurfaceTable } from './TrainingNewSurfaceTable';
import { TrainingNextList } from './TrainingNextList';
import { TrainingProtocolFields } from './TrainingProtocolFields';
import { TrainingWarnings } from './TrainingWarnings';
import { apiError } from './training-api';
import {
  buildSpec,
  classicProtocol,
  DEFAULT_SETTINGS,
  isNewSurface,
  modelTypeInfo,
  serverFittable,
  type ServerModel,
  type TrainingSettings,
} from './training-config';
import type { WorkerReply } from './training-protocol';
import { useModelLibrary } from './useModelLibrary';
import { useNewSurface } from './useNewSurface';
import { useTrainingEngine } from './useTrainingEngine';
import { useTrainingRun } from './useTrainingRun';

export type { ServerModel } from './training-config';

/**
 * Training in the browser: pick a model and a protocol; the classic splits train on WebGL (falling back to wasm/cpu)
 * in a Web Worker with live losses and cancel, then compare against the baselines on the same splits; the
 * new-surface protocols (leave one surface out, leave one dopant out, train/test, k = 0..3 shots) run on the server
 * with the same table as `epdi evaluate`. Then saving (versioned names), loading, exporting and predicting.
 */
export function TrainingPanel({ datasetId, initialModels }: { datasetId: string; initialModels: ServerModel[] }) {
  const [chosen, setSettings] = useState<TrainingSettings>(DEFAULT_SETTINGS);
  const update = (patch: Partial<TrainingSettings>) => setSettings((s) => ({ ...s, ...patch }));
  const engine = useTrainingEngine(datasetId);
  const library = useModelLibrary(datasetId, initialModels, engine.getClient);
  const run = useTrainingRun(datasetId, engine);
  const newSurface = useNewSurface(datasetId);
  const [action, setAction] = useState<string | null>(null);
  const [stored, setStored] = useState<{ modelId: string; count: number } | null>(null);
  const { data, registry, setStatus, setError } = engine;
  // Until a backbone is chosen, the first one present on the server.
  const firstBackbone = registry?.backbones.find((b) => b.available);
  const settings: TrainingSettings =
    chosen.backbone || !firstBackbone
      ? chosen
      : { ...chosen, backbone: firstBackbone.name, inputSize: firstBackbone.inputSize };

  const meta = modelTypeInfo(settings.type);
  const sites = useMemo(() => new Map((data?.sites ?? []).map((s) => [s.id, s])), [data]);
  const surfaces = useMemo(() => {
    const out = new Map<string, string | null>();
    for (const s of data?.sites ?? []) if (s.eBindingEv !== null) out.set(s.surface, s.dopant);
    return [...out].sort().map(([name, dopant]) => ({ name, dopant }));
  }, [data]);
  const busy = action !== null || run.running || newSurface.running || engine.switching || !data;
  const spec = buildSpec(settings, data?.pixels ?? 32);
  const newSurfaceProtocol = isNewSurface(settings.protocol);
  const backboneMissing =
    meta.backbone === 'required' && !registry?.backbones.find((b) => b.name === settings.backbone)?.available;
  const trainTestIncomplete =
    settings.protocol === 'train-test' && (!settings.trainSurfaces.length || !settings.testSurfaces.length);
  const paperWithoutSaddles = settings.protocol === 'paper' && (data?.labelledSaddles ?? 0) < 2;

  const act = async (label: string, fn: () => Promise<void>) => {
    setError(null);
    setAction(label);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setAction(null);
    }
  };

  const train = async () => {
    setStored(null);
    if (newSurfaceProtocol) void newSurface.run(settings, serverFittable(spec) ? spec : null);
    const protocol = paperWithoutSaddles ? null : classicProtocol(settings);
    const model = await run.train(spec, protocol, settings.seed, meta.iterative ? settings.epochs : 0);
    if (model) library.setCurrent(model);
  };

  const trainOnServer = async () => {
    const r = await run.trainOnServer(spec, paperWithoutSaddles ? null : classicProtocol(settings), settings.seed);
    if (r) {
      setStored({ modelId: r.modelId, count: r.predictions });
      await library.refreshServer();
    }
  };

  const trainedIn = `browser (${engine.backend?.where ?? 'worker'})`;
  const predictAndStore = () =>
    act('predict', async () => {
      const client = engine.getClient();
      if (!client) throw new Error('the training engine is not running');
      const id = await library.saveToServer(trainedIn, engine.backend?.backend);
      if (!id) return;
      setStatus('predicting every unlabelled site…');
      const r = (await client.request({ type: 'predict' })) as Extract<WorkerReply, { type: 'predicted' }>;
      const body = r.predictions.map((p) => ({ siteId: p.id, valueEv: p.meanEv, sigmaEv: p.sigmaEv ?? null }));
      const res = await fetch(`/api/models/${id}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(await apiError(res));
      const { stored: count } = (await res.json()) as { stored: number };
      setStored({ modelId: id, count });
      setStatus(`stored ${count} predictions (computed in ${r.seconds.toFixed(2)} s)`);
      await library.refreshServer();
    });

  const siteLabel = (id: string) => {
    const s = sites.get(id);
    return s ? `${s.surface} · ${s.name}` : id;
  };
  const outcome = run.outcome;

  return (
    <div className="space-y-6">
      <TrainingEngineSection engine={engine} busy={busy} />

      <section
        aria-labelledby="setup-heading"
        className="space-y-4 rounded border border-slate-200 bg-white p-4 text-sm"
      >
        <h2 id="setup-heading" className="text-lg font-semibold">
          Model and protocol
        </h2>
        <TrainingModelControls settings={settings} update={update} registry={registry} busy={busy} />
        <TrainingProtocolFields settings={settings} update={update} surfaces={surfaces} busy={busy} />
        {newSurfaceProtocol && (
          <p className="text-xs text-slate-600">
            The new-surface table runs on the server (closed-form models, the site-relative ablation and the constants,
            as <code>epdi evaluate --protocol loso</code>)
            {serverFittable(spec)
              ? ', your model included'
              : `; ${spec.type} runs in the browser only and is not in it`}
            . Train also fits your model on every labelled site here.
          </p>
        )}
        {paperWithoutSaddles && (
          <TrainingWarnings
            warnings={[
              `the paper split needs at least 2 labelled saddles, this dataset has ${data?.labelledSaddles ?? 0}: the model is trained but not evaluated (use k-fold, or label more saddles)`,
            ]}
          />
        )}
        {registry && registry.problems.length > 0 && (
          <details className="text-xs text-amber-800">
            <summary>
              Weights: {registry.backbones.filter((b) => b.available).length} backbone(s) present in{' '}
              {registry.directory}; notes
            </summary>
            <ul className="list-disc pl-5">
              {registry.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </details>
        )}
        <div className="flex items-center gap-3">
          <button
            type="button"
            onClick={() => void train()}
            disabled={busy || backboneMissing || trainTestIncomplete}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            Train
          </button>
          {serverFittable(spec) && (
            <button
              type="button"
              onClick={() => void trainOnServer()}
              disabled={busy}
              className="rounded border border-slate-300 px-4 py-2 disabled:opacity-50"
            >
              Train on the server
            </button>
          )}
          <button
            type="button"
            onClick={() => void run.cancel()}
            disabled={!run.running}
            className="rounded border border-slate-300 px-4 py-2 disabled:opacity-50"
          >
            Cancel
          </button>
          <p role="status" aria-live="polite" className="text-slate-700">
            {engine.status}
          </p>
        </div>
        <DefaultModelButton datasetId={datasetId} busy={busy} onDone={library.refreshServer} />
        {run.bar && (
          <div>
            <progress aria-label={run.bar.label} value={run.bar.value} max={run.bar.max} className="w-full" />
            <span className="text-xs text-slate-600">{run.bar.label}</span>
          </div>
        )}
        {engine.error && (
          <p role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-red-800">
            {engine.error}
          </p>
        )}
      </section>

      {meta.iterative && (run.running || run.losses.length > 0) && (
        <section aria-labelledby="loss-heading" className="rounded border border-slate-200 bg-white p-4">
          <h2 id="loss-heading" className="mb-2 text-lg font-semibold">
            Loss
          </h2>
          <LossChart points={run.losses} epochs={run.epochTotal} />
        </section>
      )}

      {(newSurface.running || newSurface.table || newSurface.error) && (
        <section
          aria-labelledby="new-surface-heading"
          className="space-y-2 rounded border border-slate-200 bg-white p-4 text-sm"
        >
          <h2 id="new-surface-heading" className="text-lg font-semibold">
            How good is it on a surface nobody has computed?
          </h2>
          {newSurface.status && <p className="text-slate-600">{newSurface.status}</p>}
          {newSurface.error && (
            <p role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-red-800">
              {newSurface.error}
            </p>
          )}
          {newSurface.table && <TrainingNewSurfaceTable table={newSurface.table} />}
        </section>
      )}

      {outcome && (
        <section
          aria-labelledby="results-heading"
          className="space-y-4 rounded border border-slate-200 bg-white p-4 text-sm"
        >
          <h2 id="results-heading" className="text-lg font-semibold">
            How good is it?
          </h2>
          {outcome.comparison ? (
            <TrainingComparison
              comparison={outcome.comparison}
              model={outcome.model}
              fitSeconds={outcome.fitSeconds}
              parity={outcome.parity}
              warnings={outcome.sampleWarnings}
            />
          ) : (
            <p className="text-slate-600">
              {newSurfaceProtocol
                ? 'Evaluated on new surfaces (the table above); no split of this dataset was run.'
                : 'Not evaluated: the paper split needs at least 2 labelled saddles (use k-fold).'}
            </p>
          )}
          <TrainingNextList
            next={outcome.next}
            ties={outcome.nextTies}
            model={outcome.model}
            rankedBy={outcome.nextRankedBy}
            siteLabel={siteLabel}
          />
        </section>
      )}

      <TrainingModelSection
        datasetId={datasetId}
        library={library}
        busy={busy}
        act={act}
        save={() => library.saveToServer(trainedIn, engine.backend?.backend)}
        predictAndStore={predictAndStore}
        stored={stored}
        setStatus={setStatus}
      />
    </div>
  );
}
