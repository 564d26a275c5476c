/**
 * What came back of each calculation of a campaign, judged against the manifest stored when it was exported: which
 * results can be stored, and why the others cannot (not run, still running or crashed, failed, unconverged, inputs
 * changed, from another campaign). Pure: the results are a map of path (relative to the campaign folder) -> bytes;
 * the files to store come out in the surface-folder layout the upload reads (labels.csv rows, sites/<name>/,
 * neb/<name>/00..NN), so the import goes through the upload's own readers and store.
 */
import { parseOutcar } from '../formats/outcar';
import { parsePoscar } from '../formats/poscar';
import { cartesianToFractional, fractionalToCartesian, type Vec3 } from '../math/mat3';
import { LABEL_MATCH_TOLERANCE_A } from '../pipeline/labels';
import type { Structure } from '../structure/structure';
import { inPlaneDistance } from './geometry';
import { hashOf, type Manifest, type ManifestCalculation } from './manifest';

export type ResultStatus =
  'ready' | 'not-run' | 'running' | 'failed' | 'unconverged' | 'inputs-changed' | 'foreign' | 'unreadable';

export interface CalculationResult {
  id: string;
  status: ResultStatus;
  message: string;
  /** E_total of the stored label (relax) or of the highest NEB image, eV. */
  energyEv: number | null;
  /** Files for the upload, in the surface-folder layout (sites/<name>/..., neb/<name>/NN/...). */
  files: [string, Uint8Array][];
  /** labels.csv rows (without header) for results that have no OUTCAR (GPAW) and for NEB saddles. */
  labelRows: string[];
  /** For people: what was left out (e.g. an NEB saddle too far from the bridge to be a label). */
  notes: string[];
}

export const LABELS_HEADER = 'site,kind,x,y,z,E_total_eV,method,note';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The DONE marker: `campaign <id>`, `calculation <id>`, `job ...`, `finished ...`, then sha256sum lines. */
export function parseDoneMarker(t: string): {
  campaign: string | null;
  calculation: string | null;
  hashes: Record<string, string>;
} {
  let campaign: string | null = null;
  let calculation: string | null = null;
  const hashes: Record<string, string> = {};
  for (const line of t.split(/\r?\n/)) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) hashes[m[2]] = m[1];
    else if (line.startsWith('campaign ')) campaign = line.slice(9).trim();
    else if (line.startsWith('calculation ')) calculation = line.slice(12).trim();
  }
  return { campaign, calculation, hashes };
}

function result(c: ManifestCalculation, status: ResultStatus, message: string): CalculationResult {
  return { id: c.id, status, message, energyEv: null, files: [], labelRows: [], notes: [] };
}

function liOf(s: Structure, file: string): Vec3 {
  const i = s.species.lastIndexOf('Li');
  if (i < 0 || s.species.indexOf('Li') !== i) throw new Error(`${file} must hold exactly one Li atom`);
  return s.positions[i];
}

/** Li wrapped into the cell in a and b (labels must lie inside the cell; NEB images may leave it). */
function wrapInPlane(p: Vec3, s: Structure): Vec3 {
  const f = cartesianToFractional(p, s.lattice);
  return fractionalToCartesian([f[0] - Math.floor(f[0]), f[1] - Math.floor(f[1]), f[2]], s.lattice);
}

function energyFile(bytes: Uint8Array, file: string): number {
  const v = Number(text(bytes).trim().split(/\s+/)[0]);
  if (!Number.isFinite(v)) throw new Error(`${file} does not hold one number (eV)`);
  return v;
}

const fixed = (v: number): string => v.toFixed(6);

function labelRow(name: string, kind: string, p: Vec3, e: number, method: string, note: string): string {
  return [name, kind, fixed(p[0]), fixed(p[1]), fixed(p[2]), fixed(e), method, note].join(',');
}

type Get = (p: string) => Uint8Array | undefined;

