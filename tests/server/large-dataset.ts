/**
 * A large dataset written straight into SQLite (better-sqlite3, one transaction), for the tests and the benchmark that
 * check every query stays under SQLite's bound-parameter limit (999 in older builds, 32766 since 3.32) at 100,000+
 * sites. Going through uploads and extraction would take hours at that size; the rows are what extraction stores.
 *
 * One template surface is extracted for real (the synthetic doped 3x3 2H-MoS2 slab of surface-files.ts: 45 sites,
 * 27 hops, MEPs and EPDIs from its potential), then copied `surfaces` times under new ids. Each copy gets its own
 * binding energies: E_b = syntheticBindingEnergy(site) + 0.001 * (surface index), stored as labels on every hollow and
 * the first `labelledBridges` bridges; the other bridges stay unlabelled (what a model predicts).
 */
import Database from 'better-sqlite3';
import { extractSurface } from '@/lib/epdi/extract';
import { resolveSettings } from '@/lib/epdi/settings';
import {
  buildMX2Slab,
  sampleModelOnGrid,
  syntheticBindingEnergy,
  syntheticPotentialModel,
} from '../fixtures/synthetic';

export interface LargeDatasetOptions {
  /** Path of the (migrated) SQLite file. */
  dbFile: string;
  name: string;
  /** Copies of the 45-site template surface. */
  surfaces: number;
  /** EPDI side in pixels (default 8: 256 bytes per site). */
  pixels?: number;
  /** Bridges labelled per surface, in site order (default 6 of 27). */
  labelledBridges?: number;
}

export interface LargeDataset {
  datasetId: string;
  surfaceIds: string[];
  siteIds: string[];
  /** Sites with a label (E_b), every surface. */
  labelledSiteIds: string[];
  unlabelledSiteIds: string[];
  hopCount: number;
  /** E_b (eV) stored for each labelled site id. */
  eBindingEv: Map<string, number>;
}

/** Sites per template surface (3x3 2H: 9 T_M + 9 H + 27 bridges) and hops (one per bridge). */
export const TEMPLATE_SITES = 45;
export const TEMPLATE_HOPS = 27;

const E_SLAB_EV = -188.0;
const MU_LI_EV = -1.9;

function now(): string {
  // Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset.
  return new Date().toISOString().replace('Z', '+00:00');
}

