'use client';

import type { ModelType } from '@/lib/ml/models';
import { FEATURE_GROUPS, type FeatureGroup } from '@/lib/ml/site-features';
import {
  ITERATIVE_DEFAULTS,
  MODEL_TYPES,
  modelTypeInfo,
  type Registry,
  type TrainingSettings,
} from './training-config';

interface Props {
  settings: TrainingSettings;
  update: (patch: Partial<TrainingSettings>) => void;
  registry: Registry | null;
  busy: boolean;
}

const field = 'rounded border border-slate-300 px-2 py-1';

const GROUP_TEXT: Record<FeatureGroup, string> = {
  kind: 'site kind',
  host: 'host levels (acceptor, Fermi)',
  potential: 'potential along the hop',
  geometry: 'dopant and X-layer geometry',
  epdi: 'EPDI shape descriptors',
};

/**
 * The model type and the controls of the chosen type only: a backbone and its input size for backbone models, epochs
 * and learning rate for models trained by epochs, extra inputs where the model takes them. Closed-form models show
 * no epochs or learning rate (they have none).
 */
export function TrainingModelControls({ settings: s, update, registry, busy }: Props) {
  const meta = modelTypeInfo(s.type);
  const chosen = registry?.backbones.find((b) => b.name === s.backbone);
  const chooseType = (t: ModelType) => {
    const d = ITERATIVE_DEFAULTS[t];
    update({ type: t, ...(d ? { epochs: d.epochs, learningRate: d.learningRate } : {}) });
  };
  return (
    <fieldset className="grid gap-4 md:grid-cols-3">
      <legend className="sr-only">Model</legend>
      <label className="flex flex-col">
        <span className="text-xs text-slate-600">Model type</span>
        <select
          value={s.type}
          onChange={(e) => chooseType(e.target.value as ModelType)}
          disabled={busy}
          className={field}
        >
          {MODEL_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
        <span className="mt-1 text-xs text-slate-600">
          {meta.iterative ? 'trained by epochs (loss curve below)' : 'closed-form fit: no epochs, no learning rate'}
        </span>
      </label>
      {meta.backbone !== 'none' && (
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Backbone (ImageNet weights)</span>
          <select
            value={s.backbone}
            onChange={(e) =>
              update({
                backbone: e.target.value,
                inputSize: registry?.backbones.find((x) => x.name === e.target.value)?.inputSize ?? s.inputSize,
              })
            }
            disabled={busy || (meta.backbone === 'optional' && !s.useBackboneInGp)}
            className={field}
          >
            {registry?.backbones.map((b) => (
              <option key={b.name} value={b.name} disabled={!b.available}>
                {b.name} ({b.featureDims}-d){b.available ? '' : ' — missing'}
              </option>
            ))}
          </select>
          {meta.backbone === 'optional' && (
            <span className="mt-1 flex items-center gap-1 text-xs">
              <input
                type="checkbox"
                checked={s.useBackboneInGp}
                onChange={(e) => update({ useBackboneInGp: e.target.checked })}
                disabled={busy}
                id="gp-backbone"
              />
              <label htmlFor="gp-backbone">join pooled backbone features (PCA 8)</label>
            </span>
          )}
        </label>
      )}
      {(meta.backbone === 'required' || (meta.backbone === 'optional' && s.useBackboneInGp)) && (
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Backbone input size (px)</span>
          <select
            value={s.inputSize}
            onChange={(e) => update({ inputSize: Number(e.target.value) })}
            disabled={busy}
            className={field}
          >
            {[224, 160, 128, 96, 64].map((size) => (
              <option key={size} value={size}>
                {size}
                {size === (chosen?.inputSize ?? 224) ? ' (trained at)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {meta.iterative && (
        <>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Epochs</span>
            <input
              type="number"
              min={1}
              max={2000}
              value={s.epochs}
              onChange={(e) => update({ epochs: Number(e.target.value) })}
              disabled={busy}
              className={field}
            />
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Ensemble members</span>
            <input
              type="number"
              min={1}
              max={10}
              value={s.ensemble}
              onChange={(e) => update({ ensemble: Math.max(1, Math.min(10, Math.round(Number(e.target.value)) || 1)) })}
              disabled={busy}
              className={field}
            />
            <span className="mt-1 text-xs text-slate-600">
              σ = spread of the members (1: no σ); each member trains in turn
            </span>
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-600">Learning rate</span>
            <input
              type="number"
              step="any"
              min={1e-6}
              max={1}
              value={s.learningRate}
              onChange={(e) => update({ learningRate: Number(e.target.value) })}
              disabled={busy}
              className={field}
            />
          </label>
        </>
      )}
      {s.type === 'site-relative' && (
        <fieldset className="flex flex-col gap-1">
          <legend className="text-xs text-slate-600">Feature groups</legend>
          {FEATURE_GROUPS.map((g) => (
            <label key={g} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={s.groups.includes(g)}
                onChange={(e) =>
                  update({
                    groups: e.target.checked
                      ? FEATURE_GROUPS.filter((x) => x === g || s.groups.includes(x))
                      : s.groups.filter((x): x is FeatureGroup => x !== g),
                  })
                }
                disabled={busy}
              />
              {GROUP_TEXT[g]}
            </label>
          ))}
        </fieldset>
      )}
      {s.type !== 'site-relative' && (
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            checked={s.anchored}
            onChange={(e) => update({ anchored: e.target.checked })}
            disabled={busy}
            className="mt-1"
          />
          <span>
            Anchor saddles on their end minima
            <span className="block text-xs text-slate-600">
              learn E_b(saddle) − mean E_b of the two minima it joins
            </span>
          </span>
        </label>
      )}
      {meta.extras && (
        <fieldset className="flex flex-col gap-1">
          <legend className="text-xs text-slate-600">Extra inputs</legend>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={s.extras.mep}
              onChange={(e) => update({ extras: { ...s.extras, mep: e.target.checked } })}
              disabled={busy}
            />
            MEP
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={s.extras.kind}
              onChange={(e) => update({ extras: { ...s.extras, kind: e.target.checked } })}
              disabled={busy}
            />
            site kind
          </label>
        </fieldset>
      )}
    </fieldset>
  );
}
