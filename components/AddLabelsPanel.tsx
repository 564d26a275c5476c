'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import { filesFromDrop, type PickedFile } from '@/lib/client/upload-groups';
import { HiddenFilePickers } from './HiddenFilePickers';

interface AddLabelsResult {
  labelsAdded: string[];
  nebRunsAdded: string[];
  alreadyStored: string[];
  skipped: string[];
  extractJobId: string | null;
}

type AddState =
  | { phase: 'idle' }
  | { phase: 'sending'; sentBytes: number; totalBytes: number }
  | { phase: 'processing'; progress: number; message: string }
  | { phase: 'extracting'; result: AddLabelsResult; progress: number; message: string }
  | { phase: 'done'; result: AddLabelsResult }
  | { phase: 'failed'; message: string; file?: string; line?: number; stored?: boolean };

interface Job {
  status: string;
  progress: number;
  message: string;
  error: string | null;
}

async function readJob(jobId: string): Promise<Job | null> {
  const res = await fetch(`/api/jobs/${jobId}`).catch(() => null);
  if (!res?.ok) return null;
  return ((await res.json()) as { job: Job }).job;
}

/** POST the files in one request (all or nothing on the server), polling the job while the server parses. */
function sendFiles(
  surfaceId: string,
  picked: PickedFile[],
  onState: (s: AddState) => void,
): Promise<AddLabelsResult | null> {
  const jobId = crypto.randomUUID();
  const form = new FormData();
  for (const p of picked) form.append('file', p.file, encodeURIComponent(p.path));
  const totalBytes = picked.reduce((n, p) => n + p.file.size, 0);
  let polling = true;
  const poll = async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, 400));
      const job = await readJob(jobId);
      if (polling && job?.status === 'running' && job.message !== 'receiving files') {
        onState({ phase: 'processing', progress: job.progress, message: job.message });
      }
    }
  };
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/surfaces/${surfaceId}/labels?job=${jobId}`);
    xhr.upload.onprogress = (e) => onState({ phase: 'sending', sentBytes: e.loaded, totalBytes });
    xhr.upload.onload = () => {
      onState({ phase: 'processing', progress: 0, message: 'reading the files on the server' });
      void poll();
    };
    xhr.onload = () => {
      polling = false;
      let body: (Partial<AddLabelsResult> & { error?: { message: string; file?: string; line?: number } }) | null =
        null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as AddLabelsResult);
        return;
      }
      const err = body?.error;
      onState({
        phase: 'failed',
        message: err?.message ?? `adding labels failed (HTTP ${xhr.status})`,
        file: err?.file,
        line: err?.line,
      });
      resolve(null);
    };
    xhr.onerror = () => {
      polling = false;
      onState({ phase: 'failed', message: 'the connection was lost during the upload' });
      resolve(null);
    };
    xhr.send(form);
  });
}

/** The add-labels flow of one surface: send, then follow the re-extraction until the labels are matched. */
function useAddLabels(surfaceId: string): { state: AddState; start: (picked: PickedFile[]) => void } {
  const router = useRouter();
  const [state, setState] = useState<AddState>({ phase: 'idle' });
  const busy = useRef(false);
  const start = useCallback(
    (picked: PickedFile[]) => {
      if (picked.length === 0 || busy.current) return;
      busy.current = true;
      void (async () => {
        const result = await sendFiles(surfaceId, picked, setState);
        if (result?.extractJobId) {
          setState({ phase: 'extracting', result, progress: 0, message: 'matching labels to sites' });
          for (;;) {
            await new Promise((r) => setTimeout(r, 500));
            const job = await readJob(result.extractJobId);
            if (!job) continue;
            if (job.status === 'failed') {
              setState({
                phase: 'failed',
                message: `labels stored, but re-extraction failed: ${job.error ?? ''}`,
                stored: true,
              });
              break;
            }
            if (job.status === 'done') {
              setState({ phase: 'done', result });
              break;
            }
            setState({ phase: 'extracting', result, progress: job.progress, message: job.message || 'extracting' });
          }
        } else if (result) setState({ phase: 'done', result });
        busy.current = false;
        router.refresh();
      })();
    },
    [surfaceId, router],
  );
  return { state, start };
}

function listed(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`;
}

