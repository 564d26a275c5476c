/** Small browser helpers of the training panel: error messages of the API, job polling, zip downloads. */

export async function apiError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

/** The `error.code` of an API error response, if it has one. */
export async function errorCode(res: Response): Promise<string | undefined> {
  try {
    return ((await res.json()) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

export interface JobState<R> {
  status: string;
  message: string;
  error: string | null;
  result: R | null;
  position?: number;
}

/** POST `body` to a job route, then poll /api/jobs/:id every 500 ms until done; `onStatus` gets each message. */
export async function runJob<R>(url: string, body: unknown, onStatus: (message: string) => void): Promise<R> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(await apiError(res));
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const reply = await fetch(`/api/jobs/${jobId}`);
    if (!reply.ok) throw new Error(await apiError(reply));
    const { job } = (await reply.json()) as { job: JobState<R> };
    if (job.status === 'failed') throw new Error(job.error ?? 'the server job failed');
    if (job.status === 'done' && job.result) return job.result;
    onStatus(job.status === 'queued' && job.position ? `queued (position ${job.position})` : job.message || job.status);
  }
}

export function downloadZip(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9._+-]+/g, '_')}.zip`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
