'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

interface Job {
  status: string;
  progress: number;
  message: string;
  error: string | null;
  position?: number;
}

type State =
  { phase: 'idle' } | { phase: 'working'; text: string } | { phase: 'done' } | { phase: 'failed'; message: string };

function describe(job: Job): string {
  if (job.status === 'queued') return job.position ? `queued (number ${job.position} in line)` : 'queued';
  return `${Math.round(job.progress * 100)} %${job.message ? `: ${job.message}` : ''}`;
}

/**
 * "Extract again": re-runs site finding, MEPs and EPDIs of a surface (POST /api/surfaces/[id]/extract), polls the
 * job and reloads the page when it is done. `extracted` false says the last extraction never finished.
 */
export function ExtractAgainButton({ surfaceId, extracted }: { surfaceId: string; extracted: boolean }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ phase: 'idle' });

  async function run(): Promise<void> {
    setState({ phase: 'working', text: 'starting' });
    try {
      const res = await fetch(`/api/surfaces/${surfaceId}/extract`, { method: 'POST' });
      const body = (await res.json()) as { jobId?: string; error?: { message: string } };
      if (!res.ok || !body.jobId) throw new Error(body.error?.message ?? `the server answered ${res.status}`);
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const jr = await fetch(`/api/jobs/${body.jobId}`);
        if (!jr.ok) continue;
        const { job } = (await jr.json()) as { job: Job };
        if (job.status === 'done') break;
        if (job.status === 'failed') throw new Error(job.error ?? 'extraction failed');
        setState({ phase: 'working', text: describe(job) });
      }
      setState({ phase: 'done' });
      router.refresh();
    } catch (err) {
      setState({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      {!extracted && (
        <span role="status" className="text-amber-800">
          This surface has no finished extraction (no sites yet).
        </span>
      )}
      <button
        type="button"
        onClick={run}
        disabled={state.phase === 'working'}
        className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50 disabled:opacity-50"
      >
        Extract again
      </button>
      {state.phase === 'working' && <span aria-live="polite">Extracting: {state.text}</span>}
      {state.phase === 'done' && <span aria-live="polite">Extraction done.</span>}
      {state.phase === 'failed' && (
        <span role="alert" className="text-red-700">
          Extraction failed: {state.message}
        </span>
      )}
    </div>
  );
}
