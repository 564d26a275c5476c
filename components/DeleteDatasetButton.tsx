'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function DeleteDatasetButton({ datasetId, name }: { datasetId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function onDelete() {
    if (!window.confirm(`Delete dataset '${name}' with all its surfaces, labels and models? This cannot be undone.`)) {
      return;
    }
    const res = await fetch(`/api/datasets/${datasetId}`, { method: 'DELETE' });
    if (!res.ok) {
      setError(`could not delete (HTTP ${res.status})`);
      return;
    }
    router.push('/');
    router.refresh();
  }
  return (
    <div className="text-right">
      <button
        type="button"
        onClick={onDelete}
        className="rounded border border-red-300 px-3 py-1 text-sm text-red-700 hover:bg-red-50"
      >
        Delete dataset
      </button>
      {error && <p className="text-xs text-red-700">{error}</p>}
    </div>
  );
}
