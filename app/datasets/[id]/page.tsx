import Link from 'next/link';
import { notFound } from 'next/navigation';
import { UploadPanel } from '@/components/UploadPanel';
import { DeleteDatasetButton } from '@/components/DeleteDatasetButton';
import { MepScatter } from '@/components/MepScatter';
import { LevelTrend } from '@/components/LevelTrend';
import { describeMuLi } from '@/lib/pipeline/mu-li';
import { cachedDatasetPage } from '@/lib/server/profiles-cache';
import { formatFixed } from '@/lib/view/format';
import { POTENTIAL_NOTE } from '@/lib/view/units';

/** A host level, or which meta.json key would give it. */
function level(value: number | null, key: string) {
  if (value !== null) return formatFixed(value, 2);
  return (
    <span
      title={`Add "${key}" (eV, on the potential file's scale) to the surface's meta.json, or upload the host OUTCAR`}
    >
      — <span className="font-sans text-xs text-slate-500">add meta.json {key}</span>
    </span>
  );
}

export const dynamic = 'force-dynamic';

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Cached per dataset version (lib/server/profiles-cache.ts): recomputed only when the dataset changed.
  const data = await cachedDatasetPage(id);
  if (!data) notFound();
  const { dataset, surfaces, correlation, levels, muLi } = data;
  const s = dataset.settings;
  return (
    <div className="space-y-8">
      <section className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{dataset.name}</h1>
          {dataset.description && <p className="text-sm text-slate-600">{dataset.description}</p>}
          <p className="mt-1 text-xs text-slate-500">
            μ<sub>Li</sub>: <span data-testid="mu-li">{describeMuLi(muLi.record)}</span> · Li height {s.heightA} Å · MEP
            radius {s.mepRadiusA} Å · EPDI {s.windowA} Å, {s.pixels}×{s.pixels} px, {s.colormap}
          </p>
        </div>
        <DeleteDatasetButton datasetId={dataset.id} name={dataset.name} />
      </section>

      <nav aria-label="Dataset" className="flex gap-4 border-b border-slate-200 pb-2 text-sm">
        <span className="font-medium text-slate-900">Surfaces</span>
        <Link href={`/datasets/${dataset.id}/profiles`} className="text-indigo-700 hover:underline">
          Profiles and barriers
        </Link>
        <Link href={`/datasets/${dataset.id}/train`} className="text-indigo-700 hover:underline">
          Train and predict
        </Link>
      </nav>

      <section aria-labelledby="surfaces-heading">
        <h2 id="surfaces-heading" className="mb-2 text-lg font-semibold">
          Surfaces
        </h2>
        {surfaces.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            No surfaces yet. Upload a host slab below: a POSCAR/CONTCAR and its LOCPOT (or a cube file), optionally
            labels.csv, meta.json, sites/ and neb/ folders.
          </p>
        ) : (
          <table className="w-full rounded border border-slate-200 bg-white text-sm" aria-label="Surfaces">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">Surface</th>
                <th className="px-3 py-2">Host</th>
                <th className="px-3 py-2">Dopant</th>
                <th className="px-3 py-2">Formula</th>
                <th className="px-3 py-2">Potential grid</th>
                <th className="px-3 py-2">Sites</th>
                <th className="px-3 py-2">Labels</th>
                <th className="px-3 py-2">NEB runs</th>
                <th className="px-3 py-2" title="Host Fermi level against the vacuum (meta.json or host OUTCAR)">
                  E_F (eV)
                </th>
                <th
                  className="px-3 py-2"
                  title="Lowest unoccupied host level against the vacuum: where Li's electron goes"
                >
                  Acceptor level (eV)
                </th>
              </tr>
            </thead>
            <tbody>
              {surfaces.map((row) => (
                <tr key={row.id} className="border-t border-slate-100">
                  <td className="px-3 py-2 font-medium">
                    <Link
                      href={`/datasets/${dataset.id}/surfaces/${row.id}`}
                      className="text-indigo-700 hover:underline"
                    >
                      {row.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    {row.host ?? '—'}
                    {row.phase ? ` (${row.phase})` : ''}
                  </td>
                  <td className="px-3 py-2">{row.dopant ?? 'pristine'}</td>
                  <td className="px-3 py-2 font-mono text-xs">{row.formula}</td>
                  <td className="px-3 py-2">{row.gridDims ? row.gridDims.join('×') : 'none'}</td>
                  <td className="px-3 py-2">{row.siteCount}</td>
                  <td className="px-3 py-2">{row.labelCount}</td>
                  <td className="px-3 py-2">{row.nebCount}</td>
                  <td className="px-3 py-2 font-mono">{level(row.fermiLevelEv, 'E_fermi_eV')}</td>
                  <td className="px-3 py-2 font-mono">{level(row.acceptorLevelEv, 'lowest_unoccupied_eV')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="mep-heading">
        <h2 id="mep-heading" className="mb-2 text-lg font-semibold">
          MEP vs binding energy
        </h2>
        <p className="mb-2 max-w-3xl text-sm text-slate-600">
          The mean electrostatic potential around a site (a sphere of {s.mepRadiusA} Å at {s.heightA} Å above the top
          chalcogen plane) against the DFT binding energy there, per surface (pristine and doped apart), each with its
          least-squares line: the paper&apos;s first finding. {POTENTIAL_NOTE}
        </p>
        <MepScatter
          hosts={correlation}
          surfaces={surfaces.map((r) => ({ name: r.name, host: r.host, dopant: r.dopant }))}
        />
      </section>

      <section aria-labelledby="level-heading">
        <h2 id="level-heading" className="mb-2 text-lg font-semibold">
          Acceptor level vs binding energy
        </h2>
        <p className="mb-2 max-w-3xl text-sm text-slate-600">
          Li gives its electron to the host&apos;s lowest level with room for it (the conduction band of a pristine
          host; E_F where a doped slab has partly filled states, its holes or its extra electron), so doping moves E_b on the whole surface by eV while the potential around a site
          barely changes. For a surface without labelled minima the site-relative and anchored models use this line,
          plus a term in the electrons the dopants add to the cell (a hole to fill binds Li more, an electron to pair with
          less), once the training surfaces hold two dopant electron counts on two surfaces each.
        </p>
        <LevelTrend data={levels} />
      </section>

      <UploadPanel datasetId={dataset.id} />
    </div>
  );
}
