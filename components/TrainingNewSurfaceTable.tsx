'use client';

import type { NewSurfaceTable } from '@/lib/ml/new-surface-table';
import { TrainingWarnings } from './TrainingWarnings';

/**
 * The new-surface table, cell for cell what `epdi evaluate --protocol loso` prints (lib/ml/new-surface-table.ts):
 * constants, models, the site-relative ablation and few-shot rows, with the paired test against the best constant.
 */
export function TrainingNewSurfaceTable({ table }: { table: NewSurfaceTable }) {
  return (
    <div className="space-y-2">
      <p className="text-slate-600">{table.caption}</p>
      <TrainingWarnings warnings={table.warnings} />
      <div className="overflow-x-auto">
        <table aria-label="New-surface accuracy" className="w-full border border-slate-200 text-xs">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              {table.columns.map((c) => (
                <th key={c} className="px-2 py-1">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr
                key={`${r.model}|${r.shots}`}
                className={`border-t border-slate-100 ${r.bestConstant ? 'bg-slate-50 italic' : ''} ${r.beatsConstant ? 'bg-emerald-50 font-medium' : ''}`}
              >
                {r.error ? (
                  <>
                    <td className="px-2 py-1">{r.model}</td>
                    <td className="px-2 py-1">{r.shots}</td>
                    <td className="px-2 py-1 text-red-700" colSpan={table.columns.length - 2}>
                      failed: {r.error}
                    </td>
                  </>
                ) : (
                  r.cells.map((c, i) => (
                    <td key={table.columns[i]} className="px-2 py-1">
                      {c}
                    </td>
                  ))
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-600">
        Energies in meV. k: DFT labels of each test surface given to training (its lowest minima). Green: lower
        directed-barrier error than the best constant with p &lt; 0.05 (Wilcoxon signed-rank on the same barriers).
      </p>
      {table.notes.map((n) => (
        <p key={n} className="text-xs text-slate-600">
          note: {n}
        </p>
      ))}
    </div>
  );
}
