'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { BarrierMove } from '@/lib/campaign/moves';
import { BarrierMoves } from './BarrierMoves';

interface Report {
  status: string;
  returned: number;
  total: number;
  calculations: { id: string; status: string; message: string }[];
  retrain?: { message: string; moves: BarrierMove[] };
}

/**
 * Send a results archive (.tar.gz from collect.sh, or .zip) to a campaign and show the per-calculation report; with
 * "Retrain", the dataset's default model is retrained after the import and the barriers' moves are listed.
 */
export function ImportResults({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [retrain, setRetrain] = useState(false);
  const [moves, setMoves] = useState<BarrierMove[] | null>(null);

  async function send(file: File): Promise<void> {
    setBusy(true);
    setMessage(retrain ? 'importing and retraining…' : 'importing…');
    setMoves(null);
    try {
      const query = retrain ? '?retrain=1' : '';
      const res = await fetch(`/api/campaigns/${encodeURIComponent(campaignId)}/import${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      });
      const json = (await res.json()) as { report?: Report; error?: { message: string } };
      if (!res.ok || !json.report) setMessage(json.error?.message ?? `import failed (${res.status})`);
      else {
        const r = json.report;
        setMessage(`${r.status}: ${r.returned} of ${r.total} stored${r.retrain ? `; ${r.retrain.message}` : ''}`);
        setMoves(r.retrain ? r.retrain.moves : null);
        router.refresh();
      }
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-1">
      <label className="block text-xs text-slate-600">
        Results archive
        <input
          type="file"
          accept=".zip,.gz,.tgz,.tar"
          disabled={busy}
          className="block text-xs"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void send(f);
          }}
        />
      </label>
      <label className="flex items-center gap-1 text-xs text-slate-600">
        <input type="checkbox" checked={retrain} disabled={busy} onChange={(e) => setRetrain(e.target.checked)} />
        Retrain the default model and show how the barriers moved
      </label>
      {message && (
        <p role="status" className="text-xs text-slate-700">
          {message}
        </p>
      )}
      {moves && <BarrierMoves moves={moves} />}
    </div>
  );
}
