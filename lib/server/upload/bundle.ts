import type { SniffedFormat } from '@/lib/formats/sniff';
import { UploadError } from './errors';

/** What a file is for, decided from its name inside a surface folder (content is checked when it is parsed). */
export type FileRole =
  | 'structure'
  | 'potential'
  | 'labels'
  | 'meta'
  | 'host-outcar'
  | 'host-vasprun'
  | 'site-structure'
  | 'site-outcar'
  | 'neb-structure'
  | 'neb-outcar'
  | 'neb-energy'
  | 'ignored';

export interface BundleFile {
  path: string;
  role: FileRole;
  /** For site files: the site folder name; for NEB files: the NEB name. */
  group?: string;
  /** For NEB files: the image index (folder 00..NN). */
  image?: number;
}

export interface SurfaceBundle {
  /** The folder that holds the surface ('' for files sent without a folder). */
  root: string;
  name: string;
  files: BundleFile[];
}

/** VASP run files that a surface does not need: accepted in folder drops and skipped, with a note. */
const IGNORED_NAMES =
  /^(INCAR|KPOINTS|POTCAR|OSZICAR|IBZKPT|EIGENVAL|DOSCAR|PCDAT|XDATCAR|REPORT|WAVECAR|CHG|CHGCAR|AECCAR\d|ELFCAR|PARCHG.*|PROCAR|vaspout\.h5|WAVEDER|stdout|stderr|neb\.dat|README.*|\.DS_Store)(\.gz)?$|\.(log|out|err|txt|md|sh|slurm|pbs|png|jpg|jpeg|svg|pdf)$/i;

function baseRole(name: string): FileRole | undefined {
  const n = name.replace(/\.gz$/i, '');
  if (/^(POSCAR|CONTCAR)([._-].*)?$/i.test(n) || /\.vasp$/i.test(n)) return 'structure';
  if (/^LOCPOT([._-].*)?$/i.test(n) || /\.(cube|cub)$/i.test(n)) return 'potential';
  if (/\.csv$/i.test(n)) return 'labels';
  if (/^meta\.json$/i.test(n)) return 'meta';
  if (/^OUTCAR([._-].*)?$/i.test(n)) return 'host-outcar';
  if (/^vasprun.*\.xml$/i.test(n)) return 'host-vasprun';
  if (IGNORED_NAMES.test(name)) return 'ignored';
  return undefined;
}

/** The role a top-level file plays judging by its content alone (for files with unusual names). */
const ROLE_OF_FORMAT: Partial<Record<SniffedFormat, FileRole>> = {
  poscar: 'structure',
  volumetric: 'potential',
  cube: 'potential',
  'labels-csv': 'labels',
  'meta-json': 'meta',
  outcar: 'host-outcar',
  vasprun: 'host-vasprun',
};

/** Formats a role's file may hold (checked against its content, so a misnamed file is caught early). */
const FORMATS_OF_ROLE: Record<Exclude<FileRole, 'ignored'>, SniffedFormat[]> = {
  structure: ['poscar'],
  potential: ['volumetric', 'cube'],
  labels: ['labels-csv'],
  meta: ['meta-json'],
  'host-outcar': ['outcar'],
  'host-vasprun': ['vasprun'],
  'site-structure': ['poscar'],
  'site-outcar': ['outcar'],
  'neb-structure': ['poscar'],
  'neb-outcar': ['outcar'],
  'neb-energy': ['neb-energy'],
};

function checkContent(file: BundleFile, format: SniffedFormat): BundleFile {
  if (file.role === 'ignored' || format === 'unknown' || FORMATS_OF_ROLE[file.role].includes(format)) {
    if (file.role !== 'ignored' && format === 'unknown') {
      throw new UploadError(
        415,
        'unrecognised_content',
        `'${file.path}' is named like a ${file.role} file but its content is not`,
        {
          file: file.path,
        },
      );
    }
    return file;
  }
  throw new UploadError(
    415,
    'wrong_content',
    `'${file.path}' is named like a ${file.role} file but its content looks like ${format}`,
    { file: file.path },
  );
}

function classify(rest: string[], file: string, format: SniffedFormat): BundleFile {
  // Hidden files and folders (.progress/, .DS_Store) come along with folder uploads: skip them.
  if (file.split('/').some((p) => p.startsWith('.'))) return { path: file, role: 'ignored' };
  return checkContent(classifyByName(rest, file, format), format);
}

function classifyByName(rest: string[], file: string, format: SniffedFormat): BundleFile {
  const name = rest[rest.length - 1];
  // sites/<name>/CONTCAR + OUTCAR
  if (rest[0] === 'sites' && rest.length === 3) {
    const role = baseRole(name);
    if (role === 'structure') return { path: file, role: 'site-structure', group: rest[1] };
    if (role === 'host-outcar') return { path: file, role: 'site-outcar', group: rest[1] };
    // The run's vasprun.xml repeats what its OUTCAR holds: accepted and skipped.
    if (role === 'ignored' || role === 'host-vasprun') return { path: file, role: 'ignored' };
  }
  // neb/<name>/<NN>/POSCAR|CONTCAR|OUTCAR|energy
  if (rest[0] === 'neb' && rest.length === 4 && /^\d{2,3}$/.test(rest[2])) {
    const image = Number(rest[2]);
    if (/^energy(\.gz)?$/i.test(name)) return { path: file, role: 'neb-energy', group: rest[1], image };
    const role = baseRole(name);
    if (role === 'structure') return { path: file, role: 'neb-structure', group: rest[1], image };
    if (role === 'host-outcar') return { path: file, role: 'neb-outcar', group: rest[1], image };
    if (role === 'ignored' || role === 'host-vasprun') return { path: file, role: 'ignored' };
  }
  // Files beside the image folders of a NEB run (scripts/dft summary.json, VTST neb.dat/spline.dat, INCAR, ...)
  // describe the run; the images hold everything the app reads.
  if (rest[0] === 'neb' && rest.length === 3) return { path: file, role: 'ignored' };
  if (rest.length === 1) {
    const role = baseRole(name) ?? ROLE_OF_FORMAT[format];
    if (role) return { path: file, role };
  }
  if (baseRole(name) === 'ignored') return { path: file, role: 'ignored' };
  throw new UploadError(415, 'unknown_file', `'${file}' is not a file EPDI Lab reads (see the surface folder layout)`, {
    file,
  });
}

