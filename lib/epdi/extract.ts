import type { Structure } from '../structure/structure';
import type { Grid3D } from '../grid/grid3d';
import { ballRule, createSampler, vacuumAlignment, type VacuumAlignment } from '../grid';
import { findSites, type Hop, type Site, type SiteOptions } from '../surface';
import { meanElectrostaticPotential } from './mep';
import { createEpdiRenderer } from './render';
import { resolveSettings, settingsHash, type ExtractionSettings } from './settings';

/**
 * Everything the method needs from one surface (host slab + its potential grid): sites and hops, vacuum alignment,
 * MEPs and EPDIs, with the settings (and their hash) they were made with.
 * Units: eV, vacuum-aligned (V + vacuum.shiftEv, so the vacuum above the top surface is 0).
 */
export interface SurfaceExtraction {
  sites: Site[];
  hops: Hop[];
  /** MEP per site (same order as `sites`), eV, aligned. */
  meps: Float64Array;
  /** EPDI potentials per site, eV, aligned. Each Shape [N, N] row-major (see render.ts for the orientation). */
  epdis: Float32Array[];
  settings: ExtractionSettings;
  settingsHash: string;
  /** Vacuum alignment as detected (its shiftEv is what was added unless `align: false`). */
  vacuum: VacuumAlignment;
  /** The shift actually added to every value (vacuum.shiftEv, or 0 with `align: false`). */
  appliedShiftEv: number;
  /** Mean height of the top X plane along the surface normal (Angstrom) and the symmetry group count. */
  topXHeightA: number;
  groupCount: number;
}

export interface ExtractOptions {
  /** Site detection options (heightA is taken from the settings). */
  sites?: Omit<SiteOptions, 'heightA'>;
  /** Align to the vacuum (default true). When false, shiftEv is 0 and values are raw grid values. */
  align?: boolean;
}

/** Angle of the EPDI window for a site: the hop direction for bridges, 0 (x along e1) otherwise. */
export function epdiAngle(site: Site): number {
  return site.kind === 'bridge' && site.hopAngleRad !== undefined ? site.hopAngleRad : 0;
}

export function extractSurface(
  structure: Structure,
  grid: Grid3D,
  partialSettings: Partial<ExtractionSettings> = {},
  options: ExtractOptions = {},
): SurfaceExtraction {
  const settings = resolveSettings(partialSettings);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      if (Math.abs(structure.lattice[r][c] - grid.lattice[r][c]) > 1e-3 * (1 + Math.abs(structure.lattice[r][c])))
        throw new RangeError('extractSurface: the structure and the grid have different lattices');
  const found = findSites(structure, { ...(options.sites ?? {}), heightA: settings.heightA });
  const vacuum = vacuumAlignment(grid, structure.positions, { ignoreIndices: found.layers.ignored });
  const shift = options.align === false ? 0 : vacuum.shiftEv;
  const sampler = createSampler(grid, 'tricubic');
  const rule = ballRule(settings.mepRadiusA);
  const renderer = createEpdiRenderer(grid, found.layers.frame.e1, found.layers.frame.e2);
  const meps = new Float64Array(found.sites.length);
  const epdis: Float32Array[] = [];
  found.sites.forEach((site, i) => {
    meps[i] = meanElectrostaticPotential(sampler, site.position, settings.mepRadiusA, rule) + shift;
    const image = renderer.render(site.position, epdiAngle(site), settings.windowA, settings.pixels);
    if (shift !== 0) for (let p = 0; p < image.length; p++) image[p] += shift;
    epdis.push(image);
  });
  return {
    sites: found.sites,
    hops: found.hops,
    meps,
    epdis,
    settings,
    settingsHash: settingsHash(settings),
    vacuum,
    appliedShiftEv: shift,
    topXHeightA: found.topXHeightA,
    groupCount: found.groupCount,
  };
}
