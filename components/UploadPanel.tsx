'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import {
  filesFromDrop,
  groupForUpload,
  type PickedFile,
  type UploadGroup,
} from '@/lib/client/upload-groups';
import { HiddenFilePickers } from './HiddenFilePickers';

type GroupState =
  | { phase: 'waiting' }
  | { phase: 'sending'; sentBytes: number }
  | { phase: 'processing'; progress: number; message: string }
  | { phase: 'done'; surfaces: string[]; skipped: string[] }
  | { phase: 'failed'; message: string; file?: string; line?: number };

interface UploadError {
  code: string;
  message: string;
  file?: string;
  line?: number;
}

function sendGroup(datasetId: string, group: UploadGroup, onState: (s: GroupState) => void): Promise<void> {
  const jobId = crypto.randomUUID();
  const form = new FormData();
  for (const p of group.files) form.append('file', p.file, encodeURIComponent(p.path));
  let polling = true;
  const poll = async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`/api/jobs/${jobId}`).catch(() => null);
      if (!polling || !res?.ok) continue;
      const { job } = (await res.json()) as { job: { status: string; progress: number; message: string } };
      if (job.status === 'running' && job.message !== 'receiving files') {
        onState({ phase: 'processing', progress: job.progress, message: job.message });
      }
    }
  };
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/datasets/${datasetId}/uploads?job=${jobId}`);
    xhr.upload.onprogress = (e) => onState({ phase: 'sending', sentBytes: e.loaded });
    xhr.upload.onload = () => {
      onState({ phase: 'processing', progress: 0, message: 'parsing on the server' });
      void poll();
    };
    xhr.onload = () => {
      polling = false;
      const body = (() => {
        try {
          return JSON.parse(xhr.responseText) as {
            surfaces?: { name: string }[];
            skipped?: string[];
            error?: UploadError;
          };
        } catch {
          return {};
        }
      })();
      if (xhr.status >= 200 && xhr.status < 300) {
        onState({ phase: 'done', surfaces: (body.surfaces ?? []).map((s) => s.name), skipped: body.skipped ?? [] });
      } else {
        const err = body.error;
        onState({
          phase: 'failed',
          message: err?.message ?? `upload failed (HTTP ${xhr.status})`,
          file: err?.file,
          line: err?.line,
        });
      }
      resolve();
    };
    xhr.onerror = () => {
      polling = false;
      onState({ phase: 'failed', message: 'the connection was lost during the upload' });
      resolve();
    };
    xhr.send(form);
  });
}

function bytesLabel(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** How far each file of a group is, from the bytes the browser has sent (parts go out in order). */
function fileFraction(group: UploadGroup, state: GroupState, index: number): number {
  if (state.phase === 'done' || state.phase === 'processing') return 1;
  if (state.phase !== 'sending') return 0;
  let before = 0;
  for (let i = 0; i < index; i++) before += group.files[i].file.size;
  const size = group.files[index].file.size || 1;
  return Math.min(1, Math.max(0, (state.sentBytes - before) / size));
}

/** One line for the drop zone: how far the uploads of this session are, where the user just clicked or dropped. */
function overallStatus(groups: UploadGroup[], states: Record<string, GroupState>): string | null {
  if (groups.length === 0) return null;
  let total = 0;
  let sent = 0;
  const count = { waiting: 0, sending: 0, processing: 0, done: 0, failed: 0 };
  for (const g of groups) {
    const st = states[g.key] ?? { phase: 'waiting' };
    count[st.phase] += 1;
    const size = g.files.reduce((n, f) => n + f.file.size, 0);
    total += size;
    sent += st.phase === 'sending' ? Math.min(size, st.sentBytes) : st.phase === 'waiting' ? 0 : size;
  }
  const busy = count.waiting + count.sending + count.processing;
  const parts = [`${count.done} of ${groups.length} stored`];
  if (count.failed) parts.push(`${count.failed} failed (see below)`);
  if (busy) {
    const working = groups.find((g) => {
      const ph = (states[g.key] ?? { phase: 'waiting' }).phase;
      return ph === 'sending' || ph === 'processing';
    });
    const st = working ? states[working.key] : undefined;
    parts.push(
      st?.phase === 'processing'
        ? `${working!.label}: ${st.message} (${Math.round(st.progress * 100)} %)`
        : `sending ${bytesLabel(sent)} of ${bytesLabel(total)} (${Math.round((100 * sent) / Math.max(1, total))} %)`,
    );
  }
  return parts.join(' · ');
}

/** Drop files or folders; each surface folder is sent as its own atomic upload with per-file progress. */
export function UploadPanel({ datasetId }: { datasetId: string }) {
  const router = useRouter();
  const [groups, setGroups] = useState<UploadGroup[]>([]);
  const [states, setStates] = useState<Record<string, GroupState>>({});
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const upload = useCallback(
    async (list: UploadGroup[]) => {
      for (const g of list) setStates((s) => ({ ...s, [g.key]: { phase: 'waiting' } }));
      for (const g of list) {
        await sendGroup(datasetId, g, (st) => setStates((s) => ({ ...s, [g.key]: st })));
      }
      router.refresh();
    },
    [datasetId, router],
  );

  const start = useCallback(
    (picked: PickedFile[]) => {
      if (picked.length === 0) return;
      const list = groupForUpload(picked);
      setGroups((prev) => [...prev.filter((p) => !list.some((g) => g.key === p.key)), ...list]);
      void upload(list);
      // Bring the per-file progress into view (the panel sits at the bottom of the dataset page).
      requestAnimationFrame(() => listRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
    },
    [upload],
  );

  return (
    <section aria-labelledby="upload-heading" className="space-y-3">
      <h2 id="upload-heading" className="text-lg font-semibold">
        Upload DFT outputs
      </h2>
      <div
        role="region"
        aria-label="Drop files or folders here"
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
        className={`rounded border-2 border-dashed p-6 text-center text-sm ${
          dragging ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-white'
        }`}
      >
        <p className="text-slate-700">
          Drop surface folders here (POSCAR/CONTCAR, LOCPOT or .cube, labels.csv, meta.json, sites/, neb/00..NN; .gz
          accepted), or
        </p>
        <div className="mt-3 flex justify-center gap-3">
          <button
            type="button"
            onClick={() => fileInput.current?.click()}
            className="rounded bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700"
          >
            Choose files
          </button>
          <button
            type="button"
            onClick={() => folderInput.current?.click()}
            className="rounded border border-indigo-600 px-3 py-1.5 text-indigo-700 hover:bg-indigo-50"
          >
            Choose a folder
          </button>
        </div>
        {groups.length > 0 && (
          <p className="mt-3 text-xs text-slate-700" role="status" aria-label="Upload progress">
            {overallStatus(groups, states)}
          </p>
        )}
        <HiddenFilePickers
          fileRef={fileInput}
          folderRef={folderInput}
          filesLabel="Files to upload"
          folderLabel="Folder to upload"
          onFiles={start}
        />
      </div>

      {groups.length > 0 && (
        <ul ref={listRef} className="scroll-mb-4 space-y-3" aria-label="Uploads">
          {groups.map((g) => {
            const st = states[g.key] ?? { phase: 'waiting' };
            return (
              <li key={g.key} className="rounded border border-slate-200 bg-white p-3 text-sm">
                <div className="flex items-center justify-between">
                  <span className="font-medium">{g.label}</span>
                  <span className="text-xs text-slate-600" role="status">
                    {st.phase === 'waiting' && 'waiting'}
                    {st.phase === 'sending' && 'sending'}
                    {st.phase === 'processing' && `${st.message} (${Math.round(st.progress * 100)}%)`}
                    {st.phase === 'done' && `stored: ${st.surfaces.join(', ')}`}
                    {st.phase === 'failed' && 'failed'}
                  </span>
                </div>
                <ul className="mt-2 space-y-1">
                  {g.files.map((p, i) => {
                    const failedHere = st.phase === 'failed' && st.file === p.path;
                    return (
                      <li key={p.path}>
                        <div className="flex items-center gap-2">
                          <span className="w-64 truncate font-mono text-xs" title={p.path}>
                            {p.path}
                          </span>
                          <progress
                            className="h-2 flex-1"
                            max={1}
                            value={fileFraction(g, st, i)}
                            aria-label={`${p.path} upload progress`}
                          />
                          <span className="w-20 text-right text-xs text-slate-500">{bytesLabel(p.file.size)}</span>
                        </div>
                        {failedHere && st.phase === 'failed' && (
                          <p role="alert" className="mt-1 text-xs text-red-700">
                            {st.line && !st.message.includes(`line ${st.line}`) ? `line ${st.line}: ` : ''}
                            {st.message}
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ul>
                {st.phase === 'processing' && (
                  <progress className="mt-2 h-2 w-full" max={1} value={st.progress} aria-label="server-side parsing" />
                )}
                {st.phase === 'failed' && (
                  <div className="mt-2 flex items-center justify-between gap-2">
                    {!g.files.some((p) => p.path === st.file) && (
                      <p role="alert" className="text-xs text-red-700">
                        {st.message}
                      </p>
                    )}
                    <button
                      type="button"
                      onClick={() => void upload([g])}
                      className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                    >
                      Retry {g.label}
                    </button>
                  </div>
                )}
                {st.phase === 'done' && st.skipped.length > 0 && (
                  <p className="mt-1 text-xs text-slate-500">not used: {st.skipped.join(', ')}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