/** A VASP run folder holds both POSCAR and CONTCAR: the relaxed CONTCAR is the host structure. */
function preferContcar(bundle: SurfaceBundle): void {
  const structures = bundle.files.filter((f) => f.role === 'structure');
  if (structures.length !== 2) return;
  const contcar = structures.find((f) => /^CONTCAR/i.test(f.path.split('/').pop()!));
  const poscar = structures.find((f) => /^POSCAR/i.test(f.path.split('/').pop()!));
  if (contcar && poscar) poscar.role = 'ignored';
}

/** The folder a path's surface lives in: everything before a `sites/` or `neb/` segment, else the parent folder. */
function surfaceRoot(parts: string[]): { root: string[]; rest: string[] } {
  const marker = parts.findIndex((p, i) => (p === 'sites' || p === 'neb') && i < parts.length - 1);
  if (marker >= 0) return { root: parts.slice(0, marker), rest: parts.slice(marker) };
  return { root: parts.slice(0, -1), rest: parts.slice(-1) };
}

/**
 * Group uploaded paths into surface folders (../shared/DESIGN.md section 3). Files without a folder form one
 * surface named `fallbackName`. A file's role comes from its name and is checked against its sniffed content; a file
 * with an unusual name is placed by its content. Throws UploadError 415 naming the first file that fits no role.
 */
export function groupIntoSurfaces(
  paths: string[],
  fallbackName: string,
  formatOf: (path: string) => SniffedFormat,
): SurfaceBundle[] {
  const byRoot = new Map<string, SurfaceBundle>();
  for (const file of paths) {
    const parts = file.split('/');
    const { root, rest } = surfaceRoot(parts);
    const key = root.join('/');
    let bundle = byRoot.get(key);
    if (!bundle) {
      bundle = { root: key, name: root.length ? root[root.length - 1] : fallbackName, files: [] };
      byRoot.set(key, bundle);
    }
    bundle.files.push(classify(rest, file, formatOf(file)));
  }
  const bundles = [...byRoot.values()];
  for (const b of bundles) {
    const has = (role: FileRole) => b.files.some((f) => f.role === role);
    if (!has('structure') && !has('potential')) {
      const first = b.files.find((f) => f.role !== 'ignored');
      if (!first) continue;
      throw new UploadError(
        422,
        'no_structure',
        `folder '${b.root || '.'}' has no POSCAR/CONTCAR or LOCPOT/cube for its surface`,
        { file: first.path },
      );
    }
    preferContcar(b);
    for (const role of ['structure', 'potential', 'labels', 'meta', 'host-outcar'] as const) {
      const many = b.files.filter((f) => f.role === role);
      if (many.length > 1) {
        throw new UploadError(422, 'ambiguous_files', `folder '${b.root || '.'}' has more than one ${role} file`, {
          file: many[1].path,
        });
      }
    }
  }
  return bundles.filter((b) => b.files.some((f) => f.role !== 'ignored'));
}

/** Roles of the files that add labels to a stored surface. */
const LABEL_ROLES: ReadonlySet<FileRole> = new Set([
  'labels',
  'site-structure',
  'site-outcar',
  'neb-structure',
  'neb-outcar',
  'neb-energy',
]);

/**
 * Classify the files sent to add labels to a stored surface: labels.csv, sites/<name>/(CONTCAR|POSCAR)+OUTCAR and
 * neb/<name>/00..NN anywhere in the paths (a whole surface folder may be sent again), and a bare NEB folder
 * `<name>/00..NN/...` (the folder of one NEB run picked on its own) as neb/<name>. The surface's own files (POSCAR,
 * LOCPOT, meta.json, host OUTCAR) are not changed by adding labels: they come back as 'ignored'. Roles are checked
 * against the sniffed content as for an upload; throws UploadError 415 naming the first file that fits no role.
 */
export function classifyLabelFiles(paths: string[], formatOf: (path: string) => SniffedFormat): BundleFile[] {
  return paths.map((file) => {
    const parts = file.split('/');
    const marker = parts.findIndex((p, i) => (p === 'sites' || p === 'neb') && i < parts.length - 1);
    let rest: string[];
    if (marker >= 0) rest = parts.slice(marker);
    else if (parts.length >= 2 && /^\d{2,3}$/.test(parts[parts.length - 2])) {
      rest = ['neb', parts.length >= 3 ? parts[parts.length - 3] : 'neb', ...parts.slice(-2)];
    } else rest = parts.slice(-1);
    const f = classify(rest, file, formatOf(file));
    return LABEL_ROLES.has(f.role) ? f : { path: file, role: 'ignored' };
  });
}
