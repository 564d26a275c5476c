/**
 * Export a campaign of a stored dataset: load what lib/campaign needs (the profiles' display names, next saddles and
 * DFT coverage, the surfaces' structures, hops and stored label names), choose, build the folder and record the
 * campaign (state 'exported', the manifest as exported). The CLI writes the folder; the route zips it.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildCampaign,
  checkNebOverrides,
  DEFAULT_SLURM,
  DEFAULT_VASP,
  GPAW_CODE_FILES,
  selectByName,
  selectNext,
  type CampaignFolder,
  type CodeFile,
  type Engine,
  type GpawOverrides,
  type SelectableSurface,
  type SlurmOptions,
  type VaspOptions,
} from '@/lib/campaign';
import type { Vec3 } from '@/lib/math/mat3';
import type { Structure } from '@/lib/structure/structure';
import { db } from '../db';
import { HttpError } from '../http';
import { assembleProfiles, datasetMuLi } from '../profiles';

export interface ExportOptions {
  engine: Engine;
  /** The next N saddles by the active learner (or unlabelled saddle groups without a model). */
  next?: number;
  /** SURFACE:NAME picks (sites or hops). */
  sites?: string[];
  /** Saddles as CI-NEBs of their hops instead of relaxations at the bridge. */
  neb?: boolean;
  slurm?: Partial<SlurmOptions>;
  vasp?: Partial<VaspOptions>;
  gpaw?: GpawOverrides;
  /** A model of the dataset to rank by (default: its latest). */
  model?: string;
}

/** scripts/dft's files a GPAW campaign ships (read from the repository the app runs from). */
export async function readGpawCode(root = process.cwd()): Promise<CodeFile[]> {
  return Promise.all(
    GPAW_CODE_FILES.map(async (f) => ({
      path: f,
      text: await readFile(path.join(/*turbopackIgnore: true*/ root, 'scripts', 'dft', f), 'utf8'),
    })),
  );
}

/** The dataset by id or name; 404 when neither. */
export async function findDataset(idOrName: string): Promise<{ id: string; name: string }> {
  const row =
    (await db.dataset.findUnique({ where: { id: idOrName }, select: { id: true, name: true } })) ??
    (await db.dataset.findUnique({ where: { name: idOrName }, select: { id: true, name: true } }));
  if (!row) throw new HttpError(404, 'no_dataset', `no dataset ${idOrName}`);
  return row;
}

async function selectable(datasetId: string, model?: string): Promise<SelectableSurface[]> {
  const profiles = await assembleProfiles(datasetId, model ? { model } : {});
  const rows = await db.surface.findMany({
    where: { datasetId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      structureJson: true,
      labelsJson: true,
      nebRuns: { select: { name: true } },
      hops: { select: { name: true, fromSiteId: true, saddleSiteId: true, toSiteId: true } },
    },
  });
  return rows.flatMap((row) => {
    const view = profiles.surfaces.find((s) => s.id === row.id);
    if (!view || view.sites.length === 0) return [];
    const labels = JSON.parse(row.labelsJson) as { site: string }[];
    return [
      {
        surface: {
          id: row.id,
          name: row.name,
          structure: JSON.parse(row.structureJson) as Structure,
          storedLabelNames: labels.map((l) => l.site),
          storedNebNames: row.nebRuns.map((n) => n.name),
        },
        sites: view.sites.map((s) => ({
          id: s.id,
          appId: s.name,
          name: s.site,
          kind: s.kind,
          position: s.position as Vec3,
          liPosition: s.liZA !== null ? ([s.position[0], s.position[1], s.liZA] as Vec3) : null,
          hasDft: s.eBindingEv !== null,
          symmetryGroup: s.symmetryGroup,
        })),
        hops: row.hops.map((h) => ({ appId: h.name, from: h.fromSiteId, saddle: h.saddleSiteId, to: h.toSiteId })),
        nextSaddles: view.nextSaddles.map((n) => ({
          siteName: n.siteName,
          expectedChangeEv: n.expectedChangeEv,
          meanEv: n.meanEv,
          sigmaEv: n.sigmaEv,
        })),
      },
    ];
  });
}

/** Choose, build and record a campaign; returns its folder (manifest + files). */
export async function exportCampaign(datasetIdOrName: string, opts: ExportOptions): Promise<CampaignFolder> {
  const dataset = await findDataset(datasetIdOrName);
  const surfaces = await selectable(dataset.id, opts.model);
  if (surfaces.length === 0) throw new HttpError(422, 'no_sites', `dataset ${dataset.name} has no extracted surface`);
  // Bad NEB options are the request's fault (422), found before anything is selected or built.
  if (opts.gpaw) {
    try {
      checkNebOverrides(opts.gpaw);
    } catch (e) {
      throw new HttpError(422, 'bad_gpaw_settings', e instanceof Error ? e.message : String(e));
    }
  }
  const { choices, selection } =
    opts.sites && opts.sites.length > 0
      ? selectByName(surfaces, opts.sites, opts.neb ?? false)
      : selectNext(surfaces, opts.next ?? 5, opts.neb ?? false);
  const { record } = await datasetMuLi(dataset.id);
  const id = `c${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
  const folder = await buildCampaign({
    id,
    createdAt: new Date().toISOString(),
    dataset,
    muLi: record,
    engine: opts.engine,
    selection,
    choices,
    slurm: { ...DEFAULT_SLURM, jobName: `epdi-${id}`, ...opts.slurm },
    vasp: { ...DEFAULT_VASP, ...opts.vasp },
    gpaw: { overrides: opts.gpaw ?? {}, code: opts.engine === 'gpaw' ? await readGpawCode() : [] },
  });
  await db.campaign.create({
    data: {
      id,
      datasetId: dataset.id,
      engine: opts.engine,
      total: folder.manifest.calculations.length,
      manifestJson: JSON.stringify(folder.manifest),
    },
  });
  return folder;
}
