/**
 * `npm run bench:large`: every dataset-wide path on a dataset of 100,000+ sites (issue 15: queries over id lists broke
 * past SQLite's ~999 bound parameters). Builds, in a temporary SQLite file, `--surfaces N` (default 2,223) copies of
 * the 45-site synthetic doped MoS2 surface (tests/server/large-dataset.ts: 100,035 sites, 60,021 hops, EPDIs of 8x8),
 * then times, each once, what the routes run:
 *   predictions  replacePredictions for every site (POST /api/models/[id]/predictions), then listPredictions (GET)
 *   training     epdiBatch (the site query behind server and browser training), then trainAndStore of the 'mean' model
 *                (fit, createModel with every labelled site as a training id, predictions of every unlabelled site)
 *   import       importModel of a zip listing every site as a training id
 *   surfaces     listSurfaces, the MEP and host-level correlations (the dataset page)
 *   profiles     assembleProfiles with the trained model's predictions (GET /api/datasets/[id]/profiles)
 *   exports      the three CSVs and the JSON export, serialised
 *   delete       deleteDataset: cascades to every site, label, hop and prediction (indexed foreign keys)
 * Reference in the same run: one plain better-sqlite3 scan of every site row (id, kind, EPDI), so the times can be
 * compared across machines as ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildLargeDataset } from '../tests/server/large-dataset';

const args = process.argv.slice(2);
const surfaces = args.includes('--surfaces') ? Number(args[args.indexOf('--surfaces') + 1]) : 2223;
if (!Number.isInteger(surfaces) || surfaces < 1) throw new Error('--surfaces must be a positive integer');

let failures = 0;

/** Run one step, print and record its time; a step that throws is printed as FAILED and the run goes on. */
async function timed<T>(
  rows: [string, number, string][],
  label: string,
  work: () => Promise<T> | T,
  note: (r: T) => string = () => '',
): Promise<T | undefined> {
  const t0 = performance.now();
  try {
    const r = await work();
    const ms = performance.now() - t0;
    rows.push([label, ms, note(r)]);
    console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(8)} s  ${note(r)}`);
    return r;
  } catch (err) {
    const ms = performance.now() - t0;
    failures++;
    const message = String((err as Error).message ?? err)
      .split('\n')
      .filter(Boolean)
      .slice(-1)[0];
    rows.push([label, ms, `FAILED: ${message}`]);
    console.log(`${label.padEnd(34)} FAILED after ${(ms / 1000).toFixed(2)} s: ${message}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-bench-large-'));
  const dbFile = path.join(work, 'bench.db');
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.EPDI_UPLOAD_TMP = path.join(work, 'tmp');
  execFileSync(process.execPath, [path.join('node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
    stdio: 'pipe',
  });
  const { db } = await import('../lib/server/db');
  const { createModel, importModel, listPredictions, replacePredictions } = await import('../lib/server/models');
  const { trainAndStore } = await import('../lib/server/train-server');
  const { epdiBatch } = await import('../lib/server/epdi-batch');
  const { listSurfaces } = await import('../lib/server/datasets');
  const { mepCorrelation } = await import('../lib/server/mep-correlation');
  const { levelCorrelation } = await import('../lib/server/level-correlation');
  const { assembleProfiles } = await import('../lib/server/profiles');
  const { EXPORT_FILES, exportLines, profilesJsonExport } = await import('../lib/server/profile-exports');
  const { modelToZip } = await import('../lib/ml/persist');

  const rows: [string, number, string][] = [];
  console.log(`bench:large — ${surfaces} surfaces x 45 sites in ${dbFile}`);
  const data = await timed(
    rows,
    'build (better-sqlite3, not the app)',
    () => buildLargeDataset({ dbFile, name: 'bench-large', surfaces }),
    (d) => `${d.siteIds.length} sites, ${d.hopCount} hops, ${d.labelledSiteIds.length} labels`,
  );
  if (!data) throw new Error('could not build the dataset');
  const raw = new Database(dbFile, { readonly: true });
  await timed(
    rows,
    'reference: raw scan of every site',
    () => raw.prepare('SELECT id, kind, epdi FROM Site').all().length,
    (n) => `${n} rows`,
  );
  raw.close();
  const refMs = rows[rows.length - 1][1];

  const zip = (trainIds: string[]): Uint8Array =>
    modelToZip({
      format: 'epdi-model',
      version: 1,
      spec: { type: 'mean' },
      name: 'mean',
      trainIds,
      imageSettings: { rangeEv: [-1, 1] },
      params: { meanEv: -2 },
    } as never);
  const model = await createModel(data.datasetId, zip([]), {
    name: 'bench',
    spec: { type: 'mean' },
    metrics: {},
    trainingSiteIds: [],
    settings: {},
  });
  const predictions = data.siteIds.map((siteId, i) => ({ siteId, valueEv: -1 - (i % 100) / 1000, sigmaEv: 0.05 }));
  await timed(
    rows,
    'predictions: replace (every site)',
    () => replacePredictions(model.id, predictions),
    (r) => `${r.stored} stored`,
  );
  await timed(
    rows,
    'predictions: list',
    () => listPredictions(model.id),
    (r) => `${r.length} rows`,
  );
  await timed(
    rows,
    'training: EPDI batch query',
    () => epdiBatch(data.datasetId),
    (b) => `${(b.byteLength / 2 ** 20).toFixed(1)} MB`,
  );
  const trained = await timed(
    rows,
    'training: trainAndStore (mean)',
    () => trainAndStore(data.datasetId, { spec: { type: 'mean' }, seed: 1, protocol: { kind: 'none' } }, () => {}),
    (r) => `${r.nTrain} train, ${r.predictions} predictions`,
  );
  await timed(
    rows,
    'import: model listing every site',
    () => importModel(data.datasetId, zip(data.siteIds)),
    (v) => `${v.matchedTrainingSites} matched`,
  );
  await timed(
    rows,
    'surfaces: listSurfaces',
    () => listSurfaces(data.datasetId),
    (r) => `${r.length} surfaces`,
  );
  await timed(
    rows,
    'surfaces: MEP correlation',
    () => mepCorrelation(data.datasetId),
    (r) => `${r.reduce((a, g) => a + g.points.length, 0)} points`,
  );
  await timed(
    rows,
    'surfaces: level correlation',
    () => levelCorrelation(data.datasetId),
    (r) => `${r.surfaces.length} surfaces`,
  );
  const profiles = await timed(
    rows,
    'profiles: assembleProfiles',
    () => assembleProfiles(data.datasetId, { model: trained?.modelId ?? 'none' }),
    (p) => `${p.surfaces.length} surfaces, ${p.surfaces.reduce((a, s) => a + s.hops.length, 0)} hop profiles`,
  );
  for (const file of profiles ? EXPORT_FILES : []) {
    await timed(
      rows,
      `exports: ${file}.csv`,
      () => {
        let bytes = 0;
        let lines = 0;
        for (const line of exportLines(profiles!, file)) {
          bytes += line.length;
          lines++;
        }
        return { bytes, lines };
      },
      (r) => `${r.lines} lines, ${(r.bytes / 2 ** 20).toFixed(1)} MB`,
    );
  }
  if (profiles)
    await timed(
      rows,
      'exports: profiles.json',
      () => JSON.stringify(profilesJsonExport(profiles)).length,
      (n) => `${(n / 2 ** 20).toFixed(1)} MB`,
    );
  else console.log('exports: skipped (no profiles)');

  const { deleteDataset } = await import('../lib/server/datasets');
  await timed(rows, 'delete the dataset (cascades)', () => deleteDataset(data.datasetId));

  console.log(`\n${'step'.padEnd(34)} ${'seconds'.padStart(8)}  x reference scan (${refMs.toFixed(0)} ms)`);
  for (const [label, ms, note] of rows)
    console.log(
      `${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(8)}  ${(ms / refMs).toFixed(0).padStart(6)}` +
        (note.startsWith('FAILED') ? `  ${note}` : ''),
    );
  await db.$disconnect();
  rmSync(work, { recursive: true, force: true });
  if (failures) {
    console.log(`${failures} step(s) FAILED`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
