/**
 * VASP inputs of a campaign calculation: POSCAR (slab + Li, host frozen by selective dynamics), INCAR (the user's
 * template with the calculation's own tags on top) and KPOINTS (Gamma-centred mesh). POTCAR is never written: it is
 * licensed, and submit.sh assembles it on the cluster from $VASP_PP_PATH (./slurm.ts).
 */
import { writePoscar } from '../formats/poscar';
import type { Structure } from '../structure/structure';
import { slabCentreFractional } from './geometry';
import type { VaspOptions } from './types';

const GGA: Record<VaspOptions['functional'], string> = { PBE: 'PE', PBEsol: 'PS', RPBE: 'RP' };
const IVDW: Record<Exclude<VaspOptions['vdw'], 'none'>, number> = { D3: 11, D3BJ: 12 };

/** The INCAR template made from the options; the user may edit it (in the app or with --incar FILE). */
export function defaultIncarTemplate(
  o: Pick<VaspOptions, 'encutEv' | 'functional' | 'vdw' | 'dipoleCorrection'>,
): string {
  const lines = [
    'SYSTEM = EPDI Lab campaign',
    '# Electronic structure (edit to match the host runs of your dataset: labels must share settings)',
    `ENCUT = ${o.encutEv}`,
    `GGA = ${GGA[o.functional]}`,
    'PREC = Accurate',
    'EDIFF = 1E-5',
    'ISMEAR = 0',
    'SIGMA = 0.05',
    'ISPIN = 1',
    'LREAL = Auto',
    'LWAVE = .FALSE.',
    'LCHARG = .FALSE.',
    '# LVHAR = .TRUE. writes the LOCPOT the app reads: set it in the HOST run of a new surface, not here',
    'LVHAR = .FALSE.',
  ];
  if (o.vdw !== 'none') lines.push(`IVDW = ${IVDW[o.vdw]}`);
  if (o.dipoleCorrection) lines.push('LDIPOL = .TRUE.', 'IDIPOL = 3');
  return lines.join('\n') + '\n';
}

export interface IncarTag {
  key: string;
  value: string;
}

/** Tags of an INCAR text in order (comments after '#' or '!' dropped; 'A = 1; B = 2' split). Keys upper-cased. */
export function parseIncar(text: string): IncarTag[] {
  const out: IncarTag[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#!].*$/, '');
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim().toUpperCase();
      const value = part.slice(eq + 1).trim();
      if (key) out.push({ key, value });
    }
  }
  return out;
}

/**
 * The template with `overrides` applied: a tag of the template that the calculation sets is replaced in place, the
 * others are appended under a comment. Comments and blank lines of the template are kept.
 */
export function renderIncar(template: string, overrides: IncarTag[], heading: string): string {
  const byKey = new Map(overrides.map((t) => [t.key, t.value]));
  const used = new Set<string>();
  const lines = template.split(/\r?\n/).map((raw) => {
    const tags = parseIncar(raw);
    if (tags.length !== 1 || !byKey.has(tags[0].key)) return raw;
    used.add(tags[0].key);
    return `${tags[0].key} = ${byKey.get(tags[0].key)}`;
  });
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const extra = overrides.filter((t) => !used.has(t.key));
  if (extra.length) lines.push(`# ${heading} (set by EPDI Lab)`, ...extra.map((t) => `${t.key} = ${t.value}`));
  return lines.join('\n') + '\n';
}

const fmt = (v: number): string => v.toFixed(6);

function dipolTag(host: Structure, o: VaspOptions): IncarTag[] {
  if (!o.dipoleCorrection) return [];
  return [{ key: 'DIPOL', value: slabCentreFractional(host).map(fmt).join(' ') }];
}

/** Tags of a Li relaxation (host frozen through selective dynamics). */
export function relaxTags(host: Structure, o: VaspOptions): IncarTag[] {
  return [
    { key: 'IBRION', value: '2' },
    { key: 'ISIF', value: '2' },
    { key: 'NSW', value: '100' },
    { key: 'EDIFFG', value: '-0.02' },
    ...dipolTag(host, o),
  ];
}

/** Tags of a single point (NEB end points). */
export function singlePointTags(host: Structure, o: VaspOptions): IncarTag[] {
  return [{ key: 'IBRION', value: '-1' }, { key: 'NSW', value: '0' }, ...dipolTag(host, o)];
}

/** Tags of a climbing-image NEB (VTST's LCLIMB; VASP's own optimiser IBRION = 3 with POTIM = 0 needs VTST's IOPT). */
export function nebTags(host: Structure, o: VaspOptions): IncarTag[] {
  return [
    { key: 'IMAGES', value: String(o.nebImages) },
    { key: 'SPRING', value: '-5' },
    { key: 'LCLIMB', value: '.TRUE.' },
    { key: 'IBRION', value: '3' },
    { key: 'POTIM', value: '0' },
    { key: 'IOPT', value: '3' },
    { key: 'NSW', value: '200' },
    { key: 'EDIFFG', value: '-0.05' },
    ...dipolTag(host, o),
  ];
}

/** Gamma-centred KPOINTS. */
export function kpointsText(mesh: [number, number, number]): string {
  return ['Gamma-centred mesh (EPDI Lab campaign)', '0', 'Gamma', mesh.join(' '), '0 0 0'].join('\n') + '\n';
}

/**
 * POSCAR of slab + Li (Li the last atom), Direct coordinates, selective dynamics: host F F F, Li
 * F F T (height only) or T T T (`liXyFree`).
 */
export function campaignPoscar(structure: Structure, liXyFree: boolean): string {
  const n = structure.species.length;
  const flags: [boolean, boolean, boolean][] = structure.species.map((_, i) =>
    i === n - 1 ? [liXyFree, liXyFree, true] : [false, false, false],
  );
  return writePoscar({ ...structure, selectiveDynamics: flags }, { digits: 10 });
}

/** The elements of a POSCAR's species line, in order (POTCAR is assembled in this order). */
export function poscarElements(structure: Structure): string[] {
  const out: string[] = [];
  for (const s of structure.species) if (out[out.length - 1] !== s) out.push(s);
  return out;
}
