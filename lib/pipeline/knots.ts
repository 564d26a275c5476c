/**
 * The energy of each site of a surface, in this order of preference:
 *   1. the site's own DFT label (source 'dft');
 *   2. the DFT label of another site of the same kind in the same symmetry group (the DFT generator computes one
 *      representative per group; source 'dft', note 'by symmetry from <site>');
 *   3. the model's prediction for the site (source 'predicted', with its sigma), else that model's prediction for a
 *      symmetry-equivalent site.
 * A site with none of these has no energy: no number is ever invented. Representatives are the first site of the
 * group in natural name order.
 */
import type { KnotOrigin, PipelineSite } from './views';

export interface Resolved {
  energyEv: number;
  source: 'dft' | 'predicted';
  sigmaEv: number | null;
  origin: KnotOrigin;
  /** The site whose value was used, when not this one. */
  valueFrom: PipelineSite | null;
}

export interface KnotResolver {
  resolve(site: PipelineSite): Resolved | null;
  /** The DFT value of a site, own or by symmetry (with the representative when by symmetry). */
  dft(site: PipelineSite): { energyEv: number; from: PipelineSite | null } | null;
  /** Sites in natural name order. */
  sorted: PipelineSite[];
}

const groupKey = (s: PipelineSite): string | null => (s.symmetryGroup === null ? null : `${s.kind}#${s.symmetryGroup}`);

export function knotResolver(sites: readonly PipelineSite[]): KnotResolver {
  const sorted = [...sites].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const dftRep = new Map<string, PipelineSite>();
  const predRep = new Map<string, PipelineSite>();
  const own = (s: PipelineSite): number | null => s.label?.eBindingEv ?? null;
  for (const s of sorted) {
    const key = groupKey(s);
    if (!key) continue;
    if (own(s) !== null && !dftRep.has(key)) dftRep.set(key, s);
    if (s.prediction && !predRep.has(key)) predRep.set(key, s);
  }
  const dft = (site: PipelineSite): { energyEv: number; from: PipelineSite | null } | null => {
    const e = own(site);
    if (e !== null) return { energyEv: e, from: null };
    const key = groupKey(site);
    const rep = key ? dftRep.get(key) : undefined;
    return rep ? { energyEv: own(rep)!, from: rep } : null;
  };
  const cache = new Map<string, Resolved | null>();
  const compute = (site: PipelineSite): Resolved | null => {
    const d = dft(site);
    if (d) {
      return {
        energyEv: d.energyEv,
        source: 'dft',
        sigmaEv: null,
        origin: d.from ? 'symmetry-label' : 'label',
        valueFrom: d.from,
      };
    }
    if (site.prediction) {
      return {
        energyEv: site.prediction.valueEv,
        source: 'predicted',
        sigmaEv: site.prediction.sigmaEv,
        origin: 'prediction',
        valueFrom: null,
      };
    }
    const key = groupKey(site);
    const rep = key ? predRep.get(key) : undefined;
    if (!rep) return null;
    return {
      energyEv: rep.prediction!.valueEv,
      source: 'predicted',
      sigmaEv: rep.prediction!.sigmaEv,
      origin: 'symmetry-prediction',
      valueFrom: rep,
    };
  };
  return {
    sorted,
    dft,
    resolve(site) {
      if (!cache.has(site.id)) cache.set(site.id, compute(site));
      return cache.get(site.id)!;
    },
  };
}

/**
 * Names people see: the user's label name where a site is labelled, else the app's id, prefixed `app:` when a user
 * label elsewhere on the surface carries the same text (so "bridge-1" never means two sites).
 */
export function displayNames(sites: readonly PipelineSite[]): Map<string, string> {
  const userNames = new Set(sites.flatMap((s) => (s.label ? [s.label.name] : [])));
  return new Map(
    sites.map((s) => [s.id, s.label ? s.label.name : userNames.has(s.name) ? `app:${s.name}` : s.name] as const),
  );
}
