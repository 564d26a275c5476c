'use client';

import { formatFixed } from '@/lib/view/format';
import type { TrainingEngine } from './useTrainingEngine';

/** The tfjs backend in use, its fallback chain, the preference, and what the dataset holds. */
export function TrainingEngineSection({ engine, busy }: { engine: TrainingEngine; busy: boolean }) {
  const { backend, data } = engine;
  return (
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
              <span
                className={
                  c.status === 'used'
                    ? 'font-semibold text-emerald-700'
                    : c.status === 'failed'
                      ? 'text-red-700 line-through'
                      : ''
                }
              >
                {c.name}
              </span>
            </span>
          ))}
        </p>
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Backend preference</span>
          <select
            value={engine.chain}
            onChange={(e) => void engine.switchBackend(e.target.value)}
            disabled={busy}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="auto">auto: webgl → wasm → cpu</option>
            <option value="wasm">wasm → cpu</option>
            <option value="cpu">cpu only</option>
          </select>
        </label>
      </div>
      {data && (
        <p className="mt-2 text-slate-600">
          {data.sites.length} sites with EPDIs ({data.pixels}×{data.pixels} px, display range{' '}
          {formatFixed(data.rangeEv[0], 2)} to {formatFixed(data.rangeEv[1], 2)} eV; each model maps its own training
          inputs&apos; range): {data.labelledMinima} labelled minima, {data.labelledSaddles} labelled saddles,{' '}
          {data.unlabelledSaddles} saddles to predict, {data.unlabelled} unlabelled sites in all.
        </p>
      )}
    </section>
  );
}
