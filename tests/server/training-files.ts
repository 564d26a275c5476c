import { findSites } from '@/lib/surface';
import { syntheticBindingEnergy, syntheticPotentialModel } from '../fixtures/synthetic';
import { smallSurfaceFiles } from './surface-files';

/** E_slab and mu_Li of smallSurfaceFiles' meta.json (eV). */
const E_SLAB_EV = -188.0;
const MU_LI_EV = -1.9;

/**
 * The small doped 3x3 2H-MoS2 surface folder with a labels.csv for every hollow (T_M, H) and the first
 * `labelledBridges` bridges; E_b is the synthetic fixture's analytic value at each site's Li position, E_total =
 * E_b + E_slab + mu_Li. The other bridges stay unlabelled (what a model predicts).
 */
export function labelledSurfaceFiles(
  name = 'MoS2-V',
  labelledBridges = 12,
): { files: [string, string][]; labelled: number; unlabelled: number; eBindingEv: Map<string, number> } {
  const { files, structure } = smallSurfaceFiles(name);
  const model = syntheticPotentialModel(structure);
  const found = findSites(structure, { heightA: 1.5 });
  const hollows = found.sites.filter((s) => s.kind !== 'bridge');
  const bridges = found.sites.filter((s) => s.kind === 'bridge').slice(0, labelledBridges);
  const chosen = [...hollows, ...bridges];
  const eBindingEv = new Map<string, number>();
  const rows = chosen.map((s) => {
    const eb = syntheticBindingEnergy(model, s.position);
    eBindingEv.set(s.id, eb);
    return `${s.id},${s.kind},${s.position.map((v) => v.toFixed(6)).join(',')},${(eb + E_SLAB_EV + MU_LI_EV).toFixed(6)},synthetic`;
  });
  const labels = ['site,kind,x,y,z,E_total_eV,method', ...rows].join('\n') + '\n';
  return {
    files: files.map(([p, c]) => [p, p.endsWith('labels.csv') ? labels : c]),
    labelled: chosen.length,
    unlabelled: found.sites.length - chosen.length,
    eBindingEv,
  };
}
