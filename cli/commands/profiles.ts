/**
 * `epdi profiles <surface folder>... --csv FILE [--json] [--dataset NAME] [--samples 21]
 *                [--mu-li EV --mu-ref bcc|atom|custom] [--e-slab EV]`
 *
 * From surface folders (DESIGN.md section 3: POSCAR, labels.csv, meta.json, neb/<name>/00..NN), writes the hop
 * profiles, barriers and sites as CSV (lib/profile/csv.ts documents the columns):
 *   --csv out/profiles.csv  -> out/profiles.csv, out/barriers.csv, out/sites.csv
 *   --csv out/run1.csv      -> out/run1.csv, out/run1.barriers.csv, out/run1.sites.csv
 * and prints a summary (per surface: hops, percolating barrier, NEB errors; doping effects), or with --json the JSON
 * export with provenance (file SHA-256s) on stdout.
 *
 * Energies: E_b from labels.csv's E_b_eV, else E_total_eV - E_slab - mu_Li with E_slab and mu_Li from meta.json
 * (`E_slab_eV`, `mu_Li_eV`, optional `mu_Li_ref`) or the options (options win). Every label is a DFT value here
 * (source 'dft'); predictions join when a model is wired in (issue: ML).
 * Hops: each labelled bridge with the nearest labelled minima on both sides (lib/profile/label-hops.ts), since this
 * command does not compute the site graph itself. NEB runs under neb/<name>/ are matched to a hop by name (= the
 * bridge's site id), else by their end points (Li within 0.5 A in-plane of the hop's minima, either direction).
 *
 * `epdi profiles --dataset NAME --csv FILE [--json] [--model ID|none] [--surfaces NAME,NAME] [--samples 21]`
 * (no folders): the same three CSVs from a dataset in the database (DATABASE_URL, default data/epdi.db), assembled
 * by lib/server/profiles.ts exactly as the app's export endpoints do: sites and hops from extraction, DFT labels
 * (own or by symmetry), the model's predictions (default: the dataset's latest model; `none` for DFT only), NEB
 * runs, the dataset's mu_Li reference. With folders, --dataset only names the dataset in the files.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { numberOption, stringOption, type CliArgs } from '../args';
import { parseLabelsCsv } from '../../lib/formats/labels-csv';
import { parsePoscar } from '../../lib/formats/poscar';
import { parseNebRun } from '../../lib/formats/neb';
import { isFormatError, formatErrorMessage } from '../../lib/formats/errors';
import {
  barrierCsvRow,
  barriersCsv,
  bindingEnergy,
  buildJsonExport,
  compareNeb,
  dopingEffects,
  hopProfile,
  hopsFromLabelledBridges,
  nebCsvRows,
  percolatingBarrier,
  profileCsvRows,
  profilesCsv,
  sha256Hex,
  sitesCsv,
  summarizeNebComparisons,
  MU_LI_KINDS,
  type BarrierCsvRow,
  type FileHash,
  type HopProfile,
  type LabelHop,
  type LabelledSite,
  type MuLiKind,
  type MuLiReference,
  type NebComparison,
  type NebProfile,
  type ProfileCsvRow,
  type SiteCsvRow,
  type SurfaceBarrier,
} from '../../lib/profile';

export const summary =
  'hop profiles, barriers and NEB comparison of surface folders or a stored dataset (--dataset) as CSV / JSON';

interface Meta {
  host?: string;
  dopant?: string | null;
  E_slab_eV?: number;
  mu_Li_eV?: number;
  mu_Li_ref?: string;
}

interface SurfaceResult {
  name: string;
  host: string;
  dopant: string | null;
  muLi: MuLiReference | null;
  profiles: ProfileCsvRow[];
  barriers: BarrierCsvRow[];
  sites: SiteCsvRow[];
  comparisons: NebComparison[];
  percolatingBarrierEv: number | null;
  unmatchedBridges: string[];
  unmatchedNeb: string[];
  /** neb/<run> folders with fewer than two image folders (a run still in progress). */
  skippedNeb: string[];
  files: FileHash[];
}

const NEB_MATCH_TOLERANCE_A = 0.5;

