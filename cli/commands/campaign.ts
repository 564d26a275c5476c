/**
 * `epdi campaign export|collect|import`: hand the next DFT calculations to a Slurm cluster and take the results back
 * (lib/campaign; DESIGN.md "Campaigns"). Thin: options in, lib/server/campaigns out.
 *
 *   epdi campaign export --dataset NAME [--next N | --sites SURF:NAME,...] [--neb] --engine vasp|gpaw --out DIR
 *        [--partition P --time HH:MM:SS --nodes N --ntasks N --cpus-per-task N --account A --module m1,m2
 *         --python CMD --vasp-command CMD] [--encut EV --functional PBE|PBEsol|RPBE --vdw none|D3|D3BJ --no-dipole
 *         --kpoints 3,3,1 --images N --li-xy-free --incar FILE] [--gpaw-settings JSON]
 *   epdi campaign collect DIR          finished/failed folders -> DIR/results-<id>.zip
 *   epdi campaign import DIR|ARCHIVE [--campaign ID] [--retrain]
 *        --retrain: then retrain the dataset's default model and list how each hop's barriers and sigmas moved
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { CliArgs } from '../args';
import { numberOption, stringOption } from '../args';
import { isUnchanged, type BarrierMove, type Engine, type SlurmOptions, type VaspOptions } from '../../lib/campaign';
import { HttpError } from '../../lib/server/http';
import { UploadError } from '../../lib/server/upload/errors';

export const summary = 'Export DFT calculations as a Slurm job array, collect and import the results';

const USAGE = `usage:
  epdi campaign export --dataset NAME [--next N | --sites SURF:NAME,...] [--neb] --engine vasp|gpaw --out DIR [options]
  epdi campaign collect DIR
  epdi campaign import DIR|ARCHIVE [--campaign ID] [--retrain] [--json]`;

function list(args: CliArgs, key: string): string[] | undefined {
  const v = stringOption(args, key);
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

function slurmOptions(args: CliArgs): Partial<SlurmOptions> {
  const o: Partial<SlurmOptions> = {};
  const s = (k: string): string | undefined => stringOption(args, k);
  if (s('partition')) o.partition = s('partition');
  if (s('time')) o.time = s('time');
  if (s('account')) o.account = s('account');
  if (s('python')) o.pythonCommand = s('python');
  if (s('vasp-command')) o.vaspCommand = s('vasp-command');
  if (s('job-name')) o.jobName = s('job-name');
  if (args.options.nodes !== undefined) o.nodes = numberOption(args, 'nodes', 1);
  if (args.options.ntasks !== undefined) o.ntasks = numberOption(args, 'ntasks', 1);
  if (args.options['cpus-per-task'] !== undefined) o.cpusPerTask = numberOption(args, 'cpus-per-task', 1);
  const modules = list(args, 'module');
  if (modules) o.modules = modules;
  return o;
}

function vaspOptions(args: CliArgs): Partial<VaspOptions> {
  const o: Partial<VaspOptions> = {};
  if (args.options.encut !== undefined) o.encutEv = numberOption(args, 'encut', 450);
  const f = stringOption(args, 'functional');
  if (f) {
    if (!['PBE', 'PBEsol', 'RPBE'].includes(f)) throw new Error(`--functional: PBE, PBEsol or RPBE, got ${f}`);
    o.functional = f as VaspOptions['functional'];
  }
  const vdw = stringOption(args, 'vdw');
  if (vdw) {
    if (!['none', 'D3', 'D3BJ'].includes(vdw)) throw new Error(`--vdw: none, D3 or D3BJ, got ${vdw}`);
    o.vdw = vdw as VaspOptions['vdw'];
  }
  if (args.options['no-dipole'] === true) o.dipoleCorrection = false;
  if (args.options['li-xy-free'] === true) o.liXyFree = true;
  const k = list(args, 'kpoints');
  if (k) {
    const mesh = k.map(Number);
    if (mesh.length !== 3 || mesh.some((v) => !Number.isInteger(v) || v < 1))
      throw new Error('--kpoints: three whole numbers, e.g. 3,3,1');
    o.kpoints = mesh as [number, number, number];
  }
  if (args.options.images !== undefined) o.nebImages = numberOption(args, 'images', 5);
  const incar = stringOption(args, 'incar');
  if (incar) o.incarTemplate = readFileSync(incar, 'utf8');
  return o;
}

async function exportCommand(args: CliArgs): Promise<number> {
  const dataset = stringOption(args, 'dataset');
  const engine = stringOption(args, 'engine') as Engine | undefined;
  const out = stringOption(args, 'out');
  if (!dataset || !out || (engine !== 'vasp' && engine !== 'gpaw')) {
    console.error(USAGE);
    return 2;
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    console.error(`epdi campaign export: ${out} exists and is not empty`);
    return 2;
  }
  const gpawText = stringOption(args, 'gpaw-settings');
  const { exportCampaign } = await import('../../lib/server/campaigns/export');
  const folder = await exportCampaign(dataset, {
    engine,
    next: args.options.next !== undefined ? numberOption(args, 'next', 5) : undefined,
    sites: list(args, 'sites'),
    neb: args.options.neb === true,
    slurm: slurmOptions(args),
    vasp: vaspOptions(args),
    gpaw: gpawText ? (JSON.parse(gpawText) as Record<string, unknown>) : {},
    model: stringOption(args, 'model'),
  });
  for (const [p, text] of folder.files) {
    const target = path.join(out, p);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text, { mode: p.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const m = folder.manifest;
  if (args.json) {
    console.log(JSON.stringify({ out, manifest: m }, null, 2));
    return 0;
  }
  console.log(
    `campaign ${m.id}: ${m.calculations.length} ${m.engine} calculations of dataset ${m.dataset.name} in ${out}`,
  );
  console.log(`  ${m.selection}; ${m.muLi.text}`);
  for (const c of m.calculations) console.log(`  [${c.index}] ${c.id}  -> label ${c.labelName}  (${c.why})`);
  console.log(
    `next: cd ${out} && sbatch submit.sh; then epdi campaign collect ${out} (or bash collect.sh); epdi campaign import ${out}`,
  );
  return 0;
}

const SKIP = /^(POTCAR|WAVECAR|CHG|CHGCAR|PROCAR|DOSCAR|EIGENVAL|XDATCAR|vaspout\.h5|.*\.gpw)$/;

function collectCommand(args: CliArgs): number {
  const dir = args.positionals[1];
  if (!dir || !existsSync(path.join(dir, 'manifest.json'))) {
    console.error(`epdi campaign collect: ${dir ?? '(no folder)'} is not a campaign folder (no manifest.json)`);
    return 2;
  }
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    id: string;
    calculations: { folder: string }[];
  };
  const entries: Record<string, Uint8Array> = { 'manifest.json': readFileSync(path.join(dir, 'manifest.json')) };
  let packed = 0;
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !SKIP.test(e.name)) entries[p] = readFileSync(path.join(dir, p));
    }
  };
  for (const c of manifest.calculations) {
    const finished = ['DONE', 'FAILED'].some((f) => existsSync(path.join(dir, c.folder, f)));
    if (!finished) continue;
    walk(c.folder);
    packed++;
  }
  const out = path.join(dir, `results-${manifest.id}.zip`);
  writeFileSync(out, zipSync(entries, { level: 6 }));
  console.log(`${out}: ${packed} of ${manifest.calculations.length} calculation folders (finished or failed)`);
  return 0;
}

async function importCommand(args: CliArgs): Promise<number> {
  const target = args.positionals[1];
  if (!target || !existsSync(target)) {
    console.error(USAGE);
    return 2;
  }
  const { readCampaignResults } = await import('../../lib/server/campaigns/read');
  const { importCampaignResults } = await import('../../lib/server/campaigns/import');
  const files = await readCampaignResults(target);
  const report = await importCampaignResults(files, {
    campaignId: stringOption(args, 'campaign'),
    retrain: args.options.retrain === true,
  });
  if (args.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`campaign ${report.campaignId}: ${report.status}, ${report.returned} of ${report.total} stored`);
  for (const c of report.calculations) {
    console.log(`  ${c.id.padEnd(36)} ${c.status.padEnd(15)} ${c.message}`);
    for (const n of c.notes) console.log(`  ${''.padEnd(36)} note: ${n}`);
  }
  if (report.retrain) {
    const r = report.retrain;
    console.log(`retrain: ${r.message}`);
    console.log(`  model before: ${r.modelBefore?.name ?? '(none)'}; after: ${r.modelAfter?.name ?? '(none)'}`);
    const changed = r.moves.filter((m) => !isUnchanged(m));
    const shown = changed.slice(0, MOVES_SHOWN);
    if (shown.length) console.log('  barriers (eV) before -> after, largest moves first:');
    for (const m of shown) console.log(`  ${moveLine(m)}`);
    const rest = [
      changed.length > shown.length ? `${changed.length - shown.length} more moved (--json lists them)` : '',
      r.moves.length > changed.length ? `${r.moves.length - changed.length} hops unchanged` : '',
    ].filter(Boolean);
    if (rest.length) console.log(`  ${rest.join('; ')}`);
  }
  return 0;
}

const MOVES_SHOWN = 20;
const ev = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(3));
const withSigma = (v: number | null | undefined, sigma: number | null | undefined): string =>
  sigma === null || sigma === undefined ? ev(v) : `${ev(v)} +- ${ev(sigma)}`;
const signed = (v: number | null): string => (v === null ? '' : ` (${v >= 0 ? '+' : ''}${(v * 1000).toFixed(1)} meV)`);

/** One hop of the retrain report: forward and backward barrier before -> after, each with its sigma. */
function moveLine(m: BarrierMove): string {
  const side = (dir: 'forward' | 'backward'): string => {
    const b = withSigma(m.before?.[`${dir}Ev`], m.before?.[`${dir}SigmaEv`]);
    const a = withSigma(m.after?.[`${dir}Ev`], m.after?.[`${dir}SigmaEv`]);
    return `${dir} ${b} -> ${a}${signed(dir === 'forward' ? m.deltaForwardEv : m.deltaBackwardEv)}`;
  };
  const status = m.status === 'moved' ? '' : ` [${m.status}]`;
  return `${m.surface} ${m.hop} ${m.from} -> ${m.saddle} -> ${m.to}${status}: ${side('forward')}; ${side('backward')}`;
}

export async function run(args: CliArgs): Promise<number> {
  const sub = args.positionals[0];
  try {
    if (sub === 'export') return await exportCommand(args);
    if (sub === 'collect') return collectCommand(args);
    if (sub === 'import') return await importCommand(args);
  } catch (err) {
    if (
      err instanceof HttpError ||
      err instanceof UploadError ||
      (err instanceof Error && err.name === 'SelectionError')
    ) {
      console.error(`epdi campaign ${sub}: ${err.message}`);
      return 1;
    }
    throw err;
  }
  console.error(USAGE);
  return 2;
}
