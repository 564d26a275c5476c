/**
 * `epdi profiles <surface folder>... --csv FILE [--json] [--dataset NAME] [--samples 21]
 *                [--mu-li EV --mu-ref bcc|atom|custom] [--e-slab EV]`
 * `epdi profiles --dataset NAME --csv FILE [--json] [--model ID|none] [--surfaces NAME,NAME] [--samples 21]`
 *
 * Hop profiles, barriers and sites as CSV (lib/profile/csv.ts documents the columns; each file gets a `<name>.json`
 * provenance sidecar):
 *   --csv out/profiles.csv  -> out/profiles.csv, out/barriers.csv, out/sites.csv (+ .json sidecars)
 *   --csv out/run1.csv      -> out/run1.csv, out/run1.barriers.csv, out/run1.sites.csv (+ .json sidecars)
 * and a summary (per surface: hops, percolating barrier, NEB errors; doping effects), or with --json the JSON export.
 *
 * Both modes are adapters over the one pipeline (lib/pipeline): folders are read exactly as an upload is
 * (lib/server/upload: POSCAR, LOCPOT, labels.csv, sites/<name>/, neb/<name>/, meta.json, .gz welcome), their sites
 * and hops found and their labels matched as the server's extraction does, then assembled by the same function that
 * serves a stored dataset (`--dataset NAME` without folders: DATABASE_URL, default data/epdi.db; predictions of
 * `--model`, default the dataset's latest model, `none` for DFT only). A folder and its imported copy therefore give
 * the same hops, names and barriers. mu_Li: `--mu-li` (with `--mu-ref`) when given, else the folders' meta.json.
 */
import { closeSync, mkdirSync, openSync, writeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { numberOption, stringOption, type CliArgs } from '../args';
import { extractSurface } from '../../lib/epdi/extract';
import { resolveSettings } from '../../lib/epdi/settings';
import { findSites } from '../../lib/surface';
import {
  assembleDatasetProfiles,
  describeMuLi,
  muLiProblem,
  pipelineSurfaceFromSites,
  resolveMuLi,
  surfaceMuLi,
  MU_LI_KINDS_TEXT,
  type DatasetProfiles,
} from '../../lib/pipeline';
import { summarizeNebComparisons } from '../../lib/profile';

export const summary =
  'hop profiles, barriers and NEB comparison of surface folders or a stored dataset (--dataset) as CSV / JSON';

/** Write lines to a file as they come (no whole-file string). */
function writeLines(file: string, lines: Iterable<string>): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    let buf = '';
    for (const line of lines) {
      buf += line;
      if (buf.length > 1 << 16) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf) writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

/** The three output paths for `--csv FILE`. */
export function csvPaths(file: string): { profiles: string; barriers: string; sites: string } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  if (base === 'profiles.csv') {
    return { profiles: file, barriers: path.join(dir, 'barriers.csv'), sites: path.join(dir, 'sites.csv') };
  }
  const stem = base.replace(/\.csv$/i, '');
  return {
    profiles: file,
    barriers: path.join(dir, `${stem}.barriers.csv`),
    sites: path.join(dir, `${stem}.sites.csv`),
  };
}

function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/** CSVs with their sidecars, the JSON export or the summary: the same for both modes. */
async function output(result: DatasetProfiles, args: CliArgs, csv: string | undefined): Promise<number> {
  const { exportLines, exportSidecar, profilesJsonExport } = await import('../../lib/server/profile-exports');
  if (csv) {
    const p = csvPaths(csv);
    for (const file of ['profiles', 'barriers', 'sites'] as const) {
      writeLines(p[file], exportLines(result, file));
      writeFileSync(p[file].replace(/\.csv$/i, '.json'), JSON.stringify(exportSidecar(result, file), null, 2) + '\n');
    }
    if (!args.json) console.log(`wrote ${p.profiles}, ${p.barriers}, ${p.sites} (each with a .json sidecar)`);
  }
  if (args.json) {
    console.log(JSON.stringify(profilesJsonExport(result), null, 2));
    return 0;
  }
  console.log(`mu_Li: ${describeMuLi(result.muLi)}`);
  for (const s of result.surfaces) {
    const cmp = s.hops.filter((h) => h.neb?.comparison);
    const mae = cmp.length
      ? summarizeNebComparisons(cmp.map((h) => ({ hop: h.hop, ...h.neb!.comparison! }))).maeEv
      : null;
    // Say when the bottleneck rests on predicted knots: a doping effect from predictions is not a DFT result.
    const bottleneck = s.hops.find((h) => h.hop === s.percolation?.bottleneckHop);
    const basis =
      bottleneck && bottleneck.source !== 'dft' ? ` (bottleneck ${bottleneck.hop}: ${bottleneck.source})` : '';
    console.log(
      `${s.name}: ${s.hops.length} hops (${s.incomplete.length} incomplete), percolating barrier ` +
        `${fmt(s.percolation?.barrierEv)} eV${basis}, ` +
        (cmp.length ? `${cmp.length} NEB (MAE ${fmt(mae)} eV)` : 'no NEB'),
    );
  }
  for (const d of result.doping)
    console.log(`${d.dopant}@${d.host}: barrier ${fmt(d.deltaEv)} eV (${fmt(d.deltaPercent, 1)} %) vs pristine`);
  console.log(`model: ${result.model ? `${result.model.name} (${result.model.id})` : 'none'}`);
  for (const n of result.notes) console.log(`note: ${n}`);
  return 0;
}

