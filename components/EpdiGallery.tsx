import type { SiteView } from '@/lib/server/sites';
import { formatFixed } from '@/lib/view/format';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';

const KIND_ORDER = ['T_M', 'H', 'H_X', 'T_X', 'bridge', 'other'];
/** Up to this many tiles load at once (a printout or screenshot shows them all); beyond, images load lazily. */
const EAGER_TILES = 64;

/**
 * Every site's EPDI (GET /api/sites/[id]/epdi, coloured with the dataset's one range) with kind, MEP and E_b (DFT and
 * predicted), and a link that downloads the PNG. Server component: plain images and links. Each image sits on a
 * labelled placeholder of its own size, so a tile whose image has not loaded (lazy beyond EAGER_TILES, or a failed
 * request) is never blank.
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
  const f = (v: number | null) => formatFixed(v, 3);
  if (ordered.length === 0)
    return <p className="text-sm text-slate-600">No EPDIs yet: the extraction has not run for this surface.</p>;
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-600">
        {pixels}×{pixels} px over {windowA} Å, {colormap}
        {rangeEv
          ? `, one dataset-wide range of ${POTENTIAL_SYMBOL} from ${formatFixed(rangeEv[0], 2)} to ${formatFixed(rangeEv[1], 2)} eV; `
          : '; '}
        bridges are rotated so the hop runs left to right.
      </p>
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-3" aria-label="EPDI gallery">
        {ordered.map((s, i) => (
          <li key={s.id} className="rounded border border-slate-200 bg-white p-2 text-xs">
            <div className="relative mx-auto h-32 w-32 bg-slate-100" data-testid="epdi-tile">
              <span className="absolute inset-0 flex items-center justify-center px-2 text-center text-[10px] text-slate-500">
                EPDI {s.name} ({pixels}×{pixels} px)
              </span>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={`/api/sites/${s.id}/epdi`}
                alt={`EPDI of ${s.kind} site ${s.name}${s.labelName && s.labelName !== s.name ? ` (your label ${s.labelName})` : ''}`}
                width={128}
                height={128}
                loading={i < EAGER_TILES ? 'eager' : 'lazy'}
                decoding="async"
                className="relative block h-32 w-32 [image-rendering:pixelated]"
              />
            </div>
            <div className="mt-1 flex items-baseline justify-between gap-1">
              <span className="font-mono font-semibold" title={s.labelName ? `your label: ${s.labelName}` : undefined}>
                {s.name}
              </span>
              <span className="rounded bg-slate-100 px-1">{s.kind}</span>
            </div>
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 tabular-nums">
              <dt className="text-slate-500">MEP {POTENTIAL_SYMBOL}</dt>
              <dd className="text-right">{f(s.mepV)} eV</dd>
              <dt className="text-slate-500">E_b DFT</dt>
              <dd className="text-right">{f(s.eBindingEv)} eV</dd>
              <dt className="text-slate-500">E_b pred.</dt>
              <dd className="text-right">
                {f(s.predictedEv)}
                {s.sigmaEv !== null && ` ± ${f(s.sigmaEv)}`} eV
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
