'use client';

import { PROTOCOLS, type TrainingSettings } from './training-config';

interface Props {
  settings: TrainingSettings;
  update: (patch: Partial<TrainingSettings>) => void;
  /** Labelled surfaces of the dataset (names) with their dopant, for the new-surface protocols. */
  surfaces: { name: string; dopant: string | null }[];
  busy: boolean;
}

const field = 'rounded border border-slate-300 px-1';

function SurfacePicker({
  legend,
  chosen,
  surfaces,
  onChange,
  busy,
}: {
  legend: string;
  chosen: string[];
  surfaces: Props['surfaces'];
  onChange: (v: string[]) => void;
  busy: boolean;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-xs text-slate-600">{legend}</legend>
      {surfaces.map((s) => (
        <label key={s.name} className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={chosen.includes(s.name)}
            disabled={busy}
            onChange={(e) => onChange(e.target.checked ? [...chosen, s.name] : chosen.filter((x) => x !== s.name))}
          />
          {s.name}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The protocol: the paper split and k-fold (one dataset, in the browser), or a new-surface protocol (leave one
 * surface out, leave one dopant out, train on some surfaces and test on others) with k = 0..3 DFT labels of each test
 * surface in training, run on the server with the same table as `epdi evaluate`.
 */
export function TrainingProtocolFields({ settings: s, update, surfaces, busy }: Props) {
  return (
    <fieldset className="grid gap-4 md:grid-cols-3">
      <legend className="sr-only">Protocol</legend>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-xs text-slate-600">Protocol</legend>
        {PROTOCOLS.map((p) => (
          <label key={p.kind} className="flex items-center gap-2">
            <input
              type="radio"
              name="protocol"
              checked={s.protocol === p.kind}
              onChange={() => update({ protocol: p.kind })}
              disabled={busy}
            />
            {p.label}
          </label>
        ))}
      </fieldset>
      {s.protocol === 'paper' && (
        <div className="flex flex-col gap-2">
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Fraction of saddles in training</span>
            <select
              value={s.fraction}
              onChange={(e) => update({ fraction: Number(e.target.value) })}
              disabled={busy}
              className={field}
            >
              {[0.2, 0.33, 0.5].map((f) => (
                <option key={f} value={f}>
                  {Math.round(f * 100)}%
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Repeats</span>
            <input
              type="number"
              min={1}
              max={50}
              value={s.repeats}
              onChange={(e) => update({ repeats: Number(e.target.value) })}
              disabled={busy}
              className={field}
            />
          </label>
        </div>
      )}
      {s.protocol === 'kfold' && (
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Folds (k)</span>
          <input
            type="number"
            min={2}
            max={20}
            value={s.k}
            onChange={(e) => update({ k: Number(e.target.value) })}
            disabled={busy}
            className={field}
          />
        </label>
      )}
      {s.protocol !== 'paper' && s.protocol !== 'kfold' && (
        <fieldset className="flex flex-col gap-1">
          <legend className="text-xs text-slate-600">
            DFT labels of each test surface in training (its lowest minima)
          </legend>
          {[0, 1, 2, 3].map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={s.shots.includes(k)}
                disabled={busy}
                onChange={(e) =>
                  update({ shots: (e.target.checked ? [...s.shots, k] : s.shots.filter((x) => x !== k)).sort() })
                }
              />
              k = {k}
            </label>
          ))}
        </fieldset>
      )}
      {s.protocol === 'train-test' && (
        <div className="flex gap-6">
          <SurfacePicker
            legend="Train on"
            chosen={s.trainSurfaces}
            surfaces={surfaces.filter((x) => !s.testSurfaces.includes(x.name))}
            onChange={(v) => update({ trainSurfaces: v })}
            busy={busy}
          />
          <SurfacePicker
            legend="Test on"
            chosen={s.testSurfaces}
            surfaces={surfaces.filter((x) => !s.trainSurfaces.includes(x.name))}
            onChange={(v) => update({ testSurfaces: v })}
            busy={busy}
          />
        </div>
      )}
      <label className="flex flex-col">
        <span className="text-xs text-slate-600">Seed</span>
        <input
          type="number"
          value={s.seed}
          onChange={(e) => update({ seed: Number(e.target.value) })}
          disabled={busy}
          className={field}
        />
      </label>
    </fieldset>
  );
}
