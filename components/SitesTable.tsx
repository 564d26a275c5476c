'use client';

import { useMemo, useState } from 'react';
import { formatFixed, siteDisplayName } from '@/lib/view/format';
import type { ViewSite } from '@/lib/view/surface-model';
import { MEP_COLUMN } from '@/lib/view/units';

type Key = 'name' | 'kind' | 'mepV' | 'eBindingEv' | 'predictedEv' | 'sigmaEv' | 'dopantDistanceA';

const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Site', numeric: false },
  { key: 'kind', label: 'Kind', numeric: false },
  { key: 'mepV', label: MEP_COLUMN, numeric: true },
  { key: 'eBindingEv', label: 'E_b DFT (eV)', numeric: true },
  { key: 'predictedEv', label: 'E_b predicted (eV)', numeric: true },
  { key: 'sigmaEv', label: 'σ (eV)', numeric: true },
  { key: 'dopantDistanceA', label: 'Dopant distance (Å)', numeric: true },
];

const KIND_ORDER = ['T_M', 'H', 'H_X', 'T_X', 'bridge'];
/** Minima first, then bridges (the order a reader of the paper expects), unknown kinds last. */
function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** The surface's sites, sortable by any column (empty values last); clicking a row selects the site. */
export function SitesTable({
  sites,
  selectedSiteId,
  onSelectSite,
}: {
  sites: ViewSite[];
  selectedSiteId: string | null;
  onSelectSite: (id: string) => void;
}) {
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'kind', dir: 1 });
  const rows = useMemo(() => {
    const out = [...sites];
    out.sort((a, b) => {
      const x = sort.key === 'kind' ? kindRank(a.kind) : a[sort.key];
      const y = sort.key === 'kind' ? kindRank(b.kind) : b[sort.key];
      if (x === null && y === null) return a.name.localeCompare(b.name, undefined, { numeric: true });
      if (x === null) return 1;
      if (y === null) return -1;
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      return c !== 0 ? sort.dir * c : a.name.localeCompare(b.name, undefined, { numeric: true });
    });
    return out;
  }, [sites, sort]);
  const f = (v: number | null, d: number) => formatFixed(v, d);
  return (
    <div className="max-h-96 overflow-auto rounded border border-slate-200 bg-white">
      <table className="w-full text-sm" aria-label="Sites">
        <thead className="sticky top-0 bg-slate-100 text-left text-slate-600">
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className={`px-3 py-1.5 ${c.numeric ? 'text-right' : ''}`}
                aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  className="font-semibold hover:text-slate-900"
                  onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : 1 }))}
                >
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr
              key={s.id}
              onClick={() => onSelectSite(s.id)}
              className={`cursor-pointer border-t border-slate-100 ${s.id === selectedSiteId ? 'bg-sky-100' : 'hover:bg-slate-50'}`}
              aria-selected={s.id === selectedSiteId}
            >
              <td className="px-3 py-1 font-mono text-xs">{siteDisplayName(s.name, s.label)}</td>
              <td className="px-3 py-1">{s.kind}</td>
              <td className="px-3 py-1 text-right tabular-nums">{f(s.mepV, 3)}</td>
              <td className="px-3 py-1 text-right tabular-nums">{f(s.eBindingEv, 3)}</td>
              <td className="px-3 py-1 text-right tabular-nums">{f(s.predictedEv, 3)}</td>
              <td className="px-3 py-1 text-right tabular-nums">{f(s.sigmaEv, 3)}</td>
              <td className="px-3 py-1 text-right tabular-nums">{f(s.dopantDistanceA, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
