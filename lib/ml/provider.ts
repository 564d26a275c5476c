/** Loads backbones on demand from a weights source and keeps them (one per name and input size). */
import { backboneConfig, loadBackbone, loadBackboneRegistry, type BackboneConfig, type LoadedBackbone, type WeightsSource } from './backbone';
import type { BackboneProvider } from './models';

export interface CachingBackboneProvider extends BackboneProvider {
  configs: BackboneConfig[];
  available: Record<string, boolean>;
  problems: string[];
  dispose(): void;
}

export async function backboneProvider(source: WeightsSource | undefined): Promise<CachingBackboneProvider> {
  const reg = await loadBackboneRegistry(source);
  const loaded = new Map<string, Promise<LoadedBackbone>>();
  return {
    configs: reg.backbones,
    available: reg.available,
    problems: reg.problems,
    get(name: string, inputSize?: number): Promise<LoadedBackbone> {
      const config = backboneConfig(reg.backbones, name);
      const key = `${name}@${inputSize ?? config.inputSize}`;
      let p = loaded.get(key);
      if (!p) {
        if (!source) return Promise.reject(new Error(`backbone '${name}' needs a weights directory (set EPDI_WEIGHTS_DIR)`));
        p = loadBackbone(source, config, { inputSize });
        loaded.set(key, p);
        p.catch(() => loaded.delete(key));
      }
      return p;
    },
    dispose(): void {
      for (const p of loaded.values()) p.then((b) => b.dispose(), () => undefined);
      loaded.clear();
    },
  };
}
