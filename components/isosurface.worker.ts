/// <reference lib="webworker" />
import { marchingCubesPeriodic, type IsoField } from '@/lib/view/marching-cubes';

/**
 * Isosurface worker: receives the down-sampled potential once ({ type: 'grid' }), then levels ({ type: 'level' }),
 * and answers each level with the triangle positions (Cartesian Angstrom, transferred, not copied).
 */
export type IsoRequest = { type: 'grid'; field: IsoField } | { type: 'level'; level: number; requestId: number };
export type IsoResponse =
  | { type: 'surface'; requestId: number; level: number; positions: Float32Array; triangleCount: number; ms: number }
  | { type: 'error'; requestId: number; message: string };

let field: IsoField | null = null;

self.onmessage = (event: MessageEvent<IsoRequest>) => {
  const msg = event.data;
  if (msg.type === 'grid') {
    field = msg.field;
    return;
  }
  if (!field) {
    (self as unknown as Worker).postMessage({
      type: 'error',
      requestId: msg.requestId,
      message: 'no grid yet',
    } satisfies IsoResponse);
    return;
  }
  const t0 = performance.now();
  const { positions, triangleCount } = marchingCubesPeriodic(field, msg.level, 1_500_000);
  const reply: IsoResponse = {
    type: 'surface',
    requestId: msg.requestId,
    level: msg.level,
    positions,
    triangleCount,
    ms: performance.now() - t0,
  };
  (self as unknown as Worker).postMessage(reply, [positions.buffer]);
};
