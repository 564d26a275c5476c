'use client';

import { useMemo, useState } from 'react';
import type { HopProfileView } from '@/lib/server/profiles';
import { BarrierTable, type BarrierRow } from './BarrierTable';
import { ProfileChart } from './ProfileChart';

/** The barrier table and the profile chart of the hop selected in it (the lowest forward barrier at first). */
export function ProfilesExplorer({ hops }: { hops: HopProfileView[] }) {
  const rows = useMemo<BarrierRow[]>(
    () =>
      hops.map((h) => ({
        key: h.hopId,
        surface: h.surface,
        host: h.host,
        dopant: h.dopant,
        hop: h.hop,
        fromSite: h.knots[0].site,
        saddleSite: h.knots[1].site,
        toSite: h.knots[2].site,
        eFromEv: h.knots[0].energyEv,
        eSaddleEv: h.knots[1].energyEv,
        eToEv: h.knots[2].energyEv,
        forwardEv: h.barrierForwardEv,
        backwardEv: h.barrierBackwardEv,
        sigmaEv: h.barrierForwardSigmaEv,
        source: h.source,
        nebBarrierEv: h.neb?.comparison?.nebBarrierForwardEv ?? null,
        errorEv: h.neb?.comparison?.barrierErrorEv ?? null,
      })),
    [hops],
  );
  const first = useMemo(
    () => [...hops].sort((a, b) => a.barrierForwardEv - b.barrierForwardEv)[0]?.hopId ?? null,
    [hops],
  );
  const [selected, setSelected] = useState<string | null>(first);
  const hop = hops.find((h) => h.hopId === selected) ?? hops.find((h) => h.hopId === first);
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
      {hop && <ProfileChart hop={hop} />}
      <BarrierTable rows={rows} selected={hop?.hopId ?? null} onSelect={setSelected} />
    </div>
  );
}
