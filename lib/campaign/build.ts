/**
 * Build a campaign folder from the chosen calculations: manifest.json, calcs/<id>/ input folders, submit.sh,
 * collect.sh, README.txt and (GPAW) code/scripts/dft/. Pure: returns path -> text; the CLI writes it to disk, the
 * server zips it (fflate) for the browser.
 */
import { describeMuLi } from '../pipeline/mu-li';
import { LABEL_MATCH_TOLERANCE_A } from '../pipeline/labels';
import { linearImages, slabWithLi, topLayer } from './geometry';
import { gpawNebImages, gpawNebScript, gpawRelaxScript } from './gpaw';
import { hashOf, MANIFEST_FORMAT, safeName, sha256sumText, type Manifest, type ManifestCalculation } from './manifest';
import { collectScript, submitScript, type TaskEntry } from './slurm';
import type { CalculationChoice, CampaignInput, CampaignSurface } from './types';
import {
  campaignPoscar,
  defaultIncarTemplate,
  kpointsText,
  nebTags,
  poscarElements,
  relaxTags,
  renderIncar,
  singlePointTags,
} from './vasp';

/** POTCAR variants (VASP's recommended PAW set for these elements); others: the bare element name. */
export const DEFAULT_POTCARS: Record<string, string> = {
  Li: 'Li_sv',
  Ti: 'Ti_pv',
  V: 'V_pv',
  Cr: 'Cr_pv',
  Zr: 'Zr_sv',
  Nb: 'Nb_pv',
  Mo: 'Mo_pv',
  Hf: 'Hf_pv',
  Ta: 'Ta_pv',
  W: 'W_pv',
};

export interface CampaignFolder {
  manifest: Manifest;
  /** Path (relative to the campaign folder, '/'-separated) -> file text. */
  files: Map<string, string>;
}

/** A name not yet used on the surface: `base`, else `base@<campaign short id>`. */
function freshName(base: string, taken: Set<string>, campaignId: string): string {
  let name = base;
  if (taken.has(name)) name = `${base}@${campaignId.slice(0, 8)}`;
  for (let k = 2; taken.has(name); k++) name = `${base}@${campaignId.slice(0, 8)}-${k}`;
  taken.add(name);
  return name;
}

interface CalcFiles {
  /** Paths relative to the calculation folder. */
  inputs: Map<string, string>;
  images: number | null;
}

function vaspFiles(c: CalculationChoice, input: CampaignInput, potcars: Record<string, string>): CalcFiles {
  const host = c.surface.structure;
  const template = input.vasp.incarTemplate ?? defaultIncarTemplate(input.vasp);
  const files = new Map<string, string>();
  const kpoints = kpointsText(input.vasp.kpoints);
  const spec = (elements: string[]): string => elements.map((e) => potcars[e] ?? e).join('\n') + '\n';
  if (c.kind === 'relax') {
    const s = slabWithLi(host, c.site.position, `${c.surface.name} ${c.site.appId} relax (EPDI Lab campaign)`);
    files.set('POSCAR', campaignPoscar(s, input.vasp.liXyFree));
    files.set('INCAR', renderIncar(template, relaxTags(host, input.vasp), 'Li relaxation, host frozen'));
    files.set('KPOINTS', kpoints);
    files.set('POTCAR.spec', spec(poscarElements(s)));
    return { inputs: files, images: null };
  }
  const n = input.vasp.nebImages;
  const path = linearImages(c.from.position, c.to.position, host.lattice, n);
  let elements: string[] = [];
  path.forEach((li, i) => {
    const s = slabWithLi(
      host,
      li,
      `${c.surface.name} ${c.hop} image ${String(i).padStart(2, '0')} (EPDI Lab campaign)`,
    );
    elements = poscarElements(s);
    files.set(`${String(i).padStart(2, '0')}/POSCAR`, campaignPoscar(s, true));
  });
  files.set('INCAR', renderIncar(template, nebTags(host, { ...input.vasp, nebImages: n }), 'climbing-image NEB'));
  files.set('INCAR.ends', renderIncar(template, singlePointTags(host, input.vasp), 'NEB end point, single point'));
  files.set('KPOINTS', kpoints);
  files.set('POTCAR.spec', spec(elements));
  return { inputs: files, images: n };
}

function gpawFiles(c: CalculationChoice, input: CampaignInput): CalcFiles {
  const host = c.surface.structure;
  const chalcogen = topLayer(host).element;
  const files = new Map<string, string>();
  const ov = input.gpaw.overrides;
  if (c.kind === 'relax') {
    const s = slabWithLi(host, c.site.position, `${c.surface.name} ${c.site.appId} (EPDI Lab campaign)`);
    files.set('POSCAR', campaignPoscar(s, false));
    files.set('calc.py', gpawRelaxScript(`${c.surface.name} ${c.site.appId}: Li height scan`, ov, chalcogen));
    return { inputs: files, images: null };
  }
  const n = gpawNebImages(ov);
  linearImages(c.from.position, c.to.position, host.lattice, n).forEach((li, i) => {
    const s = slabWithLi(
      host,
      li,
      `${c.surface.name} ${c.hop} image ${String(i).padStart(2, '0')} (EPDI Lab campaign)`,
    );
    files.set(`${String(i).padStart(2, '0')}/POSCAR`, campaignPoscar(s, true));
  });
  files.set('calc.py', gpawNebScript(`${c.surface.name} ${c.hop}: climbing-image NEB`, ov, chalcogen, n));
  return { inputs: files, images: n };
}