async function hashFile(file: string, root: string): Promise<FileHash> {
  const bytes = readFileSync(file);
  return {
    path: path.relative(root, file) || path.basename(file),
    sha256: await sha256Hex(bytes),
    bytes: bytes.length,
  };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e.startsWith('.')) continue;
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * The files of an NEB run's image folders (00..NN), as uploads read them: files beside the image folders
 * (scripts/dft summary.json, VTST neb.dat, INCAR) and hidden ones (a generator's .progress.json) are not images.
 */
function nebImageFiles(runDir: string): { files: string[]; images: number } {
  const imageDirs = readdirSync(runDir)
    .filter((e) => /^\d{2,3}$/.test(e) && statSync(path.join(runDir, e)).isDirectory())
    .sort();
  return { files: imageDirs.flatMap((d) => listFiles(path.join(runDir, d))), images: imageDirs.length };
}

/** In-plane distance between two Cartesian points under the lattice translations a, b (minimum image). */
function inPlaneDistance(p: readonly number[], q: readonly number[], lattice: readonly (readonly number[])[]): number {
  let best = Infinity;
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const dx = q[0] + i * lattice[0][0] + j * lattice[1][0] - p[0];
      const dy = q[1] + i * lattice[0][1] + j * lattice[1][1] - p[1];
      best = Math.min(best, Math.hypot(dx, dy));
    }
  }
  return best;
}

function resolveReference(args: CliArgs, meta: Meta): MuLiReference | null {
  const muLiEv = args.options['mu-li'] !== undefined ? numberOption(args, 'mu-li', Number.NaN) : meta.mu_Li_eV;
  if (muLiEv === undefined || !Number.isFinite(muLiEv)) return null;
  const ref = stringOption(args, 'mu-ref') ?? meta.mu_Li_ref ?? 'bcc';
  if (!(MU_LI_KINDS as readonly string[]).includes(ref))
    throw new Error(`--mu-ref must be one of ${MU_LI_KINDS.join('|')}, got '${ref}'`);
  return { kind: ref as MuLiKind, muLiEv };
}