/** `--dataset NAME` without folders: the stored dataset, as the API serves it. */
async function datasetMode(args: CliArgs, datasetName: string): Promise<DatasetProfiles | string> {
  const { db } = await import('../../lib/server/db');
  const { assembleProfiles } = await import('../../lib/server/profiles');
  const { HttpError } = await import('../../lib/server/http');
  const dataset = await db.dataset.findUnique({ where: { name: datasetName }, select: { id: true } });
  if (!dataset) return `no dataset named '${datasetName}' in the database (epdi import loads folders)`;
  const surfaces = stringOption(args, 'surfaces')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return await assembleProfiles(dataset.id, {
      surfaces,
      model: stringOption(args, 'model'),
      samples: numberOption(args, 'samples', 21),
    });
  } catch (err) {
    if (err instanceof HttpError) return err.message;
    throw err;
  }
}

/** Folders: read as an upload is, sites and labels as extraction finds them, assembled like a stored dataset. */
async function folderMode(args: CliArgs, folders: string[]): Promise<DatasetProfiles | string> {
  const { listFolder } = await import('../../lib/server/import-folder');
  const { understandFiles } = await import('../../lib/server/upload/import-upload');
  const { UploadError } = await import('../../lib/server/upload/errors');
  const files = [];
  for (const f of folders) files.push(...(await listFolder(f)));
  let parsed;
  try {
    ({ parsed } = await understandFiles(files, path.basename(path.resolve(folders[0])), () => {}));
  } catch (err) {
    if (err instanceof UploadError) return err.message;
    throw err;
  }
  const option = args.options['mu-li'] !== undefined ? numberOption(args, 'mu-li', Number.NaN) : null;
  if (option !== null) {
    const problem = muLiProblem(option);
    if (problem) return `--mu-li: ${problem}`;
  }
  const kind = stringOption(args, 'mu-ref') ?? 'bcc';
  if (!MU_LI_KINDS_TEXT.includes(kind)) return `--mu-ref must be one of ${MU_LI_KINDS_TEXT.join('|')}, got '${kind}'`;
  const { record, notes } = resolveMuLi(
    { kind, valueEv: option, source: 'option' },
    parsed.map((p) => ({ surface: p.name, valueEv: p.meta.mu_Li_eV, kind: p.meta.mu_Li_reference })),
  );
  const eSlabOption = args.options['e-slab'] !== undefined ? numberOption(args, 'e-slab', Number.NaN) : undefined;
  const settings = resolveSettings();
  const surfaces = parsed.map((p) => {
    const extraction = p.potential ? extractSurface(p.structure, p.potential.grid, settings) : null;
    const found = extraction ?? findSites(p.structure, { heightA: settings.heightA });
    return pipelineSurfaceFromSites(
      {
        name: p.name,
        host: p.host ?? p.name,
        phase: typeof p.meta.phase === 'string' ? p.meta.phase : null,
        dopant: p.dopant,
        lattice: p.structure.lattice,
        eSlabEv: eSlabOption ?? p.eSlabEv ?? null,
        labels: p.labels,
        nebRuns: p.nebRuns,
        files: p.sourceFiles,
      },
      found,
      { muLiEv: surfaceMuLi(record, p.meta.mu_Li_eV), meps: extraction?.meps },
    ).surface;
  });
  const dataset = stringOption(args, 'dataset') ?? path.basename(path.dirname(path.resolve(folders[0])));
  return assembleDatasetProfiles(
    { id: dataset, name: dataset, muLiReference: record.kind, muLiEv: option, settings },
    surfaces,
    { muLi: record, samples: numberOption(args, 'samples', 21), notes },
  );
}

export async function run(args: CliArgs): Promise<number> {
  const folders = args.positionals;
  const csv = stringOption(args, 'csv');
  const datasetOption = stringOption(args, 'dataset');
  const byDataset = folders.length === 0 && datasetOption !== undefined;
  if ((folders.length === 0 && !byDataset) || (!csv && !args.json)) {
    console.error(
      'usage: epdi profiles <surface folder>... --csv FILE [--json] [--dataset NAME] [--samples 21] [--mu-li EV --mu-ref bcc|atom|custom] [--e-slab EV]\n' +
        '       epdi profiles --dataset NAME --csv FILE [--json] [--model ID|none] [--surfaces NAME,NAME] [--samples 21]',
    );
    return 2;
  }
  const result = byDataset ? await datasetMode(args, datasetOption) : await folderMode(args, folders);
  if (typeof result === 'string') {
    console.error(`epdi profiles: ${result}`);
    return 1;
  }
  return output(result, args, csv);
}