function relaxResult(m: Manifest, c: ManifestCalculation, get: Get): CalculationResult {
  const out = result(c, 'ready', '');
  const contcar = get('CONTCAR');
  if (!contcar) return result(c, 'failed', 'finished without a CONTCAR');
  const structure = parsePoscar(contcar, { fileName: `${c.folder}/CONTCAR` }).structure;
  const li = liOf(structure, `${c.folder}/CONTCAR`);
  if (m.engine === 'vasp') {
    const outcar = get('OUTCAR');
    if (!outcar) return result(c, 'failed', 'finished without an OUTCAR');
    const summary = parseOutcar(outcar, { fileName: `${c.folder}/OUTCAR` });
    if (summary.energySigma0Ev === undefined) return result(c, 'failed', 'OUTCAR has no finished ionic step');
    if (!summary.reachedRequiredAccuracy)
      return result(
        c,
        'unconverged',
        `relaxation stopped after ${summary.ionicSteps} ionic steps without reaching EDIFFG`,
      );
    out.energyEv = summary.energySigma0Ev;
    out.files.push([`sites/${c.labelName}/CONTCAR`, contcar], [`sites/${c.labelName}/OUTCAR`, outcar]);
  } else {
    const energy = get('energy');
    const res = get('result.json');
    if (!energy || !res) return result(c, 'failed', 'finished without energy and result.json');
    const info = JSON.parse(text(res)) as { converged?: boolean; method?: string };
    if (info.converged !== true) return result(c, 'unconverged', `height scan: ${info.method ?? 'not converged'}`);
    out.energyEv = energyFile(energy, `${c.folder}/energy`);
    out.labelRows.push(
      labelRow(
        c.labelName,
        c.site.kind,
        wrapInPlane(li, structure),
        out.energyEv,
        `campaign-gpaw-${info.method}`,
        c.id,
      ),
    );
  }
  out.message = `E_total = ${out.energyEv.toFixed(4)} eV, Li at (${li.map((v) => v.toFixed(3)).join(', ')}) A`;
  return out;
}

function nebResult(m: Manifest, c: ManifestCalculation, get: Get): CalculationResult {
  const out = result(c, 'ready', '');
  const n = (c.images ?? 0) + 2;
  const energies: number[] = [];
  const lis: { li: Vec3; s: Structure }[] = [];
  let converged = true;
  for (let i = 0; i < n; i++) {
    const dir = String(i).padStart(2, '0');
    const sName = get(`${dir}/CONTCAR`) ? 'CONTCAR' : 'POSCAR';
    const sBytes = get(`${dir}/${sName}`);
    if (!sBytes) return result(c, 'failed', `image ${dir} has no CONTCAR or POSCAR`);
    const structure = parsePoscar(sBytes, { fileName: `${c.folder}/${dir}/${sName}` }).structure;
    lis.push({ li: liOf(structure, `${c.folder}/${dir}/${sName}`), s: structure });
    out.files.push([`neb/${c.nebName}/${dir}/${sName}`, sBytes]);
    if (m.engine === 'vasp') {
      const outcar = get(`${dir}/OUTCAR`);
      if (!outcar) return result(c, 'failed', `image ${dir} has no OUTCAR`);
      const summary = parseOutcar(outcar, { fileName: `${c.folder}/${dir}/OUTCAR` });
      if (summary.energySigma0Ev === undefined) return result(c, 'failed', `image ${dir}: OUTCAR has no finished step`);
      if (i > 0 && i < n - 1 && !summary.reachedRequiredAccuracy) converged = false;
      energies.push(summary.energySigma0Ev);
      out.files.push([`neb/${c.nebName}/${dir}/OUTCAR`, outcar]);
    } else {
      const e = get(`${dir}/energy`);
      if (!e) return result(c, 'failed', `image ${dir} has no energy file`);
      energies.push(energyFile(e, `${c.folder}/${dir}/energy`));
      out.files.push([`neb/${c.nebName}/${dir}/energy`, e]);
    }
  }
  if (m.engine === 'gpaw') {
    const res = get('result.json');
    converged = !!res && (JSON.parse(text(res)) as { converged?: boolean }).converged === true;
  }
  if (!converged) return result(c, 'unconverged', 'the NEB did not reach its force criterion');
  let top = 1;
  for (let i = 1; i < n - 1; i++) if (energies[i] > energies[top]) top = i;
  out.energyEv = energies[top];
  const { li, s } = lis[top];
  const offA = inPlaneDistance(li, c.site.position, s.lattice);
  if (offA <= LABEL_MATCH_TOLERANCE_A) {
    out.labelRows.push(
      labelRow(c.labelName, c.site.kind, wrapInPlane(li, s), energies[top], `campaign-${m.engine}-ci-neb-saddle`, c.id),
    );
  } else {
    out.notes.push(
      `the NEB's highest image lies ${offA.toFixed(2)} A from ${c.site.appId} (more than ${LABEL_MATCH_TOLERANCE_A} A): ` +
        'stored as an NEB run only, not as the saddle label',
    );
  }
  out.message = `${n} images, highest ${String(top).padStart(2, '0')} at E_total = ${energies[top].toFixed(4)} eV`;
  return out;
}

