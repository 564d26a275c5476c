/**
 * The route table of the HTTP fuzzer (./run.ts): every app/api route.ts, loaded in-process, with its exported verbs.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface RouteEntry {
  /** e.g. /api/datasets/[id]/uploads */
  pattern: string;
  segments: string[];
  methods: Record<string, Handler>;
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;

/** Every app/api route.ts under `root` with its exported verbs. */
export async function loadRoutes(root: string): Promise<RouteEntry[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'route.ts') files.push(full);
    }
  };
  walk(path.join(root, 'app', 'api'));
  files.sort();
  const out: RouteEntry[] = [];
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    const rel = path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep);
    const methods: Record<string, Handler> = {};
    for (const m of METHODS) if (typeof mod[m] === 'function') methods[m] = mod[m] as Handler;
    out.push({ pattern: `/${rel.join('/')}`, segments: rel, methods });
  }
  return out;
}
