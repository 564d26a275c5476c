/**
 * Which calculations a campaign holds: the saddles the active learner ranks first (`nextSaddles` of the profiles,
 * lib/pipeline), or sites and hops picked by name. Pure: the server hands in what it loaded.
 */
import type { Vec3 } from '../math/mat3';
import type { CalculationChoice, CampaignSurface, NamedSite } from './types';

export interface SelectableSite {
  /** Key of the site within the surface (database id). */
  id: string;
  /** The app's canonical id. */
  appId: string;
  /** Display name: the user's label name where labelled, else the app's id. */
  name: string;
  kind: string;
  /** Li at the extraction plane (site xy, dataset height), Cartesian Angstrom. */
  position: Vec3;
  /** Relaxed Li position from the user's label, when labelled. */
  liPosition: Vec3 | null;
  /** DFT energy known (own label or a symmetry twin's). */
  hasDft: boolean;
  symmetryGroup: number | null;
}

export interface SelectableSurface {
  surface: CampaignSurface;
  sites: SelectableSite[];
  /** One hop per bridge: from -> saddle -> to as site ids. */
  hops: { appId: string; from: string; saddle: string; to: string }[];
  /** The profiles' nextSaddles: app id of a saddle and the expected change of the percolating barrier (eV). */
  nextSaddles: { siteName: string; expectedChangeEv: number; meanEv: number; sigmaEv: number }[];
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

function named(s: SelectableSite, start: 'site' | 'label'): NamedSite {
  return {
    appId: s.appId,
    name: s.name,
    kind: s.kind,
    position: start === 'label' && s.liPosition ? s.liPosition : s.position,
  };
}

function nebChoice(surf: SelectableSurface, saddle: SelectableSite, why: string): CalculationChoice {
  const hop = surf.hops.find((h) => h.saddle === saddle.id);
  if (!hop) throw new SelectionError(`${surf.surface.name}: ${saddle.name} is not the saddle of any hop`);
  const site = (id: string): SelectableSite => surf.sites.find((s) => s.id === id)!;
  return {
    kind: 'neb',
    surface: surf.surface,
    hop: hop.appId,
    from: named(site(hop.from), 'label'),
    saddle: named(saddle, 'site'),
    to: named(site(hop.to), 'label'),
    why,
  };
}

function relaxChoice(surf: SelectableSurface, site: SelectableSite, why: string): CalculationChoice {
  return { kind: 'relax', surface: surf.surface, site: named(site, 'site'), why };
}

/**
 * The `count` saddles whose DFT value would move the percolating barriers most (the profiles' nextSaddles, over all
 * surfaces, largest expected change first). Without predictions (no model yet), the saddles of symmetry groups that
 * have no DFT value at all, in surface and site order. Each becomes a relaxation at the bridge (Li's xy fixed: the
 * dataset's saddle labels), or with `neb` a CI-NEB of its hop.
 */
export function selectNext(
  surfaces: readonly SelectableSurface[],
  count: number,
  neb: boolean,
): { choices: CalculationChoice[]; selection: string } {
  if (!Number.isInteger(count) || count < 1)
    throw new SelectionError(`--next expects a positive whole number, got ${count}`);
  const ranked = surfaces
    .flatMap((surf) => surf.nextSaddles.map((n) => ({ surf, n })))
    .sort((a, b) => b.n.expectedChangeEv - a.n.expectedChangeEv);
  const make = (surf: SelectableSurface, site: SelectableSite, why: string): CalculationChoice =>
    neb ? nebChoice(surf, site, why) : relaxChoice(surf, site, why);
  if (ranked.length > 0) {
    const choices = ranked.slice(0, count).map(({ surf, n }) => {
      const site = surf.sites.find((s) => s.appId === n.siteName);
      if (!site) throw new SelectionError(`${surf.surface.name}: no site ${n.siteName}`);
      const why =
        `predicted ${n.meanEv.toFixed(3)} +- ${n.sigmaEv.toFixed(3)} eV; computing it moves the percolating ` +
        `barrier by ${(n.expectedChangeEv * 1000).toFixed(1)} meV (expected)`;
      return make(surf, site, why);
    });
    return { choices, selection: `next ${choices.length} saddles ranked by the model (active learning)` };
  }
  const choices: CalculationChoice[] = [];
  for (const surf of surfaces) {
    const seen = new Set<number>();
    for (const s of surf.sites) {
      if (choices.length >= count) break;
      if (s.kind !== 'bridge' || s.hasDft) continue;
      if (s.symmetryGroup !== null) {
        if (seen.has(s.symmetryGroup)) continue;
        seen.add(s.symmetryGroup);
      }
      choices.push(make(surf, s, 'saddle group without any DFT value (no model predictions to rank by)'));
    }
  }
  if (choices.length === 0) throw new SelectionError('no saddle left to compute: every saddle group has a DFT value');
  return { choices, selection: `${choices.length} unlabelled saddle groups (no model predictions to rank by)` };
}

/**
 * Calculations picked by name: `SURFACE:NAME` where NAME is a site (display name, the user's label name or the app's
 * id) -> a relaxation there (with `neb`, a bridge gives the CI-NEB of its hop), or a hop id ('hop-3') -> its CI-NEB.
 */
export function selectByName(
  surfaces: readonly SelectableSurface[],
  picks: readonly string[],
  neb: boolean,
): { choices: CalculationChoice[]; selection: string } {
  const choices = picks.map((pick) => {
    const colon = pick.lastIndexOf(':');
    if (colon <= 0) throw new SelectionError(`'${pick}': expected SURFACE:SITE (e.g. MoS2:bridge-3 or MoS2:hop-3)`);
    const surfName = pick.slice(0, colon);
    const name = pick.slice(colon + 1);
    const surf = surfaces.find((s) => s.surface.name === surfName || s.surface.id === surfName);
    if (!surf) throw new SelectionError(`'${pick}': no surface ${surfName} in the dataset`);
    const hop = surf.hops.find((h) => h.appId === name);
    if (hop)
      return nebChoice(
        surf,
        surf.sites.find((s) => s.id === hop.saddle)!,
        'picked by hand',
      );
    const site =
      surf.sites.find((s) => s.name === name) ??
      surf.sites.find((s) => s.appId === name) ??
      surf.sites.find((s) => `app:${s.appId}` === name);
    if (!site) throw new SelectionError(`'${pick}': ${surfName} has no site or hop named ${name}`);
    return neb && site.kind === 'bridge'
      ? nebChoice(surf, site, 'picked by hand')
      : relaxChoice(surf, site, 'picked by hand');
  });
  if (choices.length === 0) throw new SelectionError('no sites given');
  return { choices, selection: `${choices.length} calculations picked by hand` };
}