function readme(m: Manifest): string {
  return `EPDI Lab campaign ${m.id}
dataset ${m.dataset.name}; ${m.muLi.text}
engine ${m.engine}; ${m.calculations.length} calculations (${m.selection})

  cd <this folder> && sbatch submit.sh     one Slurm array task per folder under calcs/
  bash collect.sh                          finished/failed folders -> results-${m.id}.tar.gz
  epdi campaign import <this folder or the archive>

Each task skips a folder holding DONE, refuses inputs that differ from inputs.sha256, and writes DONE or FAILED.
${m.engine === 'vasp' ? 'POTCAR is assembled from $VASP_PP_PATH by submit.sh (POTCAR.spec names the variants); it is never shipped.\n' : 'GPAW scripts run the shipped scripts/dft code (code/scripts/dft); set EPDI_PYTHON to a Python with GPAW.\n'}
Matching: labels are matched to sites within ${LABEL_MATCH_TOLERANCE_A} A in the surface plane.
`;
}

export async function buildCampaign(
  input: CampaignInput,
  potcars: Record<string, string> = DEFAULT_POTCARS,
): Promise<CampaignFolder> {
  if (input.choices.length === 0) throw new Error('a campaign needs at least one calculation');
  const files = new Map<string, string>();
  const taken = new Map<string, { labels: Set<string>; nebs: Set<string> }>();
  const namesOf = (s: CampaignSurface): { labels: Set<string>; nebs: Set<string> } => {
    let t = taken.get(s.id);
    if (!t) {
      t = { labels: new Set(s.storedLabelNames), nebs: new Set(s.storedNebNames) };
      taken.set(s.id, t);
    }
    return t;
  };
  const calcs: ManifestCalculation[] = [];
  const tasks: TaskEntry[] = [];
  for (const [index, c] of input.choices.entries()) {
    const target = c.kind === 'relax' ? c.site.appId : c.hop;
    const id = safeName(`${String(index).padStart(2, '0')}-${c.kind}-${c.surface.name}-${target}`);
    const folder = `calcs/${id}`;
    const built = input.engine === 'vasp' ? vaspFiles(c, input, potcars) : gpawFiles(c, input);
    const hashes: Record<string, string> = {};
    for (const [p, text] of built.inputs) {
      files.set(`${folder}/${p}`, text);
      hashes[p] = await hashOf(text);
    }
    files.set(`${folder}/inputs.sha256`, sha256sumText(hashes));
    const names = namesOf(c.surface);
    const saddle = c.kind === 'relax' ? c.site : c.saddle;
    calcs.push({
      id,
      index,
      folder,
      kind: c.kind,
      surface: { id: c.surface.id, name: c.surface.name },
      site: saddle,
      hop: c.kind === 'neb' ? { appId: c.hop, from: c.from, to: c.to } : null,
      labelName: freshName(c.kind === 'relax' ? c.site.appId : `${c.saddle.appId}-neb`, names.labels, input.id),
      nebName: c.kind === 'neb' ? freshName(c.hop, names.nebs, input.id) : null,
      images: built.images,
      why: c.why,
      inputs: hashes,
    });
    tasks.push({ folder, kind: c.kind, lastImage: built.images === null ? null : built.images + 1 });
  }
  const code: Record<string, string> = {};
  if (input.engine === 'gpaw') {
    for (const f of input.gpaw.code) {
      files.set(`code/scripts/dft/${f.path}`, f.text);
      code[`code/scripts/dft/${f.path}`] = await hashOf(f.text);
    }
  }
  const settings: Record<string, unknown> =
    input.engine === 'vasp'
      ? {
          vasp: { ...input.vasp, incarTemplate: input.vasp.incarTemplate ?? defaultIncarTemplate(input.vasp) },
          potcars,
          slurm: input.slurm,
        }
      : { gpaw: { overrides: input.gpaw.overrides, base: 'scripts/dft/calc.py STANDARD' }, slurm: input.slurm };
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    id: input.id,
    createdAt: input.createdAt,
    dataset: input.dataset,
    muLi: { ...input.muLi, text: describeMuLi(input.muLi) },
    engine: input.engine,
    selection: input.selection,
    settings,
    code,
    calculations: calcs,
  };
  files.set('manifest.json', JSON.stringify(manifest, null, 1) + '\n');
  files.set('submit.sh', submitScript(input.id, input.engine, tasks, input.slurm));
  files.set('collect.sh', collectScript(input.id));
  files.set('README.txt', readme(manifest));
  return { manifest, files };
}
