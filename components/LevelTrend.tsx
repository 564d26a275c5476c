import type { LevelCorrelation } from '@/lib/server/level-correlation';
import { formatFixed, formatSigned, formatSignificant } from '@/lib/view/format';

/** Surface mean minimum E_b against the host acceptor level: a table and the least-squares line. */
export function LevelTrend({ data }: { data: LevelCorrelation }) {
  if (data.surfaces.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No surface has both host levels (meta.json or a host OUTCAR) and labelled minima yet.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <table className="text-sm" aria-label="Binding energy against acceptor level">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            <th className="px-3 py-2">Surface</th>
            <th className="px-3 py-2">Acceptor level vs vacuum (eV)</th>
            <th className="px-3 py-2">Mean E_b of minima (eV)</th>
            <th className="px-3 py-2">Minima</th>
          </tr>
        </thead>
        <tbody>
          {data.surfaces.map((s) => (
            <tr key={s.surfaceId} className="border-t border-slate-100">
              <td className="px-3 py-1">{s.surface}</td>
              <td className="px-3 py-1 font-mono">{formatFixed(s.acceptorLevelEv, 3)}</td>
              <td className="px-3 py-1 font-mono">{formatFixed(s.meanMinimumEv, 3)}</td>
              <td className="px-3 py-1">{s.minima}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm text-slate-700">
        {data.fit
          ? `Mean E_b (eV) ≈ ${formatSignificant(data.fit.slope, 3)} × acceptor level (eV) ${formatSigned(data.fit.intercept, 3).replace(/^([+-])/, '$1 ')} eV over ${data.fit.n} surfaces, Pearson r = ${formatFixed(data.fit.pearsonR, 3)}.`
          : 'A line needs at least 3 surfaces with levels and labelled minima.'}
      </p>
    </div>
  );
}
