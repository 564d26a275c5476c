import { hostLevelDescriptors, hostLevelsOf } from '@/lib/ml/host-levels';

/**
 * A stored surface's host levels against the vacuum (acceptor_level_eV, fermi_level_eV): meta.json's levels plus the
 * vacuum shift applied at extraction. Empty before extraction or without levels.
 */
export function storedSurfaceLevels(surface: {
  metaJson: string;
  extractionJson: string | null;
}): Record<string, number> {
  const extraction = surface.extractionJson
    ? (JSON.parse(surface.extractionJson) as { appliedShiftEv?: number; vacuum?: { shiftEv?: number } })
    : null;
  const shift = extraction?.appliedShiftEv ?? extraction?.vacuum?.shiftEv;
  return shift === undefined ? {} : hostLevelDescriptors(hostLevelsOf(JSON.parse(surface.metaJson)), shift);
}
