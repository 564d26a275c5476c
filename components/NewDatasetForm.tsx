'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Create a dataset: name, Li reference and extraction settings (defaults from ../shared/DESIGN.md). */
export function NewDatasetForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const num = (key: string) => Number(form.get(key));
    setBusy(true);
    setError(null);
    const res = await fetch('/api/datasets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: String(form.get('name') ?? ''),
        description: String(form.get('description') ?? ''),
        muLiReference: String(form.get('muLiReference')),
        muLiEv: form.get('muLiEv') === '' ? null : num('muLiEv'),
        settings: {
          heightA: num('heightA'),
          mepRadiusA: num('mepRadiusA'),
          windowA: num('windowA'),
          pixels: num('pixels'),
          colormap: String(form.get('colormap')),
        },
      }),
    });
    setBusy(false);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `could not create the dataset (HTTP ${res.status})`);
      return;
    }
    const { dataset } = (await res.json()) as { dataset: { id: string } };
    router.push(`/datasets/${dataset.id}`);
    router.refresh();
  }

  const field = 'mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm';
  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4 rounded border border-slate-200 bg-white p-6"
      aria-label="New dataset"
    >
      <h2 className="text-lg font-semibold">New dataset</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="text-sm">
          Name
          <input name="name" required maxLength={100} className={field} placeholder="e.g. Doped MoS2, PBE" />
        </label>
        <label className="text-sm">
          Description
          <input name="description" className={field} placeholder="optional" />
        </label>
        <label className="text-sm">
          Li reference (μ<sub>Li</sub>)
          <select name="muLiReference" className={field} defaultValue="bcc">
            <option value="bcc">bcc Li, per atom</option>
            <option value="atom">isolated Li atom</option>
            <option value="custom">custom value</option>
          </select>
        </label>
        <label className="text-sm">
          μ<sub>Li</sub> (eV, blank: from the uploaded meta.json)
          <input name="muLiEv" type="number" step="any" className={field} />
        </label>
      </div>
      <fieldset className="grid gap-4 sm:grid-cols-5">
        <legend className="mb-2 text-sm font-medium text-slate-700">Extraction settings</legend>
        <label className="text-sm">
          Li height (Å)
          <input name="heightA" type="number" step="0.05" min="0.5" max="5" defaultValue="1.5" className={field} />
        </label>
        <label className="text-sm">
          MEP radius (Å)
          <input name="mepRadiusA" type="number" step="0.05" min="0.1" max="3" defaultValue="1.0" className={field} />
        </label>
        <label className="text-sm">
          EPDI window (Å)
          <input name="windowA" type="number" step="0.1" min="1" max="20" defaultValue="6.4" className={field} />
        </label>
        <label className="text-sm">
          EPDI pixels
          <input name="pixels" type="number" step="1" min="8" max="224" defaultValue="64" className={field} />
        </label>
        <label className="text-sm">
          Colormap
          <select name="colormap" defaultValue="grey" className={field}>
            <option value="grey">grey</option>
            <option value="viridis">viridis</option>
            <option value="magma">magma</option>
            <option value="cividis">cividis</option>
          </select>
        </label>
      </fieldset>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        {busy ? 'Creating…' : 'Create dataset'}
      </button>
    </form>
  );
}
