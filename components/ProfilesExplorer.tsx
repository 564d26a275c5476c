'use client';

import { useMemo, useState } from 'react';
import type { HopProfileView } from '@/lib/server/profiles';
import { defaultHop, hopFlag, type DopingForChoice, type SurfaceForChoice } from '@/lib/view/default-hop';
import { siteDisplayName } from '@/lib/view/format';
import { BarrierTable, type BarrierRow } from './BarrierTable';
import { ProfileChart } from './ProfileChart';

/**
 * The profile chart of the selected hop above the barrier table. It opens on the percolating bottleneck hop of the
 * surface with the largest doping effect (or of the first surface), never on a flagged hop (lib/view defaultHop), and
 * lists the flagged hops with the reason.
 */
export function ProfilesExplorer({
  hops,
  surfaces = [],
  doping = [],
}: {
  hops: HopProfileView[];
  surfaces?: SurfaceForChoice[];
  doping?: DopingForChoice[];
}) {
  const rows = useMemo<BarrierRow[]>(
    () =>
      hops.map((h) => ({
        key: h.hopId,
        surface: h.surface,
        host: h.host,
        dopant: h.dopant,
        hop: h.hop,
        fromSite: siteDisplayName(h.knots[0].siteName, h.knots[0].site),
        saddleSite: siteDisplayName(h.knots[1].siteName, h.knots[1].site),
        toSite: siteDisplayName(h.knots[2].siteName, h.knots[2].site),
        eFromEv: h.knots[0].energyEv,
        eSaddleEv: h.knots[1].energyEv,
        eToEv: h.knots[2].energyEv,
        forwardEv: h.barrierForwardEv,
        backwardEv: h.barrierBackwardEv,
        sigmaEv: h.barrierForwardSigmaEv,
        sigmaBackwardEv: h.barrierBackwardSigmaEv,
        source: h.source,
        flag: hopFlag(h),
        nebBarrierEv: h.neb?.comparison?.nebBarrierForwardEv ?? null,
        errorEv: h.neb?.comparison?.barrierErrorEv ?? null,
      })),
    [hops],
  );
  const first = useMemo(() => defaultHop(hops, surfaces, doping), [hops, surfaces, doping]);
  const flagged = rows.filter((r) => r.flag !== null);
  const [selected, setSelected] = useState<string | null>(first?.hopId ?? null);
  const hop = hops.find((h) => h.hopId === selected) ?? hops.find((h) => h.hopId === first?.hopId);
  if (hops.length === 0) {
    return (
      <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No complete hop yet: every hop needs an energy for its two minima and its saddle (a DFT label, a
        symmetry-equivalent label or a model prediction). Upload labels.csv or train a model.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      {first && hop?.hopId === first.hopId && (
        <p className="text-xs text-slate-500" data-testid="default-hop-reason">
          Showing {hop.surface} {hop.hop}: the {first.reason}. Click a row to show another hop.
        </p>
      )}
      {hop && <ProfileChart hop={hop} />}
      <BarrierTable rows={rows} selected={hop?.hopId ?? null} onSelect={setSelected} />
      {flagged.length > 0 && (
        <details className="rounded border border-amber-200 bg-amber-50 p-3 text-sm" aria-label="Flagged hops">
          <summary className="cursor-pointer text-amber-900">
            {flagged.length} flagged hop{flagged.length === 1 ? '' : 's'}: not read as transitions
          </summary>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs text-amber-900">
            {flagged.map((r) => (
              <li key={r.key}>
                {r.surface} {r.hop} ({r.fromSite} → {r.saddleSite} → {r.toSite}): {r.flag}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
