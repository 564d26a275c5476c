'use client';

import { useState } from 'react';
import { DEFAULT_SLURM, DEFAULT_VASP } from '@/lib/campaign/types';
import { defaultIncarTemplate } from '@/lib/campaign/vasp';

/**
 * "Export campaign": the next calculations of a dataset as one folder for a Slurm cluster, downloaded as a .zip
 * (manifest, inputs, submit.sh, collect.sh). The INCAR template is editable before export; the campaign is recorded
 * and listed on /campaigns.
 */
export function ExportCampaignButton({ datasetId }: { datasetId: string }) {
  const [open, setOpen] = useState(false);
  const [engine, setEngine] = useState<'vasp' | 'gpaw'>('vasp');
  const [count, setCount] = useState(5);
  const [neb, setNeb] = useState(false);
  const [partition, setPartition] = useState('');
  const [time, setTime] = useState(DEFAULT_SLURM.time);
  const [account, setAccount] = useState('');
  const [modules, setModules] = useState('');
  const [incar, setIncar] = useState(() => defaultIncarTemplate(DEFAULT_VASP));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function exportCampaign(): Promise<void> {
    setBusy(true);
    setMessage('building the campaign…');
    try {
      const res = await fetch(`/api/datasets/${encodeURIComponent(datasetId)}/campaigns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          engine,
          next: count,
          neb,
          slurm: {
            ...(partition.trim() ? { partition: partition.trim() } : {}),
            ...(account.trim() ? { account: account.trim() } : {}),
            time: time.trim() || DEFAULT_SLURM.time,
            modules: modules
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          },
          ...(engine === 'vasp' ? { vasp: { incarTemplate: incar } } : {}),
        }),
      });
      if (!res.ok) {
        const json = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
        setMessage(json?.error?.message ?? `export failed (${res.status})`);
        return;
      }
      const id = res.headers.get('x-campaign-id') ?? 'campaign';
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `campaign-${id}.zip`;
      a.click();
      URL.revokeObjectURL(url);
      setMessage(`campaign ${id} exported: unzip it on your cluster and run sbatch submit.sh`);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2 text-sm">
      <button
        type="button"
        className="rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
      >
        Export campaign
      </button>
      {open && (
        <form
          className="grid max-w-3xl grid-cols-2 gap-2 rounded border border-slate-200 bg-white p-3"
          aria-label="Export campaign"
          onSubmit={(e) => {
            e.preventDefault();
            void exportCampaign();
          }}
        >
          <label>
            Engine{' '}
            <select value={engine} onChange={(e) => setEngine(e.target.value as 'vasp' | 'gpaw')}>
              <option value="vasp">VASP</option>
              <option value="gpaw">GPAW (scripts/dft settings)</option>
            </select>
          </label>
          <label>
            Next saddles{' '}
            <input
              type="number"
              min={1}
              max={500}
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
              className="w-20"
            />
          </label>
          <label className="col-span-2">
            <input type="checkbox" checked={neb} onChange={(e) => setNeb(e.target.checked)} /> CI-NEB of each
            saddle&apos;s hop (otherwise a relaxation at the bridge, Li&apos;s xy fixed)
          </label>
          <label>
            Partition <input value={partition} onChange={(e) => setPartition(e.target.value)} className="w-32" />
          </label>
          <label>
            Time <input value={time} onChange={(e) => setTime(e.target.value)} className="w-28" />
          </label>
          <label>
            Account <input value={account} onChange={(e) => setAccount(e.target.value)} className="w-32" />
          </label>
          <label>
            Modules{' '}
            <input
              value={modules}
              onChange={(e) => setModules(e.target.value)}
              placeholder="vasp/6.4.2"
              className="w-40"
            />
          </label>
          {engine === 'vasp' && (
            <label className="col-span-2">
              INCAR template (your ENCUT, functional, vdW, dipole correction; the calculation&apos;s own tags are added)
              <textarea
                value={incar}
                onChange={(e) => setIncar(e.target.value)}
                rows={10}
                className="mt-1 block w-full font-mono text-xs"
              />
            </label>
          )}
          <div className="col-span-2">
            <button
              type="submit"
              disabled={busy}
              className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50"
            >
              Download .zip
            </button>{' '}
            <a href="/campaigns" className="text-indigo-700 hover:underline">
              Campaigns
            </a>
          </div>
          {message && (
            <p role="status" className="col-span-2 text-slate-700">
              {message}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
