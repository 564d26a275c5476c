import type { SiteView } from '@/lib/server/sites';

const KIND_ORDER = ['T_M', 'H', 'H_X', 'T_X', 'bridge', 'other'];

/**
 * Every site's EPDI (GET /api/sites/[id]/epdi, coloured with the dataset's one range) with kind, MEP and E_b (DFT and
 * predicted), and a link that downloads the PNG. Server component: plain images and links.
 */
export function EpdiGallery({
  sites,
  rangeEv,
  colormap,
  windowA,
  pixels,
}: {
  sites: SiteView[];
  rangeEv: [number, number] | null;
  colormap: string;
  windowA: number;
  pixels: number;
}) {
  const ordered = [...sites].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.name.localeCompare(b.name, undefined, { numeric: true }),
  );
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  if (ordered.length === 0)
    return <p className="text-sm text-slate-600">No EPDIs yet: the extraction has not run for this surface.</p>;
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-600">
        {pixels}×{pixels} px over {windowA} Å, {colormap}
        {rangeEv && `, one dataset-wide range ${rangeEv[0].toFixed(2)} to ${rangeEv[1].toFixed(2)} eV`}; bridges are
        rotated so the hop runs left to right.
      </p>
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-3" aria-label="EPDI gallery">
        {ordered.map((s) => (
          <li key={s.id} className="rounded border border-slate-200 bg-white p-2 text-xs">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={`/api/sites/${s.id}/epdi`}
              alt={`EPDI of ${s.kind} site ${s.name}`}
              width={128}
              height={128}
              loading="lazy"
              className="mx-auto block h-32 w-32 [image-rendering:pixelated]"
            />
            <div className="mt-1 flex items-baseline justify-between">
              <span className="font-mono font-semibold">{s.name}</span>
              <span className="rounded bg-slate-100 px-1">{s.kind}</span>
            </div>
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 tabular-nums">
              <dt className="text-slate-500">MEP</dt>
              <dd className="text-right">{f(s.mepV)} eV</dd>
              <dt className="text-slate-500">E_b DFT</dt>
              <dd className="text-right">{f(s.eBindingEv)} eV</dd>
              <dt className="text-slate-500">E_b pred.</dt>
              <dd className="text-right">
                {f(s.predictedEv)}
                {s.sigmaEv !== null && ` ± ${s.sigmaEv.toFixed(2)}`} eV
              </dd>
            </dl>
            <a
              href={`/api/sites/${s.id}/epdi`}
              download={`epdi-${s.name}.png`}
              className="mt-1 inline-block text-indigo-700 hover:underline"
            >
              Download PNG
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
