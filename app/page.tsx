import Link from 'next/link';
import { listDatasets } from '@/lib/server/datasets';
import { describeMuLi } from '@/lib/pipeline/mu-li';
import { datasetMuLi } from '@/lib/server/profiles';
import { NewDatasetForm } from '@/components/NewDatasetForm';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const datasets = await Promise.all(
    (await listDatasets()).map(async (d) => ({ ...d, muLi: (await datasetMuLi(d.id)).record })),
  );
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold">Datasets</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          A dataset holds host slabs with their electrostatic potentials (LOCPOT or cube), the Li binding energies you
          computed, and the models trained on them. Open one to upload DFT outputs, inspect sites and potentials, train
          and export diffusion profiles.
        </p>
      </section>
      {datasets.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">
          No datasets yet. Create one below.
        </p>
      ) : (
        <table className="w-full overflow-hidden rounded border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-4 py-2">Name</th>
              <th className="px-4 py-2">Surfaces</th>
              <th className="px-4 py-2">
                μ<sub>Li</sub> reference
              </th>
              <th className="px-4 py-2">Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id} className="border-t border-slate-100">
                <td className="px-4 py-2">
                  <Link href={`/datasets/${d.id}`} className="font-medium text-indigo-700 hover:underline">
                    {d.name}
                  </Link>
                  {d.description && <div className="text-xs text-slate-500">{d.description}</div>}
                </td>
                <td className="px-4 py-2">{d.surfaceCount}</td>
                <td className="px-4 py-2">
                  {describeMuLi(d.muLi)}
                </td>
                <td className="px-4 py-2 text-slate-500">{d.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewDatasetForm />
    </div>
  );
}