async function processSurface(folder: string, args: CliArgs, dataset: string, samples: number): Promise<SurfaceResult> {
  const name = path.basename(path.resolve(folder));
  const files: FileHash[] = [];
  const metaPath = path.join(folder, 'meta.json');
  const meta: Meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : {};
  if (existsSync(metaPath)) files.push(await hashFile(metaPath, folder));
  const muLi = resolveReference(args, meta);
  const eSlab = args.options['e-slab'] !== undefined ? numberOption(args, 'e-slab', Number.NaN) : meta.E_slab_eV;

  const structPath = ['POSCAR', 'CONTCAR'].map((f) => path.join(folder, f)).find((p) => existsSync(p));
  if (!structPath) throw new Error(`${folder}: no POSCAR or CONTCAR (the host slab)`);
  const lattice = parsePoscar(readFileSync(structPath), { fileName: structPath }).structure.lattice;
  files.push(await hashFile(structPath, folder));

  const labelsPath = path.join(folder, 'labels.csv');
  if (!existsSync(labelsPath)) throw new Error(`${folder}: no labels.csv`);
  const labels = parseLabelsCsv(readFileSync(labelsPath), { fileName: labelsPath });
  files.push(await hashFile(labelsPath, folder));

  const sites: LabelledSite[] = labels.map((l) => {
    let energyEv = l.bindingEnergyEv;
    if (energyEv === undefined) {
      if (eSlab === undefined || !muLi) {
        throw new Error(
          `${labelsPath}:${l.line}: E_b_eV missing and no E_slab/mu_Li to compute it (meta.json or --e-slab/--mu-li)`,
        );
      }
      energyEv = bindingEnergy(l.totalEnergyEv!, eSlab, muLi);
    }
    return { id: l.site, kind: l.kind, position: [l.x, l.y, l.z], energyEv, source: 'dft' };
  });
  const { hops, unmatched } = hopsFromLabelledBridges(sites, lattice);

  // NEB runs.
  const nebs: { name: string; neb: NebProfile; first: number[]; last: number[] }[] = [];
  const skippedNeb: string[] = [];
  const nebRoot = path.join(folder, 'neb');
  if (existsSync(nebRoot)) {
    for (const run of readdirSync(nebRoot).sort()) {
      const dir = path.join(nebRoot, run);
      if (run.startsWith('.') || !statSync(dir).isDirectory()) continue;
      const { files: runFiles, images } = nebImageFiles(dir);
      if (images < 2) {
        skippedNeb.push(run);
        continue;
      }
      const parsed = parseNebRun(new Map(runFiles.map((f) => [path.relative(nebRoot, f), readFileSync(f)])));
      for (const f of runFiles) files.push(await hashFile(f, folder));
      const li = (k: number): number[] => {
        const st = parsed.images[k].structure;
        const idx = st.species.lastIndexOf('Li');
        if (idx < 0) throw new Error(`${dir}: image ${parsed.images[k].folder} has no Li atom`);
        return st.positions[idx];
      };
      const energies = parsed.images.map((im) => {
        if (eSlab === undefined || !muLi)
          throw new Error(`${dir}: NEB energies need E_slab and mu_Li (meta.json or options)`);
        return bindingEnergy(im.energyEv, eSlab, muLi);
      });
      nebs.push({
        name: run,
        neb: { hop: run, s: parsed.reactionCoordinate, energyEv: energies },
        first: li(0),
        last: li(parsed.images.length - 1),
      });
    }
  }

  const host = meta.host ?? name;
  const dopant = meta.dopant ?? null;
  const modelId = null;
  const profilesRows: ProfileCsvRow[] = [];
  const barrierRows: BarrierCsvRow[] = [];
  const comparisons: NebComparison[] = [];
  const usedNeb = new Set<string>();
  const drawn: { hop: LabelHop; profile: HopProfile }[] = [];
  for (const hop of hops) {
    const profile = hopProfile(
      {
        id: hop.id,
        from: { energyEv: hop.from.energyEv, source: hop.from.source, site: hop.from.id },
        saddle: { energyEv: hop.saddle.energyEv, source: hop.saddle.source, site: hop.saddle.id },
        to: { energyEv: hop.to.energyEv, source: hop.to.source, site: hop.to.id },
        sSaddle: hop.sSaddle,
      },
      { samples },
    );
    drawn.push({ hop, profile });
    const ctx = { dataset, surface: name, host, dopant, hop: hop.id, modelId };
    profilesRows.push(...profileCsvRows(ctx, profile));
    const near = (p: readonly number[], q: readonly number[]): boolean =>
      inPlaneDistance(p, q, lattice) <= NEB_MATCH_TOLERANCE_A;
    let match = nebs.find((n) => n.name === hop.id && !usedNeb.has(n.name));
    let reversed = false;
    if (!match) {
      match = nebs.find(
        (n) => !usedNeb.has(n.name) && near(n.first, hop.from.position) && near(n.last, hop.to.position),
      );
    }
    if (!match) {
      match = nebs.find(
        (n) => !usedNeb.has(n.name) && near(n.last, hop.from.position) && near(n.first, hop.to.position),
      );
      reversed = match !== undefined;
    }
    let cmp: NebComparison | null = null;
    if (match) {
      usedNeb.add(match.name);
      const neb: NebProfile = reversed
        ? { hop: hop.id, s: [...match.neb.s].reverse().map((v) => 1 - v), energyEv: [...match.neb.energyEv].reverse() }
        : { ...match.neb, hop: hop.id };
      cmp = compareNeb(neb, profile);
      comparisons.push(cmp);
      profilesRows.push(...nebCsvRows(ctx, neb));
    }
    barrierRows.push(barrierCsvRow(ctx, profile, cmp));
  }

  const minima = sites.filter((s) => s.kind !== 'bridge');
  const percolation =
    minima.length > 0
      ? percolatingBarrier(
          minima.map((s) => ({ id: s.id, energyEv: s.energyEv })),
          drawn.map(({ hop, profile }) => ({
            id: hop.id,
            from: hop.from.id,
            to: hop.to.id,
            translation: hop.translation,
            topEnergyEv: profile.maxEnergyEv,
          })),
        )
      : null;

  const siteRows: SiteCsvRow[] = labels.map((l, i) => ({
    site: l.site,
    kind: l.kind,
    xA: l.x,
    yA: l.y,
    zA: l.z,
    mepV: null,
    ebEv: sites[i].energyEv,
    ebPredEv: null,
    sigmaEv: null,
    distToDopantA: null,
  }));

  return {
    name,
    host,
    dopant,
    muLi,
    profiles: profilesRows,
    barriers: barrierRows,
    sites: siteRows,
    comparisons,
    percolatingBarrierEv: percolation ? percolation.barrierEv : null,
    unmatchedBridges: unmatched,
    unmatchedNeb: nebs.filter((n) => !usedNeb.has(n.name)).map((n) => n.name),
    skippedNeb,
    files,
  };
}

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

