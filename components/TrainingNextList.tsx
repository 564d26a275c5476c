'use client';

import type { TiedGroup } from '@/lib/ml/next-ties';
import type { Prediction } from '@/lib/ml/types';
import { formatFixed } from '@/lib/view/format';

interface Props {
  next: Prediction[];
  ties: TiedGroup[];
  model: string;
  rankedBy: string | null;
  siteLabel: (id: string) => string;
}

/** Unlabelled saddles to compute next, by predictive σ; tied entries share a rank and the list says why. */
export function TrainingNextList({ next, ties, model, rankedBy, siteLabel }: Props) {
  const rank = new Map<number, string>();
  for (const g of ties) for (const p of g.positions) rank.set(p, `${g.positions[0] + 1}=`);
  return (
    <div>
      <h3 className="font-semibold">Compute these next</h3>
      {next.length === 0 ? (
        <p className="text-slate-600">Every saddle of this dataset is labelled, itself or through a symmetry twin.</p>
      ) : (
        <>
          <p className="text-xs text-slate-600">
            Unlabelled saddles (one per symmetry group, none with a labelled twin) with the largest predictive σ (
            {rankedBy === model ? model : `${rankedBy}, since ${model} gives no σ`}): an NEB there teaches the model
            most. To rank them instead by how much each may move the surface&apos;s percolating barrier, predict and
            store below, then open the profiles page (&quot;Saddles to compute next&quot;).
          </p>
          {ties.map((g) => (
            <p key={g.positions.join(',')} role="note" className="mt-1 text-xs text-amber-800">
              Tied: {g.positions.map((p) => siteLabel(next[p].id)).join(', ')} — {g.reason}.
            </p>
          ))}
          <table aria-label="Compute these next" className="mt-1 w-full border border-slate-200">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-3 py-1">#</th>
                <th className="px-3 py-1">Site</th>
                <th className="px-3 py-1">Predicted E_b (eV)</th>
                <th className="px-3 py-1">σ (eV)</th>
              </tr>
            </thead>
            <tbody>
              {next.map((p, i) => (
                <tr key={p.id} className="border-t border-slate-100">
                  <td className="px-3 py-1">{rank.get(i) ?? i + 1}</td>
                  <td className="px-3 py-1">{siteLabel(p.id)}</td>
                  <td className="px-3 py-1">{formatFixed(p.meanEv)}</td>
                  <td className="px-3 py-1">{formatFixed(p.sigmaEv)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
