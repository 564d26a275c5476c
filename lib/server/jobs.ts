import { db } from './db';
import { jobConcurrency } from './limits';

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
  /** For a queued job: 1 = next to run. */
  position?: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The queue of parse, extraction and training work in this process: at most `jobConcurrency()` (EPDI_JOB_CONCURRENCY)
 * run at once, the rest wait in order, their rows 'queued'. Kept on globalThis so that Next.js' module copies share it.
 */
interface Waiter {
  jobId: string;
  start: () => void;
}
interface JobQueue {
  running: number;
  waiting: Waiter[];
}
const queueHolder = globalThis as unknown as { epdiJobQueue?: JobQueue };
function queue(): JobQueue {
  queueHolder.epdiJobQueue ??= { running: 0, waiting: [] };
  return queueHolder.epdiJobQueue;
}

/** 1-based place of a job among those waiting in this process, or undefined when it is not waiting here. */
export function queuePosition(jobId: string): number | undefined {
  const i = queue().waiting.findIndex((w) => w.jobId === jobId);
  return i < 0 ? undefined : i + 1;
}

/** Wait for a free slot (the job's row reads 'queued' meanwhile), then mark the job running. */
async function acquireSlot(jobId: string): Promise<void> {
  const q = queue();
  if (q.running < jobConcurrency() && q.waiting.length === 0) {
    q.running++;
  } else {
    await db.job.update({ where: { id: jobId }, data: { status: 'queued', message: 'queued' } }).catch(() => undefined);
    await new Promise<void>((resolve) => q.waiting.push({ jobId, start: resolve }));
  }
  await db.job.update({ where: { id: jobId }, data: { status: 'running', message: '' } }).catch(() => undefined);
}

function releaseSlot(): void {
  const q = queue();
  const next = q.waiting.shift();
  if (next) next.start(); // the slot passes on: running stays the same
  else q.running = Math.max(0, q.running - 1);
}

/** Run `work` in one of the job queue's slots (parse, extract, train): waits, queued, while all slots are busy. */
export async function withJobSlot<T>(jobId: string, work: () => Promise<T>): Promise<T> {
  await acquireSlot(jobId);
  try {
    return await work();
  } finally {
    releaseSlot();
  }
}

const PROGRESS_INTERVAL_MS = 250;

/** Create a job row, 'running' unless said otherwise (a caller-chosen id lets a client poll before the response). */
export async function createJob(
  kind: string,
  opts: { id?: string; datasetId?: string; input?: unknown; status?: JobStatus } = {},
) {
  return db.job.create({
    data: {
      id: opts.id,
      kind,
      datasetId: opts.datasetId,
      status: opts.status ?? 'running',
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
 * Run `work` as a background job in this process: the row goes queued -> running -> done | failed, through the job
 * queue (at most EPDI_JOB_CONCURRENCY at once). Returns the job id at once. Jobs are in-process; a server that dies
 * mid-job leaves the row 'running' or 'queued', which start-up recovery marks failed (and re-queues extractions).
 */
export async function startJob(
  kind: string,
  opts: { datasetId?: string; input?: unknown },
  work: (report: JobProgress) => Promise<unknown>,
): Promise<string> {
  const job = await createJob(kind, { ...opts, status: 'queued' });
  const { report, flush } = progressReporter(job.id);
  void (async () => {
    try {
      const result = await withJobSlot(job.id, () => work(report));
      await flush();
      await finishJob(job.id, result);
    } catch (err) {
      await flush();
      await failJob(job.id, err instanceof Error ? err.message : String(err)).catch((e: unknown) =>
        console.error(`epdi: job ${job.id} failed and its row could not be updated:`, e),
      );
    }
  })().catch((e: unknown) => console.error(`epdi: job ${job.id}: could not record its result:`, e));
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
    ...(job.status === 'queued' ? { position: queuePosition(job.id) ?? (await queuedBefore(job.createdAt)) + 1 } : {}),
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

/** Queued jobs created before `t` (a job queued in another process: its place is estimated from the table). */
async function queuedBefore(t: Date): Promise<number> {
  return db.job.count({ where: { status: 'queued', createdAt: { lt: t } } });
}

/** Jobs left running or queued by a previous process cannot finish: mark them failed. */
export async function failInterruptedJobs(): Promise<number> {
  const { count } = await db.job.updateMany({
    where: { status: { in: ['running', 'queued'] } },
    data: { status: 'failed', error: 'interrupted: the server stopped before this job finished' },
  });
  return count;
}
