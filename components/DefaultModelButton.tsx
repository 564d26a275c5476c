'use client';

import { useState } from 'react';
import { runJob } from './training-api';

interface DefaultModelResult {
  model: string;
  predictions: number;
  chosenBy: string;
  chosenFrom: { model: string; maeEv: number }[];
}

/**
 * "Choose the default model": the server compares the closed-form and site-relative models (leave one surface out
 * with 3 or more labelled surfaces, else the paper split) and stores the best with its predictions; every later
 * upload or re-extraction refits it, so a new surface is predicted at once. The panel only shows the outcome.
 */
export function DefaultModelButton({
  datasetId,
  busy,
  onDone,
}: {
  datasetId: string;
  busy: boolean;
  onDone: () => Promise<void>;
}) {
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState(false);
  const choose = async () => {
    setRunning(true);
    setStatus('choosing the default model…');
    try {
      const r = await runJob<DefaultModelResult>(`/api/datasets/${datasetId}/models/default`, {}, (m) =>
        setStatus(`server: ${m}`),
      );
      const best = r.chosenFrom.find((c) => c.model === r.model);
      setStatus(
        `default model: ${r.model}${best ? ` (${(best.maeEv * 1000).toFixed(1)} meV, ${r.chosenBy})` : ''}; ` +
          `${r.predictions} predictions stored; refitted after every upload`,
      );
      await onDone();
    } catch (e) {
      setStatus(`no default model: ${(e as Error).message}`);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        onClick={() => void choose()}
        disabled={busy || running}
        className="rounded border border-slate-300 px-4 py-2 disabled:opacity-50"
      >
        Choose the default model
      </button>
      <p aria-live="polite" className="text-sm text-slate-700">
        {status}
      </p>
    </div>
  );
}
