'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { versionedModelName } from '@/lib/ml/model-version';
import { deleteLocalModel, listLocalModels, saveLocalModel, type StoredModel } from './model-store';
import { apiError, errorCode } from './training-api';
import type { CurrentModel, ServerModel } from './training-config';
import type { TrainingClient } from './training-client';
import type { RestoredInfo, WorkerReply } from './training-protocol';

export interface ModelLibrary {
  current: CurrentModel | null;
  setCurrent: (m: CurrentModel | null) => void;
  serverModels: ServerModel[];
  localModels: StoredModel[];
  /** Store the model in hand on the server (a taken name gets the next version, "name v2"); returns its id. */
  saveToServer: (trainedIn: string, backendName?: string) => Promise<string | null>;
  /** Store it in this browser (versioned the same way); returns the name it got. */
  saveInBrowser: () => Promise<string | null>;
  restore: (
    zip: Uint8Array,
    source: CurrentModel['source'],
    serverId: string | null,
    fallbackName: string,
  ) => Promise<RestoredInfo>;
  deleteLocal: (id: string) => Promise<void>;
  refreshServer: () => Promise<void>;
}

/** The model in hand and the saved ones (server and this browser's IndexedDB). */
export function useModelLibrary(
  datasetId: string,
  initial: ServerModel[],
  getClient: () => TrainingClient | null,
): ModelLibrary {
  const router = useRouter();
  const [current, setCurrent] = useState<CurrentModel | null>(null);
  const [serverModels, setServerModels] = useState<ServerModel[]>(initial);
  const [localModels, setLocalModels] = useState<StoredModel[]>([]);

  const refreshLocal = useCallback(() => {
    listLocalModels(datasetId).then(setLocalModels, () => setLocalModels([]));
  }, [datasetId]);

  const refreshServer = useCallback(async () => {
    const res = await fetch(`/api/datasets/${datasetId}/models`);
    if (res.ok) setServerModels(((await res.json()) as { models: ServerModel[] }).models);
    router.refresh();
  }, [datasetId, router]);

  useEffect(() => refreshLocal(), [refreshLocal]);

  const saveToServer = async (trainedIn: string, backendName?: string): Promise<string | null> => {
    const model = current;
    if (!model) return null;
    if (model.serverId) return model.serverId;
    const name = versionedModelName(
      model.name,
      serverModels.map((m) => m.name),
    );
    const post = (trainingSiteIds: string[]) => {
      const form = new FormData();
      form.append('model', new Blob([new Uint8Array(model.zip)], { type: 'application/zip' }), 'model.zip');
      form.append(
        'meta',
        JSON.stringify({
          name,
          spec: model.spec,
          metrics: model.metrics,
          trainingSiteIds,
          backend: typeof model.metrics.backend === 'string' ? model.metrics.backend : backendName,
          settings: { trainedIn: model.source === 'trained' ? trainedIn : model.source },
        }),
      );
      return fetch(`/api/datasets/${datasetId}/models`, { method: 'POST', body: form });
    };
    let res = await post(model.trainIds);
    // A model saved in this browser before the dataset was re-extracted names sites that no longer exist: store it
    // without training sites rather than not at all (its zip still predicts).
    if (res.status === 422 && model.trainIds.length && (await errorCode(res.clone())) === 'unknown_sites')
      res = await post([]);
    if (!res.ok) throw new Error(await apiError(res));
    const { model: saved } = (await res.json()) as { model: ServerModel };
    setCurrent({ ...model, name, serverId: saved.id });
    await refreshServer();
    return saved.id;
  };

  const saveInBrowser = async (): Promise<string | null> => {
    if (!current) return null;
    const name = versionedModelName(
      current.name,
      localModels.map((m) => m.name),
    );
    await saveLocalModel({ datasetId, name, metrics: current.metrics, zip: current.zip });
    refreshLocal();
    return name;
  };

  const restore = async (
    zip: Uint8Array,
    source: CurrentModel['source'],
    serverId: string | null,
    fallbackName: string,
  ): Promise<RestoredInfo> => {
    const client = getClient();
    if (!client) throw new Error('the training engine is not running');
    const r = (await client.request({ type: 'restore', zip })) as Extract<WorkerReply, { type: 'restored' }>;
    setCurrent({
      name: fallbackName || r.info.model,
      spec: r.info.spec,
      zip,
      metrics: r.info.metrics,
      // Site ids are this dataset's only for a model saved in this browser for it; a file may come from anywhere.
      trainIds: source === 'browser' ? r.info.trainIds : [],
      serverId,
      source,
    });
    return r.info;
  };

  const deleteLocal = async (id: string): Promise<void> => {
    await deleteLocalModel(id);
    refreshLocal();
  };

  return {
    current,
    setCurrent,
    serverModels,
    localModels,
    saveToServer,
    saveInBrowser,
    restore,
    deleteLocal,
    refreshServer,
  };
}
