/// <reference lib="webworker" />
/** The training Web Worker: tfjs (WebGL via OffscreenCanvas, else wasm, else cpu) off the main thread. */
import { createTrainingEngine } from './training-engine';
import type { WorkerReply, WorkerRequest } from './training-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const engine = createTrainingEngine((reply: WorkerReply, transfer?: Transferable[]) => scope.postMessage(reply, transfer ?? []), 'Web Worker');
scope.onmessage = (e: MessageEvent<WorkerRequest>) => void engine.handle(e.data);
