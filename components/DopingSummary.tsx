import type { DopingEffect } from '@/lib/profile';
import { formatFixed, formatMeV } from '@/lib/view/format';

/**
 * Doping effect per (host, dopant): percolating barrier of the doped surface vs the pristine one, in meV
 * (server-rendered).
 */
export function DopingSummary({ effects }: { effects: DopingEffect[] }) {
  if (effects.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No doping effect yet: it needs a pristine and a doped surface of the same host, each with a percolating barrier.
      </p>
    );
  }
  return (
    <table className="w-full rounded border border-slate-200 bg-white text-sm" aria-label="Doping effects">
      <thead className="bg-slate-100 text-left text-slate-600">
        <tr>
          <th className="px-3 py-2">Host</th>
          <th className="px-3 py-2">Dopant</th>
          <th className="px-3 py-2 text-right">Pristine barrier (meV)</th>
          <th className="px-3 py-2 text-right">Doped barrier (meV)</th>
          <th className="px-3 py-2 text-right">Change (meV)</th>
          <th className="px-3 py-2 text-right">Change (%)</th>
        </tr>
      </thead>
      <tbody>
        {effects.map((e) => (
          <tr key={`${e.host}:${e.dopant}`} className="border-t border-slate-100">
            <td className="px-3 py-2">{e.host}</td>
            <td className="px-3 py-2">{e.dopant}</td>
            <td className="px-3 py-2 text-right font-mono">
              {formatMeV(e.pristineBarrierEv)} <span className="text-xs text-slate-500">{e.pristineSurface}</span>
            </td>
            <td className="px-3 py-2 text-right font-mono">
              {formatMeV(e.dopedBarrierEv)} <span className="text-xs text-slate-500">{e.dopedSurface}</span>
            </td>
            <td className="px-3 py-2 text-right font-mono">{formatMeV(e.deltaEv)}</td>
            <td className="px-3 py-2 text-right font-mono">{formatFixed(e.deltaPercent, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
