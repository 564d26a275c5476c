import type { SurfaceExtraction } from '../epdi/extract';
import type { Structure } from '../structure/structure';
import { siteFeatures } from './site-features';
import type { Sample } from './types';

/** Kinds that are saddle-point guesses (the transition states the method predicts); the rest are minima. */
const SADDLE_KINDS = new Set(['bridge']);

/**
 * lib/ml samples from one surface's extraction: one sample per site, with its EPDI (eV, vacuum-aligned), MEP, nearest
 * dopant distance, symmetry group keys (the site's and, for bridges, those of the two hollows it joins), and the DFT
 * binding energy where `bindingEv` has one (keyed by site index). `surfaceDescriptors` (e.g. the host's levels,
 * ./host-levels.ts) are given to every site. With the host `structure`, every sample also gets its site features
 * (./site-features.ts).
 */
export function samplesFromExtraction(
  surfaceId: string,
  extraction: SurfaceExtraction,
  bindingEv: ReadonlyMap<number, number>,
  surfaceDescriptors: Record<string, number> = {},
  structure?: Structure,
): Sample[] {
  const features = structure ? siteFeatures(extraction, structure, surfaceDescriptors) : undefined;
  const groupKey = (i: number): string => `${surfaceId}#${extraction.sites[i].group}`;
  return extraction.sites.map((site, i) => {
    const dopant = site.dopantDistances.length ? Math.min(...site.dopantDistances.map((d) => d.distanceA)) : undefined;
    return {
      id: `${surfaceId}/${site.id}`,
      surfaceId,
      kind: site.kind,
      isSaddle: SADDLE_KINDS.has(site.kind),
      epdi: extraction.epdis[i],
      pixels: extraction.settings.pixels,
      windowAngstrom: extraction.settings.windowA,
      mepEv: extraction.meps[i],
      dopantDistanceAngstrom: dopant,
      eBindingEv: bindingEv.get(i),
      siteGroup: groupKey(i),
      hopEnds: site.hollows && [groupKey(site.hollows[0]), groupKey(site.hollows[1])],
      hopEndsMepEv: site.hollows && (extraction.meps[site.hollows[0]] + extraction.meps[site.hollows[1]]) / 2,
      descriptors: Object.keys(surfaceDescriptors).length ? { ...surfaceDescriptors } : undefined,
      ...(features ? { siteFeatures: features[i] } : {}),
    };
  });
}
