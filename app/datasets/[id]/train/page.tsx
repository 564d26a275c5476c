import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TrainingPanel } from '@/components/TrainingPanel';
import { getDataset } from '@/lib/server/datasets';
import { describeTrainingSiteMatch } from '@/lib/ml/training-sites';
import { listModels } from '@/lib/server/models';
import { trainingCounts } from '@/lib/server/training-counts';
import { formatMeV } from '@/lib/view/format';
import { formatDateTime } from '@/lib/view/time';

export const dynamic = 'force-dynamic';

export default async function TrainPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const dataset = await getDataset(id);
  if (!dataset) notFound();
  const [counts, models] = await Promise.all([trainingCounts(id), listModels(id)]);
  return (
    <div className="space-y-6">
      <section className="space-y-1">
        <p className="text-sm">
          <Link href={`/datasets/${id}`} className="text-indigo-700 hover:underline">
            ← {dataset.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Train a model</h1>
        <p className="text-sm text-slate-600">
          {counts.sites} sites with EPDIs: {counts.labelledMinima} labelled minima, {counts.labelledSaddles} labelled
          saddles, {counts.unlabelledSaddles} unlabelled saddles, {counts.unlabelledMinima} unlabelled minima ·{' '}
          {models.length} saved model{models.length === 1 ? '' : 's'}. Training runs in your browser (WebGL when it has
          one); nothing leaves this app.
        </p>
      </section>
      {counts.sites === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
          No EPDIs yet: upload a surface (POSCAR + LOCPOT + labels.csv) on the dataset page first.
        </p>
      ) : (
        <TrainingPanel datasetId={id} initialModels={models} />
      )}
      {models.length > 0 && (
        <section aria-labelledby="models-heading">
          <h2 id="models-heading" className="mb-2 text-lg font-semibold">
            Saved models
          </h2>
          <table aria-label="Saved models" className="w-full rounded border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Head / backbone</th>
                <th className="px-3 py-2">Trained on</th>
                <th className="px-3 py-2">Test MAE (meV)</th>
                <th className="px-3 py-2">Predictions</th>
                <th className="px-3 py-2">Saved (UTC)</th>
                <th className="px-3 py-2">Download</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} className="border-t border-slate-100">
                  <td className="px-3 py-2 font-medium">{m.name}</td>
                  <td className="px-3 py-2">
                    {m.head} / {m.backbone}
                  </td>
                  <td className="px-3 py-2">
                    {m.trainingSiteCount} sites · {m.backend ?? '—'}
                    {m.trainingSiteMatch && (
                      <span className="block text-xs text-slate-600">
                        imported: {describeTrainingSiteMatch(m.trainingSiteMatch)}
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    {formatMeV(typeof m.metrics.maeEv === 'number' ? m.metrics.maeEv : null, 1)}
                  </td>
                  <td className="px-3 py-2">{m.predictions}</td>
                  <td className="px-3 py-2">{formatDateTime(m.createdAt)}</td>
                  <td className="px-3 py-2">
                    <a href={`/api/models/${m.id}/export`} className="text-indigo-700 hover:underline">
                      zip
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
