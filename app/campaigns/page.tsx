import Link from 'next/link';
import { listCampaigns } from '@/lib/server/campaigns/import';
import { ImportResults } from './ImportResults';

export const dynamic = 'force-dynamic';

const STATUS_CLASS: Record<string, string> = {
  stored: 'text-emerald-700',
  'already-stored': 'text-emerald-700',
  'not-run': 'text-slate-500',
  running: 'text-amber-700',
};

/** Campaigns (issue 16): every exported campaign with its progress, per-calculation results and an import box. */
export default async function CampaignsPage() {
  const campaigns = await listCampaigns();
  return (
    <div className="space-y-6">
      <section className="space-y-2">
        <h1 className="text-2xl font-semibold">Campaigns</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          DFT calculations handed to your cluster as one Slurm job array (Export campaign on a dataset&apos;s profiles
          page, or <code>epdi campaign export</code>). Run <code>sbatch submit.sh</code> in the folder,{' '}
          <code>bash collect.sh</code>, then import the results archive here or with <code>epdi campaign import</code>.
        </p>
      </section>
      {campaigns.length === 0 ? (
        <p className="text-sm text-slate-600">No campaign yet.</p>
      ) : (
        <table className="w-full rounded border border-slate-200 bg-white text-sm" aria-label="Campaigns">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">Campaign</th>
              <th className="px-3 py-2">Dataset</th>
              <th className="px-3 py-2">Engine</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Progress</th>
              <th className="px-3 py-2">Calculations</th>
              <th className="px-3 py-2">Import results</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id} className="border-t border-slate-100 align-top">
                <td className="px-3 py-2 font-mono">
                  {c.id}
                  <div className="font-sans text-xs text-slate-500">{c.selection}</div>
                  <div className="font-sans text-xs text-slate-500">
                    exported {c.createdAt.slice(0, 16).replace('T', ' ')}
                  </div>
                </td>
                <td className="px-3 py-2">
                  <Link href={`/datasets/${c.dataset.id}/profiles`} className="text-indigo-700 hover:underline">
                    {c.dataset.name}
                  </Link>
                </td>
                <td className="px-3 py-2">{c.engine.toUpperCase()}</td>
                <td className="px-3 py-2">{c.status}</td>
                <td className="px-3 py-2">
                  <progress
                    max={c.total}
                    value={c.returned}
                    aria-label={`${c.returned} of ${c.total} returned`}
                    className="w-24"
                  />
                  <div className="text-xs text-slate-600">
                    {c.returned} / {c.total}
                  </div>
                </td>
                <td className="px-3 py-2">
                  {c.results.length === 0 ? (
                    <span className="text-slate-500">nothing imported yet</span>
                  ) : (
                    <ul className="space-y-1">
                      {c.results.map((r) => (
                        <li key={r.id}>
                          <span className="font-mono">{r.labelName}</span> ({r.surface}, {r.kind}):{' '}
                          <span className={STATUS_CLASS[r.status] ?? 'text-rose-700'}>{r.status}</span>
                          <div className="text-xs text-slate-500">{r.message}</div>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="px-3 py-2">
                  <ImportResults campaignId={c.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