/**
 * Judge every calculation of `manifest` (the one stored at export) from `files` (paths relative to the campaign
 * folder). A folder whose inputs differ from the manifest, or whose DONE marker names another campaign or other
 * inputs, is refused; only 'ready' results carry files.
 */
export async function assessResults(
  manifest: Manifest,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<CalculationResult[]> {
  const out: CalculationResult[] = [];
  for (const c of manifest.calculations) {
    const get: Get = (p) => files.get(`${c.folder}/${p}`);
    const present = [...files.keys()].some((p) => p.startsWith(`${c.folder}/`));
    if (!present) {
      out.push(result(c, 'not-run', 'no results for this calculation'));
      continue;
    }
    const changed: string[] = [];
    for (const [p, h] of Object.entries(c.inputs)) {
      const b = get(p);
      if (b && (await hashOf(b)) !== h) changed.push(p);
    }
    if (changed.length) {
      out.push(result(c, 'inputs-changed', `inputs differ from the campaign's: ${changed.join(', ')}; refused`));
      continue;
    }
    const done = get('DONE');
    const failed = get('FAILED');
    if (!done) {
      if (failed) out.push(result(c, 'failed', text(failed).trim() || 'FAILED'));
      else if (get('RUNNING'))
        out.push(result(c, 'running', 'started but not finished (still running, or the task was killed)'));
      else out.push(result(c, 'not-run', 'no DONE marker: not run yet'));
      continue;
    }
    const marker = parseDoneMarker(text(done));
    if (marker.campaign !== manifest.id) {
      out.push(result(c, 'foreign', `DONE names campaign ${marker.campaign ?? '(none)'}, not ${manifest.id}; refused`));
      continue;
    }
    const ran = Object.entries(c.inputs)
      .filter(([p, h]) => marker.hashes[p] !== h)
      .map(([p]) => p);
    if (ran.length) {
      out.push(
        result(c, 'inputs-changed', `the run used other inputs than the campaign's: ${ran.join(', ')}; refused`),
      );
      continue;
    }
    try {
      out.push(c.kind === 'relax' ? relaxResult(manifest, c, get) : nebResult(manifest, c, get));
    } catch (err) {
      out.push(result(c, 'unreadable', err instanceof Error ? err.message : String(err)));
    }
  }
  return out;
}

/** One labels.csv (header + rows) of the given results, or null when none has a row. */
export function labelsCsv(results: readonly CalculationResult[]): string | null {
  const rows = results.flatMap((r) => r.labelRows);
  return rows.length ? [LABELS_HEADER, ...rows].join('\n') + '\n' : null;
}
