'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

interface Report {
  status: string;
  returned: number;
  total: number;
  calculations: { id: string; status: string; message: string }[];
}

/** Send a results archive (.tar.gz from collect.sh, or .zip) to a campaign and show the per-calculation report. */
export function ImportResults({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function send(file: File): Promise<void> {
    setBusy(true);
    setMessage('importing…');
    try {
      const res = await fetch(`/api/campaigns/${encodeURIComponent(campaignId)}/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      });
      const json = (await res.json()) as { report?: Report; error?: { message: string } };
      if (!res.ok || !json.report) setMessage(json.error?.message ?? `import failed (${res.status})`);
      else {
        const r = json.report;
        setMessage(`${r.status}: ${r.returned} of ${r.total} stored`);
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
      {message && (
        <p role="status" className="text-xs text-slate-700">
          {message}
        </p>
      )}
    </div>
  );
}
