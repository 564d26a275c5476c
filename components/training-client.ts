/**
 * Promise-style access to the training engine: in a Web Worker when the browser can start one, else on the main
 * thread (same engine; lib/ml yields between batches). `cancel` aborts the running request and, if the worker does
 * not answer within a second (a long closed-form step), terminates it and starts a fresh one.
 */
import type { WorkerProgress, WorkerReply, WorkerRequest } from './training-protocol';

type Body = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
type Pending = { resolve: (r: WorkerReply) => void; reject: (e: Error) => void; onProgress?: (p: WorkerProgress) => void };

export class TrainingClient {
  private worker: Worker | null = null;
  private engine: { handle(req: WorkerRequest): Promise<void> } | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** 'Web Worker' or 'main thread'. */
  where = 'Web Worker';
  /** Set when the worker was replaced: callers must re-send init/load. */
  onRestart?: () => void;

  constructor() {
    this.start();
  }

  private start(): void {
    try {
      this.worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(e.data);
      this.worker.onerror = (e) => {
        for (const p of this.pending.values()) p.reject(new Error(e.message || 'the training worker failed'));
        this.pending.clear();
      };
      this.where = 'Web Worker';
    } catch {
      this.worker = null;
      this.where = 'main thread';
    }
  }

  private async mainThreadEngine(): Promise<{ handle(req: WorkerRequest): Promise<void> }> {
    if (!this.engine) {
      const { createTrainingEngine } = await import('./training-engine');
      this.engine = createTrainingEngine((reply) => this.receive(reply), 'main thread');
    }
    return this.engine;
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'error') {
      const err = new Error(reply.message);
      (err as Error & { code?: string }).code = reply.code;
      p.reject(err);
    } else p.resolve(reply);
  }

  request(body: Body, onProgress?: (p: WorkerProgress) => void, transfer: Transferable[] = []): Promise<WorkerReply> {
    const id = this.nextId++;
    const req = { ...body, id } as WorkerRequest;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      if (this.worker) this.worker.postMessage(req, transfer);
      else void this.mainThreadEngine().then((e) => e.handle(req));
    });
  }

  /** Abort what runs; resolves once the engine is idle again (restarted worker if it did not stop in time). */
  async cancel(): Promise<void> {
    const running = [...this.pending.keys()];
    if (running.length === 0) return;
    const stopped = new Promise<boolean>((resolve) => {
      const check = setInterval(() => {
        if (running.every((id) => !this.pending.has(id))) {
          clearInterval(check);
          resolve(true);
        }
      }, 50);
      setTimeout(() => {
        clearInterval(check);
        resolve(false);
      }, 1000);
    });
    void this.request({ type: 'cancel' }).catch(() => undefined);
    if (await stopped) return;
    if (this.worker) {
      this.worker.terminate();
      for (const id of running) this.pending.get(id)?.reject(Object.assign(new Error('training cancelled'), { code: 'aborted' }));
      this.pending.clear();
      this.start();
      this.onRestart?.();
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }
}