/** `--dataset NAME` without folders: read the dataset from the database (lib/server/profiles.ts). */
async function runDataset(args: CliArgs, datasetName: string, csv: string | undefined): Promise<number> {
  const { db } = await import('../../lib/server/db');
  const { assembleProfiles } = await import('../../lib/server/profiles');
  const { exportLines, profilesJsonExport } = await import('../../lib/server/profile-exports');
  const { HttpError } = await import('../../lib/server/http');
  const dataset = await db.dataset.findUnique({ where: { name: datasetName }, select: { id: true } });
  if (!dataset) {
    console.error(`epdi profiles: no dataset named '${datasetName}' in the database (epdi import loads folders)`);
    return 1;
  }
  let surfaceIds: string[] | undefined;
  const wanted = stringOption(args, 'surfaces');
  if (wanted) {
    const names = wanted
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const rows = await db.surface.findMany({
      where: { datasetId: dataset.id, OR: [{ name: { in: names } }, { id: { in: names } }] },
      select: { id: true, name: true },
    });
    const missing = names.filter((n) => !rows.some((r) => r.name === n || r.id === n));
    if (missing.length) {
      console.error(`epdi profiles: no surface ${missing.join(', ')} in dataset '${datasetName}'`);
      return 1;
    }
    surfaceIds = rows.map((r) => r.id);
  }
  let result;
  try {
    result = await assembleProfiles(dataset.id, {
      surfaces: surfaceIds,
      model: stringOption(args, 'model'),
      samples: numberOption(args, 'samples', 21),
    });
  } catch (err) {
    if (err instanceof HttpError) {
      console.error(`epdi profiles: ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (csv) {
    const p = csvPaths(csv);
    writeLines(p.profiles, exportLines(result, 'profiles'));
    writeLines(p.barriers, exportLines(result, 'barriers'));
    writeLines(p.sites, exportLines(result, 'sites'));
    if (!args.json) console.log(`wrote ${p.profiles}, ${p.barriers}, ${p.sites}`);
  }
  if (args.json) {
    console.log(JSON.stringify(profilesJsonExport(result), null, 2));
    return 0;
  }
  for (const s of result.surfaces) {
    const cmp = s.hops.filter((h) => h.neb?.comparison);
    console.log(
      `${s.name}: ${s.hops.length} hops (${s.incomplete.length} incomplete), percolating barrier ` +
        `${fmt(s.percolation?.barrierEv)} eV, ` +
        (cmp.length
          ? `${cmp.length} NEB (MAE ${fmt(summarizeNebComparisons(cmp.map((h) => ({ hop: h.hop, ...h.neb!.comparison! }))).maeEv)} eV)`
          : 'no NEB'),
    );
  }
  for (const d of result.doping)
    console.log(`${d.dopant}@${d.host}: barrier ${fmt(d.deltaEv)} eV (${fmt(d.deltaPercent, 1)} %) vs pristine`);
  console.log(`model: ${result.model ? `${result.model.name} (${result.model.id})` : 'none'}`);
  for (const n of result.notes) console.log(`note: ${n}`);
  return 0;
}

export async function run(args: CliArgs): Promise<number> {
  const folders = args.positionals;
  const csv = stringOption(args, 'csv');
  const datasetOption = stringOption(args, 'dataset');
  if (folders.length === 0 && datasetOption && (csv || args.json)) return runDataset(args, datasetOption, csv);
  if (folders.length === 0 || (!csv && !args.json)) {
    console.error(
      'usage: epdi profiles <surface folder>... --csv FILE [--json] [--dataset NAME] [--samples 21] [--mu-li EV --mu-ref bcc|atom|custom] [--e-slab EV]\n' +
        '       epdi profiles --dataset NAME --csv FILE [--json] [--model ID|none] [--surfaces NAME,NAME] [--samples 21]',
    );
    return 2;
  }
  const samples = numberOption(args, 'samples', 21);
  const dataset = stringOption(args, 'dataset') ?? path.basename(path.dirname(path.resolve(folders[0])));
  const results: SurfaceResult[] = [];
  try {
    for (const f of folders) results.push(await processSurface(f, args, dataset, samples));
  } catch (err) {
    if (isFormatError(err)) {
      console.error(`epdi profiles: ${formatErrorMessage(err)}`);
      return 1;
    }
    throw err;
  }
  const refs = [...new Set(results.map((r) => (r.muLi ? JSON.stringify(r.muLi) : 'null')))];
  const muLi = refs.length === 1 ? results[0].muLi : null;
  const notes: string[] = [];
  if (refs.length > 1) notes.push(`surfaces use different mu_Li references: ${refs.join(' vs ')}`);
  for (const r of results) {
    if (r.unmatchedBridges.length)
      notes.push(`${r.name}: bridges without minima on both sides: ${r.unmatchedBridges.join(', ')}`);
    if (r.unmatchedNeb.length) notes.push(`${r.name}: NEB runs not matched to a hop: ${r.unmatchedNeb.join(', ')}`);
    if (r.percolatingBarrierEv === null && r.barriers.length > 0)
      notes.push(
        `${r.name}: no percolating barrier: the labelled hops do not connect a site to its periodic images (labels for ` +
          'one site per symmetry group?); `epdi import` the folder and run with --dataset, which fills in symmetry twins',
      );
    if (r.skippedNeb.length)
      notes.push(`${r.name}: NEB folders without image folders 00..NN (still running?), skipped: ${r.skippedNeb.join(', ')}`);
  }
  const info = { dataset, muLi, modelId: null, note: notes.length ? notes.join(' | ') : undefined };
  const allComparisons = results.flatMap((r) => r.comparisons);
  const nebSummary = allComparisons.length ? summarizeNebComparisons(allComparisons) : null;
  const surfaceBarriers: SurfaceBarrier[] = results
    .filter((r) => r.percolatingBarrierEv !== null)
    .map((r) => ({ surface: r.name, host: r.host, dopant: r.dopant, barrierEv: r.percolatingBarrierEv! }));
  const doping = dopingEffects(surfaceBarriers);

  if (csv) {
    const p = csvPaths(csv);
    writeLines(
      p.profiles,
      profilesCsv(
        results.flatMap((r) => r.profiles),
        info,
      ),
    );
    writeLines(
      p.barriers,
      barriersCsv(
        results.flatMap((r) => r.barriers),
        info,
      ),
    );
    writeLines(
      p.sites,
      sitesCsv(
        results.flatMap((r) => r.sites),
        info,
      ),
    );
    if (!args.json) console.log(`wrote ${p.profiles}, ${p.barriers}, ${p.sites}`);
  }
  if (args.json) {
    const out = buildJsonExport({
      dataset,
      muLi,
      model: null,
      settings: { samples, folders },
      files: results.flatMap((r) => r.files.map((f) => ({ ...f, path: `${r.name}/${f.path}` }))),
      notes,
      profiles: results.flatMap((r) => r.profiles),
      barriers: results.flatMap((r) => r.barriers),
      sites: results.flatMap((r) => r.sites),
      nebSummary,
      doping,
    });
    console.log(
      JSON.stringify(
        { ...out, surfaces: results.map((r) => ({ name: r.name, percolatingBarrierEv: r.percolatingBarrierEv })) },
        null,
        2,
      ),
    );
    return 0;
  }
  for (const r of results) {
    const nebMae = r.comparisons.length ? summarizeNebComparisons(r.comparisons).maeEv : null;
    console.log(
      `${r.name}: ${r.barriers.length} hops, percolating barrier ${fmt(r.percolatingBarrierEv)} eV, ` +
        (r.comparisons.length ? `${r.comparisons.length} NEB (MAE ${fmt(nebMae)} eV)` : 'no NEB'),
    );
  }
  for (const d of doping)
    console.log(`${d.dopant}@${d.host}: barrier ${fmt(d.deltaEv)} eV (${fmt(d.deltaPercent, 1)} %) vs pristine`);
  for (const n of notes) console.log(`note: ${n}`);
  return 0;
}
