'use client';

import { useMemo, useState } from 'react';
import { formatFixed, formatMeV } from '@/lib/view/format';

/** One row of the barrier table (one hop); energies in eV (shown: E in eV, barriers and sigmas in meV). */
export interface BarrierRow {
  key: string;
  surface: string;
  host: string;
  dopant: string | null;
  hop: string;
  fromSite: string;
  saddleSite: string;
  toSite: string;
  eFromEv: number;
  eSaddleEv: number;
  eToEv: number;
  forwardEv: number;
  backwardEv: number;
  /** Sigma of the forward barrier, eV. */
  sigmaEv: number | null;
  sigmaBackwardEv: number | null;
  source: string;
  /** Why this hop should not be read as a transition (lib/view hopFlag), null when fine. */
  flag: string | null;
  nebBarrierEv: number | null;
  errorEv: number | null;
}

type SortKey =
  | 'surface'
  | 'hop'
  | 'eFromEv'
  | 'eSaddleEv'
  | 'eToEv'
  | 'forwardEv'
  | 'backwardEv'
  | 'sigmaEv'
  | 'sigmaBackwardEv'
  | 'source'
  | 'nebBarrierEv'
  | 'errorEv';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'surface', label: 'Surface', numeric: false },
  { key: 'hop', label: 'Hop (A → S → B)', numeric: false },
  { key: 'eFromEv', label: 'E_A (eV)', numeric: true },
  { key: 'eSaddleEv', label: 'E_S (eV)', numeric: true },
  { key: 'eToEv', label: 'E_B (eV)', numeric: true },
  { key: 'forwardEv', label: 'Forward (meV)', numeric: true },
  { key: 'sigmaEv', label: 'σ forward (meV)', numeric: true },
  { key: 'backwardEv', label: 'Backward (meV)', numeric: true },
  { key: 'sigmaBackwardEv', label: 'σ backward (meV)', numeric: true },
  { key: 'source', label: 'Source', numeric: false },
  { key: 'nebBarrierEv', label: 'NEB forward (meV)', numeric: true },
  { key: 'errorEv', label: 'Error vs NEB (meV)', numeric: true },
];

const PRISTINE = '(pristine)';

function compare(a: BarrierRow, b: BarrierRow, key: SortKey): number {
  const va = a[key];
  const vb = b[key];
  if (va === null && vb === null) return 0;
  if (va === null) return 1; // missing values last in both directions
  if (vb === null) return -1;
  if (typeof va === 'number' && typeof vb === 'number') return va - vb;
  return String(va).localeCompare(String(vb), 'en', { numeric: true });
}

/** Barriers of every complete hop: sortable by any column, filterable by host and dopant; a row click selects it. */
export function BarrierTable({
  rows,
  selected,
  onSelect,
}: {
  rows: BarrierRow[];
  selected?: string | null;
  onSelect?: (key: string) => void;
}) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'forwardEv', dir: 1 });
  const [host, setHost] = useState('');
  const [dopant, setDopant] = useState('');
  const hosts = useMemo(() => [...new Set(rows.map((r) => r.host))].sort(), [rows]);
  const dopants = useMemo(() => [...new Set(rows.map((r) => r.dopant ?? PRISTINE))].sort(), [rows]);
  const shown = useMemo(() => {
    const missingLast = (a: BarrierRow, b: BarrierRow) => {
      // Flagged hops (not transitions, see the list below the table) go after the others in every order.
      if ((a.flag === null) !== (b.flag === null)) return a.flag === null ? -1 : 1;
      if (a[sort.key] === null || b[sort.key] === null) return compare(a, b, sort.key);
      return sort.dir * compare(a, b, sort.key);
    };
    return rows
      .filter((r) => (!host || r.host === host) && (!dopant || (r.dopant ?? PRISTINE) === dopant))
      .sort(missingLast);
  }, [rows, host, dopant, sort]);
  const ev = (v: number | null) => formatFixed(v, 3);
  const mev = (v: number | null) => formatMeV(v);

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-end gap-4 text-sm">
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Host</span>
          <select
            value={host}
            onChange={(e) => setHost(e.target.value)}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="">all hosts</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-600">Dopant</span>
          <select
            value={dopant}
            onChange={(e) => setDopant(e.target.value)}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="">all dopants</option>
            {dopants.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <span className="text-xs text-slate-500">
          {shown.length} of {rows.length} hops; barriers and σ in meV; flagged hops last
        </span>
      </div>
      <div className="max-h-[28rem] overflow-auto rounded border border-slate-200">
        <table className="w-full bg-white text-sm" aria-label="Barriers">
          <thead className="sticky top-0 bg-slate-100 text-left text-slate-600">
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={`px-2 py-1 ${c.numeric ? 'text-right' : ''}`}
                  aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="font-medium hover:text-slate-900"
                    onClick={() =>
                      setSort((s) =>
                        s.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: 1 },
                      )
                    }
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr
                key={r.key}
                onClick={() => onSelect?.(r.key)}
                aria-selected={selected === r.key}
                className={`cursor-pointer border-t border-slate-100 ${selected === r.key ? 'bg-indigo-50' : 'hover:bg-slate-50'}`}
              >
                <td className="px-2 py-1">
                  {r.surface}
                  <span className="ml-1 text-xs text-slate-500">
                    {r.host}
                    {r.dopant ? `:${r.dopant}` : ''}
                  </span>
                </td>
                <td className="px-2 py-1">
                  <button
                    type="button"
                    className="text-indigo-700 underline-offset-2 hover:underline"
                    onClick={() => onSelect?.(r.key)}
                  >
                    {r.hop}
                  </button>
                  <span className="ml-1 text-xs text-slate-500">
                    {r.fromSite} → {r.saddleSite} → {r.toSite}
                  </span>
                  {r.flag && (
                    <span
                      className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-800"
                      title={r.flag}
                      aria-label={`flagged: ${r.flag}`}
                    >
                      flagged
                    </span>
                  )}
                </td>
                <td className="px-2 py-1 text-right font-mono">{ev(r.eFromEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{ev(r.eSaddleEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{ev(r.eToEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.forwardEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.sigmaEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.backwardEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.sigmaBackwardEv)}</td>
                <td className="px-2 py-1">{r.source}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.nebBarrierEv)}</td>
                <td className="px-2 py-1 text-right font-mono">{mev(r.errorEv)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