function Summary({ result }: { result: AddLabelsResult }) {
  const added = result.labelsAdded.length + result.nebRunsAdded.length;
  return (
    <div className="space-y-1 text-xs text-slate-700">
      {result.labelsAdded.length > 0 && (
        <p>
          Added {result.labelsAdded.length} label{result.labelsAdded.length === 1 ? '' : 's'}:{' '}
          {listed(result.labelsAdded)}
        </p>
      )}
      {result.nebRunsAdded.length > 0 && (
        <p>
          Added NEB run{result.nebRunsAdded.length === 1 ? '' : 's'}: {listed(result.nebRunsAdded)}
        </p>
      )}
      {added === 0 && <p>Nothing new: everything sent is already stored.</p>}
      {result.alreadyStored.length > 0 && (
        <p className="text-slate-500">already stored: {listed(result.alreadyStored)}</p>
      )}
      {result.skipped.length > 0 && <p className="text-slate-500">not used: {listed(result.skipped)}</p>}
    </div>
  );
}

/**
 * Add labels to this surface from its page: labels.csv, sites/<name>/ (CONTCAR + OUTCAR) or NEB folders (00..NN), .gz
 * accepted. Everything picked goes in one request, stored all or nothing; progress and the result show here.
 */
export function AddLabelsPanel({ surfaceId }: { surfaceId: string }) {
  const { state, start } = useAddLabels(surfaceId);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'sending' || state.phase === 'processing' || state.phase === 'extracting';
  return (
    <section
      aria-labelledby="add-labels-heading"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void filesFromDrop(e.dataTransfer.items).then(start);
      }}
      className={`rounded border p-3 text-sm ${dragging ? 'border-indigo-500 bg-indigo-50' : 'border-slate-200 bg-white'}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 id="add-labels-heading" className="font-semibold">
            Add labels
          </h2>
          <p className="text-xs text-slate-600">
            labels.csv, sites/&lt;name&gt;/ (CONTCAR + OUTCAR) or an NEB folder (00..NN); .gz accepted; drop here or
          </p>
        </div>
        <div className="flex gap-2">
          <button
            type="button"
            disabled={busy}
            onClick={() => fileInput.current?.click()}
            className="rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700 disabled:opacity-50"
          >
            Choose label files
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => folderInput.current?.click()}
            className="rounded border border-indigo-600 px-3 py-1.5 text-indigo-700 hover:bg-indigo-50 disabled:opacity-50"
          >
            Choose a label folder
          </button>
        </div>
      </div>
      <HiddenFilePickers
        fileRef={fileInput}
        folderRef={folderInput}
        filesLabel="Label files to add"
        folderLabel="Label folder to add"
        onFiles={start}
      />
      <div className="mt-2 space-y-1" role="status" aria-live="polite">
        {state.phase === 'sending' && (
          <>
            <p className="text-xs text-slate-600">sending</p>
            <progress
              className="h-2 w-full"
              max={state.totalBytes || 1}
              value={state.sentBytes}
              aria-label="label upload progress"
            />
          </>
        )}
        {state.phase === 'processing' && (
          <>
            <p className="text-xs text-slate-600">
              {state.message} ({Math.round(state.progress * 100)}%)
            </p>
            <progress className="h-2 w-full" max={1} value={state.progress} aria-label="server-side parsing" />
          </>
        )}
        {state.phase === 'extracting' && (
          <>
            <Summary result={state.result} />
            <p className="text-xs text-slate-600">
              {state.message} ({Math.round(state.progress * 100)}%)
            </p>
            <progress className="h-2 w-full" max={1} value={state.progress} aria-label="re-extraction progress" />
          </>
        )}
        {state.phase === 'done' && <Summary result={state.result} />}
      </div>
      {state.phase === 'failed' && (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {state.file && !state.message.includes(state.file)
            ? `${state.file}${state.line ? ` line ${state.line}` : ''}: `
            : ''}
          {state.message}
          {state.stored ? '' : ' (nothing was added)'}
        </p>
      )}
    </section>
  );
}
