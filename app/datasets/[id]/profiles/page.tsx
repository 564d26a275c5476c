import Link from 'next/link';
import { notFound } from 'next/navigation';
import { HttpError } from '@/lib/server/http';
import { describeMuLi } from '@/lib/pipeline/mu-li';
import { modelChoices, type DatasetProfiles } from '@/lib/server/profiles';
import { cachedProfiles } from '@/lib/server/profiles-cache';
import { DopingSummary } from '@/components/DopingSummary';
import { ExportCampaignButton } from '@/components/ExportCampaignButton';
import { MuLiSwitch } from '@/components/MuLiSwitch';
import { ProfilesExplorer } from '@/components/ProfilesExplorer';
import { formatFixed, formatMeV, siteDisplayName } from '@/lib/view/format';

export const dynamic = 'force-dynamic';

const fmt = (v: number | null | undefined, d = 3) => formatFixed(v, d);

export default async function ProfilesPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ model?: string | string[] }>;
}) {
  const { id } = await params;
  const { model: modelParam } = await searchParams;
  const model = typeof modelParam === 'string' && modelParam.trim() ? modelParam.trim() : undefined;
  let result: DatasetProfiles;
  try {
    result = await cachedProfiles(id, { model });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    throw err;
  }
  const models = await modelChoices(id);
  const modelQuery = `model=${encodeURIComponent(result.model?.id ?? 'none')}`;
  const exportHref = (file: string) => `/api/datasets/${id}/${file}?${modelQuery}`;
  const hops = result.surfaces.flatMap((s) => s.hops);
  const incomplete = result.surfaces.flatMap((s) => s.incomplete.map((h) => ({ surface: s.name, ...h })));
  const nextSaddles = result.surfaces
    .flatMap((s) => s.nextSaddles.map((n) => ({ surface: s.name, ...n })))
    .sort((a, b) => b.expectedChangeEv - a.expectedChangeEv || b.sigmaEv - a.sigmaEv)
    .slice(0, 15);

  return (
    <div className="space-y-8">
      <section className="space-y-2">
        <p className="text-sm">
          <Link href={`/datasets/${id}`} className="text-indigo-700 hover:underline">
            ← {result.dataset.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Profiles and barriers</h1>
        <p className="text-sm text-slate-600">
          Binding energies (eV) on{' '}
          {result.reference
            ? `${describeMuLi(result.muLi).split(' (')[0]} (details below)`
            : 'an unknown or mixed μ_Li reference'}{' '}
          · {hops.length} complete hops, {incomplete.length} incomplete · predictions:{' '}
          {result.model ? `${result.model.name} (${result.model.backbone}/${result.model.head})` : 'none (DFT only)'}
        </p>
        <div className="flex flex-wrap items-end gap-6">
          <form method="get" className="flex items-end gap-2 text-sm" aria-label="Model">
            <label className="flex flex-col">
              <span className="text-xs text-slate-600">Model for missing energies</span>
              <select
                name="model"
                defaultValue={result.model?.id ?? 'none'}
                className="rounded border border-slate-300 px-2 py-1"
              >
                <option value="none">none (DFT only)</option>
                {models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({m.predictions} predictions)
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">
              Show
            </button>
          </form>
          <MuLiSwitch
            datasetId={id}
            reference={result.muLi.kind}
            muLiEv={result.muLi.valueEv}
            description={describeMuLi(result.muLi)}
          />
        </div>
      </section>

      <section aria-labelledby="downloads-heading" className="space-y-2">
        <h2 id="downloads-heading" className="text-lg font-semibold">
          Downloads
        </h2>
        <div className="flex flex-wrap gap-3 text-sm">
          {(
            [
              ['export/profiles.csv', 'Download profiles.csv'],
              ['export/barriers.csv', 'Download barriers.csv'],
              ['export/sites.csv', 'Download sites.csv'],
              ['export/barriers.json', 'Download barriers.json (provenance)'],
              ['export.json', 'Download export.json'],
            ] as const
          ).map(([file, label]) => (
            <a
              key={file}
              href={exportHref(file)}
              download
              className="rounded border border-indigo-300 bg-white px-3 py-1.5 text-indigo-700 hover:bg-indigo-50"
            >
              {label}
            </a>
          ))}
        </div>
        <p className="text-xs text-slate-500">
          Plain RFC 4180 CSV, header on line 1 (pandas.read_csv reads them as they are); column units are in the names
          (_eV, _A). Provenance (dataset, μ<sub>Li</sub> record, model, column units, input file hashes) is in the
          JSON sidecar of each file.
        </p>
      </section>

      <section aria-labelledby="hops-heading" className="space-y-2">
        <h2 id="hops-heading" className="text-lg font-semibold">
          Hops
        </h2>
        <ProfilesExplorer
          hops={hops}
          surfaces={result.surfaces.map((s) => ({
            id: s.id,
            name: s.name,
            percolation: s.percolation ? { bottleneckHop: s.percolation.bottleneckHop } : null,
          }))}
          doping={result.doping.map((d) => ({ dopedSurface: d.dopedSurface, deltaEv: d.deltaEv }))}
        />
      </section>

      <section aria-labelledby="surfaces-heading" className="space-y-2">
        <h2 id="surfaces-heading" className="text-lg font-semibold">
          Percolating barriers
        </h2>
        <table className="w-full rounded border border-slate-200 bg-white text-sm" aria-label="Percolating barriers">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">Surface</th>
              <th className="px-3 py-2">Host</th>
              <th className="px-3 py-2">Dopant</th>
              <th className="px-3 py-2 text-right">Hops</th>
              <th className="px-3 py-2 text-right">Percolating barrier (meV)</th>
              <th className="px-3 py-2">Ground site · bottleneck hop</th>
            </tr>
          </thead>
          <tbody>
            {result.surfaces.map((s) => (
              <tr key={s.id} className="border-t border-slate-100">
                <td className="px-3 py-2 font-medium">{s.name}</td>
                <td className="px-3 py-2">{s.host}</td>
                <td className="px-3 py-2">{s.dopant ?? 'pristine'}</td>
                <td className="px-3 py-2 text-right">
                  {s.hops.length}
                  {s.incomplete.length > 0 && (
                    <span className="text-xs text-slate-500"> (+{s.incomplete.length} incomplete)</span>
                  )}
                </td>
                <td className="px-3 py-2 text-right font-mono">{formatMeV(s.percolation?.barrierEv)}</td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  {s.percolation
                    ? `${s.percolation.groundSite} · ${s.percolation.bottleneckHop}`
                    : 'no percolating path among the complete hops'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="next-heading" className="space-y-2">
        <h2 id="next-heading" className="text-lg font-semibold">
          Saddles to compute next
        </h2>
        <p className="max-w-3xl text-sm text-slate-600">
          Predicted saddles (one per symmetry group) ranked by how much their DFT value is expected to move the
          surface&apos;s percolating barrier, E|B(x) − B(mean)| over the prediction&apos;s N(mean, σ): an NEB on the
          first rows tells you most about long-range diffusion.
        </p>
        <ExportCampaignButton datasetId={id} />
        {nextSaddles.length === 0 ? (
          <p className="text-sm text-slate-600">No predicted saddle with a σ: every saddle has DFT energies.</p>
        ) : (
          <table
            className="w-full rounded border border-slate-200 bg-white text-sm"
            aria-label="Saddles to compute next"
          >
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">Surface</th>
                <th className="px-3 py-2">Saddle</th>
                <th className="px-3 py-2 text-right">Predicted E_b (eV)</th>
                <th className="px-3 py-2 text-right">σ (eV)</th>
                <th className="px-3 py-2 text-right">Expected barrier change (meV)</th>
              </tr>
            </thead>
            <tbody>
              {nextSaddles.map((n) => (
                <tr key={`${n.surface}/${n.symmetryGroup}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{n.surface}</td>
                  <td className="px-3 py-2">{siteDisplayName(n.siteName, n.site)}</td>
                  <td className="px-3 py-2 text-right font-mono">{fmt(n.meanEv)}</td>
                  <td className="px-3 py-2 text-right font-mono">{fmt(n.sigmaEv)}</td>
                  <td className="px-3 py-2 text-right font-mono">{formatMeV(n.expectedChangeEv, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="doping-heading" className="space-y-2">
        <h2 id="doping-heading" className="text-lg font-semibold">
          Doping effect
        </h2>
        <DopingSummary effects={result.doping} />
      </section>

      {result.nebSummary && (
        <section aria-labelledby="neb-heading" className="space-y-1 text-sm">
          <h2 id="neb-heading" className="text-lg font-semibold">
            NEB comparison
          </h2>
          <p>
            {result.nebSummary.hops} hops, {result.nebSummary.points} images: profile MAE{' '}
            {formatMeV(result.nebSummary.maeEv)} meV, max error {formatMeV(result.nebSummary.maxAbsErrorEv)} meV,
            barrier MAE {formatMeV(result.nebSummary.barrierMaeEv)} meV.
          </p>
        </section>
      )}

      {(result.notes.length > 0 || incomplete.length > 0) && (
        <section aria-labelledby="notes-heading" className="space-y-2 text-sm">
          <h2 id="notes-heading" className="text-lg font-semibold">
            Notes
          </h2>
          <ul className="list-disc space-y-1 pl-5 text-slate-700">
            {result.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
          {incomplete.length > 0 && (
            <details>
              <summary className="cursor-pointer text-slate-600">Incomplete hops ({incomplete.length})</summary>
              <ul className="mt-1 grid grid-cols-1 gap-1 text-xs text-slate-600 md:grid-cols-2">
                {incomplete.map((h) => (
                  <li key={h.hopId}>
                    {h.surface} {h.hop} ({h.from}→{h.saddle}→{h.to}): no energy for {h.missing.join(', ')}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}
    </div>
  );
}
