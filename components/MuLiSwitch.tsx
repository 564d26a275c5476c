'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { MU_LI_KINDS } from '@/lib/profile/binding';
import { MU_LI_KIND_TEXT } from '@/lib/pipeline/mu-li';

/** Switch the dataset's mu_Li reference (PATCH /api/datasets/[id]); every binding energy is recomputed. */
export function MuLiSwitch({
  datasetId,
  reference,
  muLiEv,
  description,
}: {
  datasetId: string;
  reference: string;
  muLiEv: number | null;
  /** The dataset's mu_Li record in words (lib/pipeline `describeMuLi`), the same on every page and export. */
  description: string;
}) {
  const router = useRouter();
  const [kind, setKind] = useState(reference);
  const [value, setValue] = useState(muLiEv === null ? '' : String(Number(muLiEv.toFixed(6))));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    const mu = Number(value);
    if (value.trim() === '' || !Number.isFinite(mu)) {
      setStatus({ ok: false, text: 'μ_Li must be a number in eV' });
      return;
    }
    setBusy(true);
    const res = await fetch(`/api/datasets/${datasetId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ muLiReference: kind, muLiEv: mu }),
    });
    setBusy(false);
    const body = (await res.json().catch(() => null)) as { message?: string; error?: { message: string } } | null;
    if (!res.ok) {
      setStatus({ ok: false, text: body?.error?.message ?? `HTTP ${res.status}` });
      return;
    }
    setStatus({ ok: true, text: body?.message ?? 'recomputed' });
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 text-sm" aria-label="mu_Li reference">
      <p className="basis-full text-xs text-slate-600" data-testid="mu-li">
        μ<sub>Li</sub>: {description}
      </p>
      <label className="flex flex-col">
        <span className="text-xs text-slate-600">μ_Li reference</span>
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          className="rounded border border-slate-300 px-2 py-1"
        >
          {MU_LI_KINDS.map((k) => (
            <option key={k} value={k}>
              {MU_LI_KIND_TEXT[k]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-600">μ_Li (eV)</span>
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          inputMode="decimal"
          className="w-32 rounded border border-slate-300 px-2 py-1 font-mono"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50 disabled:opacity-50"
      >
        {busy ? 'Recomputing…' : 'Recompute binding energies'}
      </button>
      {status && (
        <p
          role={status.ok ? 'status' : 'alert'}
          className={`basis-full text-xs ${status.ok ? 'text-slate-600' : 'text-red-700'}`}
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
