/**
 * Site features (lib/ml/site-features.ts) of stored surfaces, rebuilt from what extraction stored: the structure,
 * the sites (kind, Li position, dopant distance, MEP) and the hops (a bridge's two hollows). The EPDI batch carries
 * them (./epdi-batch.ts), so the browser's training, the server's training, the default model and the new-surface
 * protocols all read the same features the CLI computes from folders.
 */
import { siteFeatures } from '@/lib/ml/site-features';
import type { Structure } from '@/lib/structure/structure';
import { detectLayers, project2 } from '@/lib/surface';

export interface StoredFeatureSite {
  id: string;
  kind: string;
  x: number;
  y: number;
  z: number;
  dopantDistanceA: number | null;
  mepV: number | null;
}

export interface StoredFeatureHop {
  saddleSiteId: string;
  fromSiteId: string;
  toSiteId: string;
}

/** Features of every site of one stored surface, by site id. */
export function storedSiteFeatures(
  surface: { structureJson: string; dopant: string | null },
  sites: readonly StoredFeatureSite[],
  hops: readonly StoredFeatureHop[],
  hostLevels: Record<string, number>,
): Map<string, Record<string, number>> {
  const structure = JSON.parse(surface.structureJson) as Structure;
  const frame = detectLayers(structure).frame;
  const index = new Map(sites.map((s, i) => [s.id, i]));
  const hollows = new Map<string, [number, number]>();
  for (const h of hops) {
    const [a, b] = [index.get(h.fromSiteId), index.get(h.toSiteId)];
    if (a !== undefined && b !== undefined && !hollows.has(h.saddleSiteId)) hollows.set(h.saddleSiteId, [a, b]);
  }
  const input = {
    sites: sites.map((s) => ({
      kind: s.kind,
      xy: project2(frame, [s.x, s.y, s.z]),
      hollows: hollows.get(s.id),
      dopantDistances:
        surface.dopant && s.dopantDistanceA !== null ? [{ species: surface.dopant, distanceA: s.dopantDistanceA }] : [],
    })),
    meps: sites.map((s) => s.mepV ?? 0),
  };
  const features = siteFeatures(input, structure, hostLevels);
  return new Map(sites.map((s, i) => [s.id, features[i]]));
}