/** Write the dataset; returns its ids. The database must not be inside a Prisma transaction at the time. */
export function buildLargeDataset(opts: LargeDatasetOptions): LargeDataset {
  const pixels = opts.pixels ?? 8;
  const labelledBridges = opts.labelledBridges ?? 6;
  const settings = resolveSettings({ pixels });
  const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
  const potential = syntheticPotentialModel(structure);
  const grid = sampleModelOnGrid(potential, [12, 12, 40]);
  const template = extractSurface(structure, grid, settings);
  if (template.sites.length !== TEMPLATE_SITES || template.hops.length !== TEMPLATE_HOPS)
    throw new Error(`template surface has ${template.sites.length} sites, ${template.hops.length} hops`);
  const baseEb = template.sites.map((s) => syntheticBindingEnergy(potential, s.position));
  let bridgeRank = 0;
  const labelled = template.sites.map((s) => s.kind !== 'bridge' || bridgeRank++ < labelledBridges);
  const epdiBytes = template.epdis.map((e) => Buffer.from(e.buffer, e.byteOffset, e.byteLength));

  const raw = new Database(opts.dbFile);
  raw.pragma('busy_timeout = 10000');
  const stamp = now();
  const datasetId = `ds-${opts.name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const out: LargeDataset = {
    datasetId,
    surfaceIds: [],
    siteIds: [],
    labelledSiteIds: [],
    unlabelledSiteIds: [],
    hopCount: 0,
    eBindingEv: new Map(),
  };
  const insertDataset = raw.prepare(
    'INSERT INTO Dataset (id, name, description, muLiReference, muLiEv, settingsJson, createdAt, updatedAt) ' +
      "VALUES (?, ?, '', 'bcc', ?, ?, ?, ?)",
  );
  const insertSurface = raw.prepare(
    'INSERT INTO Surface (id, datasetId, name, host, phase, dopant, eSlabEv, structureJson, sourceFilesJson, ' +
      "metaJson, labelsJson, extractionJson, createdAt) VALUES (?, ?, ?, 'MoS2', '2H', 'V', ?, ?, '[]', ?, '[]', ?, ?)",
  );
  const insertSite = raw.prepare(
    'INSERT INTO Site (id, surfaceId, name, kind, x, y, z, fracX, fracY, symmetryGroup, dopantDistanceA, ' +
      'directionRad, mepV, epdi, epdiPixels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertHop = raw.prepare(
    'INSERT INTO Hop (id, surfaceId, name, fromSiteId, saddleSiteId, toSiteId, sSaddle) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLabel = raw.prepare(
    'INSERT INTO Label (id, siteId, eTotalEv, eBindingEv, source, provenance, createdAt) ' +
      "VALUES (?, ?, ?, ?, 'csv', ?, ?)",
  );
  const structureJson = JSON.stringify(structure);
  // Host levels on the potential file's scale; surface k's acceptor level is -4.2 - 0.0001 k eV before alignment.
  const metaJson = (k: number): string =>
    JSON.stringify({
      host: 'MoS2',
      phase: '2H',
      dopant: 'V',
      E_slab_eV: E_SLAB_EV,
      mu_Li_eV: MU_LI_EV,
      E_fermi_eV: -4.5,
      lowest_unoccupied_eV: -4.2 - 0.0001 * k,
    });
  const extractionJson = JSON.stringify({
    settings: template.settings,
    settingsHash: template.settingsHash,
    vacuum: template.vacuum,
    appliedShiftEv: template.appliedShiftEv,
    topXHeightA: template.topXHeightA,
    groupCount: template.groupCount,
    unmatchedLabels: [],
  });
  const digits = String(opts.surfaces).length;

  raw.transaction(() => {
    insertDataset.run(datasetId, opts.name, MU_LI_EV, JSON.stringify(settings), stamp, stamp);
    for (let k = 0; k < opts.surfaces; k++) {
      const surfaceId = `${datasetId}-s${k}`;
      out.surfaceIds.push(surfaceId);
      insertSurface.run(
        surfaceId,
        datasetId,
        `MoS2-V-${String(k).padStart(digits, '0')}`,
        E_SLAB_EV,
        structureJson,
        metaJson(k),
        extractionJson,
        stamp,
      );
      const ids = template.sites.map((_, i) => `${surfaceId}-x${i}`);
      template.sites.forEach((site, i) => {
        insertSite.run(
          ids[i],
          surfaceId,
          site.id,
          site.kind,
          site.position[0],
          site.position[1],
          site.position[2],
          site.fractional[0],
          site.fractional[1],
          site.group,
          site.dopantDistances.length ? Math.min(...site.dopantDistances.map((d) => d.distanceA)) : null,
          site.hopAngleRad ?? null,
          template.meps[i],
          epdiBytes[i],
          pixels,
        );
        out.siteIds.push(ids[i]);
        if (!labelled[i]) {
          out.unlabelledSiteIds.push(ids[i]);
          return;
        }
        const eb = baseEb[i] + 0.001 * k;
        insertLabel.run(
          `${ids[i]}-l`,
          ids[i],
          eb + E_SLAB_EV + MU_LI_EV,
          eb,
          JSON.stringify({ file: 'labels.csv', site: site.id, muLiEv: MU_LI_EV, eSlabEv: E_SLAB_EV }),
          stamp,
        );
        out.labelledSiteIds.push(ids[i]);
        out.eBindingEv.set(ids[i], eb);
      });
      for (const hop of template.hops) {
        insertHop.run(
          `${surfaceId}-${hop.id}`,
          surfaceId,
          hop.id,
          ids[hop.from],
          ids[hop.via],
          ids[hop.to],
          hop.saddleS,
        );
        out.hopCount++;
      }
    }
  })();
  raw.close();
  return out;
}
