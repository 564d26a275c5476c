'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatMeV } from '@/lib/view/format';
import { formatDateTime } from '@/lib/view/time';
import { apiError, downloadZip } from './training-api';
import type { ModelLibrary } from './useModelLibrary';

interface Props {
  datasetId: string;
  library: ModelLibrary;
  busy: boolean;
  /** Runs an action with the panel's busy state and error display. */
  act: (label: string, fn: () => Promise<void>) => Promise<void>;
  save: () => Promise<string | null>;
  predictAndStore: () => Promise<void>;
  stored: { modelId: string; count: number } | null;
  setStatus: (s: string) => void;
}

const button = 'rounded border border-slate-300 px-3 py-1 disabled:opacity-50';

/** The model in hand: save (a taken name is versioned, "name v2"), export, predict and store; load saved ones. */
export function TrainingModelSection({
  datasetId,
  library,
  busy,
  act,
  save,
  predictAndStore,
  stored,
  setStatus,
}: Props) {
  const { current, serverModels, localModels } = library;
  const [chosenServer, setChosenServer] = useState('');
  const [chosenLocal, setChosenLocal] = useState('');
  return (
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
        <button
          type="button"
          disabled={!current || busy || !!current.serverId}
          onClick={() => void act('save', async () => void (await save()))}
          className={button}
        >
          Save to server
        </button>
        <button
          type="button"
          disabled={!current || busy}
          onClick={() =>
            void act('local', async () => {
              const name = await library.saveInBrowser();
              if (name) setStatus(`saved ${name} in this browser`);
            })
          }
          className={button}
        >
          Save in browser
        </button>
        <button
          type="button"
          disabled={!current}
          onClick={() => current && downloadZip(current.zip, current.name)}
          className={button}
        >
          Export zip
        </button>
        <button
          type="button"
          disabled={!current || busy}
          onClick={() => void predictAndStore()}
          className="rounded bg-emerald-600 px-3 py-1 font-medium text-white disabled:opacity-50"
        >
          Predict unlabelled sites and store
        </button>
      </div>
      {stored && (
        <p className="text-emerald-800">
          Stored {stored.count} predictions for the unlabelled sites.{' '}
          <Link
            href={`/datasets/${datasetId}/profiles?model=${stored.modelId}`}
            className="text-indigo-700 hover:underline"
          >
            See the profiles with them
          </Link>
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        <div className="flex items-end gap-2">
          <label className="flex min-w-0 flex-1 flex-col">
            <span className="text-xs text-slate-600">Saved on the server (dates UTC)</span>
            <select
              value={chosenServer}
              onChange={(e) => setChosenServer(e.target.value)}
              className="w-full min-w-0 rounded border border-slate-300 px-2 py-1"
            >
              <option value="">—</option>
              {serverModels.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} · MAE {formatMeV(typeof m.metrics.maeEv === 'number' ? m.metrics.maeEv : null, 1)} meV ·{' '}
                  {formatDateTime(m.createdAt)}
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
                const m = serverModels.find((x) => x.id === chosenServer);
                const info = await library.restore(
                  new Uint8Array(await res.arrayBuffer()),
                  'server',
                  chosenServer,
                  m?.name ?? '',
                );
                setStatus(`loaded ${info.model} (server), trained on ${info.nTrain} sites`);
              })
            }
            className={button}
          >
            Load
          </button>
        </div>
        <div className="flex items-end gap-2">
          <label className="flex min-w-0 flex-1 flex-col">
            <span className="text-xs text-slate-600">Saved in this browser (dates UTC)</span>
            <select
              value={chosenLocal}
              onChange={(e) => setChosenLocal(e.target.value)}
              className="w-full min-w-0 rounded border border-slate-300 px-2 py-1"
            >
              <option value="">—</option>
              {localModels.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} · {formatDateTime(m.savedAt)}
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
                const info = await library.restore(m.zip, 'browser', null, m.name);
                setStatus(`loaded ${info.model} (browser), trained on ${info.nTrain} sites`);
              })
            }
            className={button}
          >
            Load
          </button>
          <button
            type="button"
            aria-label="Delete from browser"
            disabled={!chosenLocal || busy}
            onClick={() => void library.deleteLocal(chosenLocal).then(() => setChosenLocal(''))}
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
              if (f)
                void act('load', async () => {
                  const info = await library.restore(
                    new Uint8Array(await f.arrayBuffer()),
                    'file',
                    null,
                    f.name.replace(/\.zip$/, ''),
                  );
                  setStatus(`loaded ${info.model} (file), trained on ${info.nTrain} sites`);
                });
            }}
            className="text-xs"
          />
        </label>
      </div>
    </section>
  );
}
