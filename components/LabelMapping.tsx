import type { SiteView } from '@/lib/server/sites';
import { formatFixed } from '@/lib/view/format';

/**
 * The user's labels and the app's sites they landed on (name -> site id, kind, in-plane match distance, E_b), so
 * the names in tables and exports can be traced to the sites of the 3D view. Renders only; the matching is
 * lib/pipeline/labels.ts at extraction.
 */
export function LabelMapping({ sites, problems }: { sites: SiteView[]; problems: string[] }) {
  const labelled = sites
    .filter((s) => s.labelName !== null)
    .sort((a, b) => (a.labelName ?? '').localeCompare(b.labelName ?? '', 'en', { numeric: true }));
  if (labelled.length === 0 && problems.length === 0) return null;
  return (
    <details className="rounded border border-slate-200 bg-white p-3 text-sm" open={problems.length > 0}>
      <summary className="cursor-pointer font-medium">
        Your labels and the app&apos;s sites ({labelled.length} matched
        {problems.length > 0 ? `, ${problems.length} reported` : ''})
      </summary>
      {problems.length > 0 && (
        <ul role="alert" className="mt-2 list-disc pl-5 text-amber-900">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <table className="mt-2 w-full text-left text-xs" aria-label="Label to site mapping">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3">Your name</th>
            <th className="py-1 pr-3">From</th>
            <th className="py-1 pr-3">App site</th>
            <th className="py-1 pr-3">Kind</th>
            <th className="py-1 pr-3">Match distance (Å)</th>
            <th className="py-1 pr-3">E_b (eV)</th>
          </tr>
        </thead>
        <tbody>
          {labelled.map((s) => (
            <tr key={s.id} className="border-t border-slate-100">
              <td className="py-1 pr-3 font-mono">{s.labelName}</td>
              <td className="py-1 pr-3 text-slate-500">
                {s.labelFile}
                {s.labelLine !== null && `:${s.labelLine}`}
              </td>
              <td className="py-1 pr-3 font-mono">{s.name}</td>
              <td className="py-1 pr-3">{s.kind}</td>
              <td className="py-1 pr-3">{formatFixed(s.matchDistanceA, 2)}</td>
              <td className="py-1 pr-3">{formatFixed(s.eBindingEv, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
