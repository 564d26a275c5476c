import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AddLabelsPanel } from '@/components/AddLabelsPanel';
import { EpdiGallery } from '@/components/EpdiGallery';
import { ExtractAgainButton } from '@/components/ExtractAgainButton';
import { LabelMapping } from '@/components/LabelMapping';
import { SurfaceViews } from '@/components/SurfaceViews';
import { cachedSurfacePage } from '@/lib/server/profiles-cache';
import { formatFixed, formatSigned } from '@/lib/view/format';
import { POTENTIAL_NOTE } from '@/lib/view/units';

export const dynamic = 'force-dynamic';

export default async function SurfacePage({ params }: { params: Promise<{ id: string; surfaceId: string }> }) {
  const { id, surfaceId } = await params;
  const page = await cachedSurfacePage(id, surfaceId);
  if (!page) notFound();
  const { dataset, surface, vacuum } = page;
  const unmatched = surface.unmatchedLabels as {
    site: string;
    file: string;
    line?: number;
    nearestSiteDistanceA: number;
  }[];
  const counts = new Map<string, number>();
  for (const s of surface.sites) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const labelled = surface.sites.filter((s) => s.eBindingEv !== null).length;
  const labelOf = new Map(surface.sites.map((s) => [s.id, s.labelName]));
  const fact = (label: string, value: React.ReactNode) => (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium">{value}</dd>
    </div>
  );
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/datasets/${dataset.id}`} className="text-indigo-700 hover:underline">
          {dataset.name}
        </Link>{' '}
        / {surface.name}
      </nav>
      <section className="space-y-3">
        <h1 className="text-2xl font-semibold">{surface.name}</h1>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 rounded border border-slate-200 bg-white p-3 text-sm sm:grid-cols-4 lg:grid-cols-8">
          {fact('Host', `${surface.host ?? '—'}${surface.phase ? ` (${surface.phase})` : ''}`)}
          {fact('Dopant', surface.dopant ?? 'pristine')}
          {fact('Formula', <span className="font-mono">{page.formula}</span>)}
          {fact('Potential grid', page.grid ? `${page.grid.dims.join('×')} (${page.grid.sourceFile})` : 'none')}
          {fact('Vacuum shift', vacuum ? `${formatSigned(vacuum.shiftEv, 3)} eV (${vacuum.reference})` : '—')}
          {fact('Dipole step', vacuum ? `${formatFixed(vacuum.dipoleStepEv, 3)} eV` : '—')}
          {fact('Sites', [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none yet')}
          {fact('Labelled', `${labelled} of ${surface.sites.length}`)}
        </dl>
        <p className="text-xs text-slate-500">
          E_slab{' '}
          {surface.eSlabEv !== null
            ? `${formatFixed(surface.eSlabEv, 4)} eV`
            : 'unknown (meta.json key E_slab_eV or a host OUTCAR)'}{' '}
          · Li height {page.liHeightA} Å · EPDI window {page.windowA} Å
          {vacuum && ` · vacuum gap ${formatFixed(vacuum.gapWidthAngstrom, 1)} Å`}
          {page.settingsHash && ` · settings ${page.settingsHash}`}
        </p>
        <p className="text-xs text-slate-500" data-testid="potential-units">
          {POTENTIAL_NOTE}
        </p>
        {page.provenance.length > 0 && (
          <details className="rounded border border-slate-200 bg-white p-3 text-sm">
            <summary className="cursor-pointer font-medium">
              How it was computed (meta.json):{' '}
              <span className="font-normal text-slate-600">
                {['code', 'xc', 'basis', 'mu_Li']
                  .flatMap((key) => page.provenance.filter((r) => r.key === key).map((r) => r.value))
                  .join(' · ')}
              </span>
            </summary>
            <dl
              className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]"
              aria-label="DFT provenance"
            >
              {page.provenance.map((r) => (
                <div key={r.key} className="contents">
                  <dt className="font-mono text-xs text-slate-500">{r.key}</dt>
                  <dd className="break-words text-xs">{r.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        {unmatched.length > 0 && (
          <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            <p className="font-semibold">
              {unmatched.length} label{unmatched.length === 1 ? '' : 's'} matched no site within 0.3 Å and{' '}
              {unmatched.length === 1 ? 'was' : 'were'} not used:
            </p>
            <ul className="mt-1 list-disc pl-5">
              {unmatched.map((u, i) => (
                <li key={i}>
                  {u.site} ({u.file}
                  {u.line !== undefined && `, line ${u.line}`}): nearest site {formatFixed(u.nearestSiteDistanceA, 2)} Å
                  away
                </li>
              ))}
            </ul>
          </div>
        )}
        <LabelMapping
          sites={surface.sites}
          problems={((surface.extraction as { labelProblems?: string[] } | null)?.labelProblems ?? []).filter(
            (p) => !p.includes('matches no site'),
          )}
        />
        <AddLabelsPanel surfaceId={surface.id} />
        {page.grid && <ExtractAgainButton surfaceId={surface.id} extracted={surface.extraction !== null} />}
      </section>

      {page.view && !page.viewProblem ? (
        <SurfaceViews
          surfaceId={surface.id}
          surfaceName={surface.name}
          structure={page.view.structure}
          sites={page.view.sites.map((s) => ({ ...s, label: labelOf.get(s.id) ?? null }))}
          hops={page.view.hops}
          liHeightA={page.liHeightA}
          windowA={page.windowA}
        />
      ) : (
        <p role="alert" className="rounded border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
          No 3D or potential view: {page.viewProblem}
        </p>
      )}

      <section aria-labelledby="gallery-heading">
        <h2 id="gallery-heading" className="mb-2 text-lg font-semibold">
          EPDI gallery
        </h2>
        <EpdiGallery
          sites={surface.sites}
          rangeEv={page.epdiRangeEv}
          colormap={dataset.settings.colormap}
          windowA={page.windowA}
          pixels={dataset.settings.pixels}
        />
      </section>
    </div>
  );
}
