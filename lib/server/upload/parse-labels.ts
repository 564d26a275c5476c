import type { Structure } from '@/lib/structure/structure';
import { parseLabelsCsv } from '@/lib/formats/labels-csv';
import { parseNebRun } from '@/lib/formats/neb';
import type { BundleFile } from './bundle';
import { UploadError } from './errors';
import { checkLabelsAgainstSites } from './label-sites';
import type { ParsedNebImage, RawLabel } from './parse-surface';
import { asUploadError, readOutcarEnergy, readSmall, readStructure } from './read-file';
import type { ReceivedFile } from './receive';

/**
 * The labels of a surface folder: labels.csv rows, sites/<name>/CONTCAR + OUTCAR runs and neb/<name>/00..NN runs.
 * Used alike by the surface upload (./parse-surface.ts) and by adding labels to a stored surface (./add-labels.ts),
 * so both accept the same files and refuse the same mistakes.
 */
export interface ParsedLabels {
  labels: RawLabel[];
  nebRuns: { name: string; images: ParsedNebImage[] }[];
}

type FileOf = (f: BundleFile) => ReceivedFile;

/**
 * Parse every label file of `files` (roles 'labels', 'site-*', 'neb-*'; others are left alone) and check the labels
 * against the sites of `structure` (./label-sites.ts). Throws UploadError (4xx naming the file and line) on the first
 * problem.
 */
export async function parseLabelFiles(
  files: BundleFile[],
  fileOf: FileOf,
  structure: Structure,
): Promise<ParsedLabels> {
  const labels: RawLabel[] = [];
  for (const f of files.filter((x) => x.role === 'labels')) labels.push(...(await readLabels(fileOf(f))));
  labels.push(...(await readSiteRuns(files, fileOf)));
  const seen = new Map<string, RawLabel>();
  for (const l of labels) {
    const before = seen.get(l.site);
    if (before) {
      throw new UploadError(
        422,
        'duplicate_label',
        `label '${l.site}' is given twice: in ${before.file}${before.line !== undefined ? ` line ${before.line}` : ''} and in ${l.file}`,
        { file: l.file, line: l.line },
      );
    }
    seen.set(l.site, l);
  }
  checkLabelsAgainstSites(labels, structure);
  const nebRuns = await readNebRuns(files, fileOf);
  return { labels, nebRuns };
}

async function readLabels(file: ReceivedFile): Promise<RawLabel[]> {
  const bytes = await readSmall(file);
  try {
    return parseLabelsCsv(bytes, { fileName: file.path }).map((row) => ({
      site: row.site,
      kind: row.kind,
      position: [row.x, row.y, row.z],
      eTotalEv: row.totalEnergyEv,
      eBindingEv: row.bindingEnergyEv,
      method: row.method,
      note: row.note,
      source: 'csv',
      file: file.path,
      line: row.line,
    }));
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

function liPosition(structure: Structure): [number, number, number] | null {
  const i = structure.species.indexOf('Li');
  return i >= 0 ? structure.positions[i] : null;
}

/** The folder of a NEB image file: everything up to and including the image folder ('MoS2/neb/H-01/03'). */
function imageFolder(path: string): string {
  return path.split('/').slice(0, -1).join('/');
}

/** Image folders 00..NN of one NEB run must all be there: name the first gap and what is present. */
function checkImageFolders(name: string, files: BundleFile[]): void {
  const present = [...new Set(files.map((f) => f.image!))].sort((a, b) => a - b);
  const max = present[present.length - 1];
  const width = Math.max(
    2,
    imageFolder(files.find((f) => f.image === max)!.path)
      .split('/')
      .pop()!.length,
  );
  const runFolder = imageFolder(files[0].path).split('/').slice(0, -1).join('/');
  const label = (i: number) => String(i).padStart(width, '0');
  if (present.length < 2) {
    throw new UploadError(
      422,
      'neb_too_short',
      `NEB '${name}' (${runFolder}) has only image ${label(present[0])}; a NEB needs images 00..NN, at least 2`,
      {
        file: files[0].path,
      },
    );
  }
  for (let i = 0; i <= max; i++) {
    if (!present.includes(i)) {
      throw new UploadError(
        422,
        'missing_image',
        `NEB '${name}' is missing image folder ${runFolder}/${label(i)} (found ${present.map(label).join(', ')}; ` +
          `images 00..${label(max)} must all be there)`,
        { file: `${runFolder}/${label(i)}` },
      );
    }
  }
}

/** neb/<name>/00..NN: image energies and positions, in the order of the folders. */
async function readNebRuns(files: BundleFile[], fileOf: FileOf): Promise<ParsedLabels['nebRuns']> {
  const byName = new Map<string, BundleFile[]>();
  for (const f of files) {
    if (!f.role.startsWith('neb-')) continue;
    byName.set(f.group!, [...(byName.get(f.group!) ?? []), f]);
  }
  const runs: ParsedLabels['nebRuns'] = [];
  for (const [name, group] of [...byName].sort((a, b) => a[0].localeCompare(b[0]))) {
    checkImageFolders(name, group);
    const contents = new Map<string, Uint8Array>();
    for (const f of group) contents.set(f.path, await readSmall(fileOf(f), 512 * 1024 ** 2));
    try {
      const run = parseNebRun(contents);
      runs.push({
        name,
        images: run.images.map((img, i) => ({
          index: img.index,
          energyEv: img.energyEv,
          s: run.reactionCoordinate[i],
          li: liPosition(img.structure),
        })),
      });
    } catch (err) {
      throw asUploadError(err, group[0].path);
    }
  }
  return runs;
}

/** sites/<name>/CONTCAR + OUTCAR: the Li position from CONTCAR, E_total from OUTCAR. */
async function readSiteRuns(files: BundleFile[], fileOf: FileOf): Promise<RawLabel[]> {
  const groups = new Map<string, { structure?: BundleFile; outcar?: BundleFile }>();
  for (const f of files) {
    if (f.role !== 'site-structure' && f.role !== 'site-outcar') continue;
    const g = groups.get(f.group!) ?? {};
    // A run folder holding both: the relaxed CONTCAR, not the starting POSCAR.
    const isContcar = (b: BundleFile): boolean => /^CONTCAR/i.test(b.path.split('/').pop()!);
    if (f.role === 'site-structure') {
      if (!g.structure || (isContcar(f) && !isContcar(g.structure))) g.structure = f;
    } else g.outcar = f;
    groups.set(f.group!, g);
  }
  const out: RawLabel[] = [];
  for (const [name, g] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (!g.structure || !g.outcar) {
      const have = g.structure ?? g.outcar!;
      throw new UploadError(422, 'incomplete_site', `sites/${name} needs both CONTCAR and OUTCAR`, { file: have.path });
    }
    const structure = await readStructure(fileOf(g.structure));
    const li = structure.species.map((s, i) => (s === 'Li' ? i : -1)).filter((i) => i >= 0);
    if (li.length !== 1) {
      throw new UploadError(422, 'no_li', `${g.structure.path} must hold exactly one Li atom (found ${li.length})`, {
        file: g.structure.path,
      });
    }
    const eTotalEv = await readOutcarEnergy(fileOf(g.outcar));
    out.push({
      site: name,
      kind: 'other',
      position: structure.positions[li[0]],
      eTotalEv,
      source: 'outcar',
      file: g.outcar.path,
    });
  }
  return out;
}
