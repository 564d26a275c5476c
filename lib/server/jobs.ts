import { db } from './db';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobProgress {
  /** Report progress in [0, 1] with a short message; writes are throttled to a few per second. */
  (fraction: number, message?: string): void;
}

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  message: string;
  error: string | null;
  result: unknown;
  datasetId: string | null;
  createdAt: string;
  updatedAt: string;
}

const PROGRESS_INTERVAL_MS = 250;

/** Create a job row in state 'running' (or with a caller-chosen id, so a client can poll before the response). */
export async function createJob(kind: string, opts: { id?: string; datasetId?: string; input?: unknown } = {}) {
  return db.job.create({
    data: {
      id: opts.id,
      kind,
      datasetId: opts.datasetId,
      status: 'running',
      inputJson: JSON.stringify(opts.input ?? {}),
    },
  });
}

/** A throttled progress reporter for a job: the last call always lands via `flush`. */
export function progressReporter(jobId: string): { report: JobProgress; flush: () => Promise<void> } {
  let last = 0;
  let pending: { progress: number; message?: string } | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const write = (p: { progress: number; message?: string }) => {
    chain = chain
      .then(() => db.job.update({ where: { id: jobId }, data: { progress: p.progress, message: p.message } }))
      .catch(() => undefined);
  };
  return {
    report(fraction, message) {
      pending = { progress: Math.min(1, Math.max(0, fraction)), message };
      const now = Date.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        write(pending);
        pending = undefined;
      }
    },
    async flush() {
      if (pending) write(pending);
      pending = undefined;
      await chain;
    },
  };
}

export async function finishJob(jobId: string, result: unknown): Promise<void> {
  await db.job.update({
    where: { id: jobId },
    data: { status: 'done', progress: 1, resultJson: JSON.stringify(result ?? null) },
  });
}

export async function failJob(jobId: string, error: string): Promise<void> {
  await db.job.update({ where: { id: jobId }, data: { status: 'failed', error } });
}

/**
 * Run `work` as a background job in this process: the row goes running -> done | failed. Returns the job id at once.
 * Jobs are in-process; a server that dies mid-job leaves the row 'running', which start-up recovery marks failed.
 */
export async function startJob(
  kind: string,
  opts: { datasetId?: string; input?: unknown },
  work: (report: JobProgress) => Promise<unknown>,
): Promise<string> {
  const job = await createJob(kind, opts);
  const { report, flush } = progressReporter(job.id);
  void (async () => {
    try {
      const result = await work(report);
      await flush();
      await finishJob(job.id, result);
    } catch (err) {
      await flush();
      await failJob(job.id, err instanceof Error ? err.message : String(err));
    }
  })();
  return job.id;
}

export async function getJob(id: string): Promise<JobView | null> {
  const job = await db.job.findUnique({ where: { id } });
  if (!job) return null;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status as JobStatus,
    progress: job.progress,
    message: job.message,
    error: job.error,
    result: job.resultJson ? JSON.parse(job.resultJson) : null,
    datasetId: job.datasetId,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

/** Jobs left running or queued by a previous process cannot finish: mark them failed. */
export async function failInterruptedJobs(): Promise<number> {
  const { count } = await db.job.updateMany({
    where: { status: { in: ['running', 'queued'] } },
    data: { status: 'failed', error: 'interrupted: the server stopped before this job finished' },
  });
  return count;
}
