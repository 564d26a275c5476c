/**
 * `epdi inspect <file> [--json]`: format, species and counts, lattice (Angstrom), grid dims, min/max/mean, first and
 * last value. Reads volumetric files and OUTCARs as streams (GB files, .gz accepted).
 * `epdi inspect <NEB folder> [--json] [--energy free]`: a folder of images 00..NN (CONTCAR or POSCAR, plus OUTCAR,
 * OUTCAR.gz or an `energy` file) -> the neb.dat table (lib/formats/neb-table.ts): per image the cumulative distance,
 * s, energy(sigma->0) and energy relative to 00, and the forward/backward barriers.
 */
import { createReadStream, existsSync, openSync, readdirSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../args';
import {
  formatErrorMessage,
  isFormatError,
  parseCube,
  parseLabelsCsv,
  parseOutcarStream,
  parsePoscar,
  parseVasprun,
  parseVolumetricStream,
  sniffFormat,
  gunzipChunks,
  isGzip,
  parseNebRun,
  FormatError,
} from '../../lib/formats';
import { formatNebTable, nebTable, type NebTable } from '../../lib/formats/neb-table';
import type { Grid3D } from '../../lib/grid/grid3d';
import type { Structure } from '../../lib/structure/structure';
import { formula, speciesCounts } from '../../lib/structure/structure';
import { cellVolume } from '../../lib/math/mat3';

export const summary = 'format, structure, grid and statistics of a file (POSCAR, LOCPOT/CHGCAR, cube, OUTCAR, ...)';

function head(file: string, n = 1 << 16): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function structureInfo(s: Structure): Record<string, unknown> {
  return {
    formula: formula(s),
    atoms: s.positions.length,
    species: speciesCounts(s),
    latticeAngstrom: s.lattice,
    volumeA3: cellVolume(s.lattice),
  };
}

function gridStats(g: Grid3D): Record<string, unknown> {
  const d = g.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { dims: g.dims, points: d.length, min, max, mean: sum / d.length, first: d[0], last: d[d.length - 1] };
}

async function* stream(file: string): AsyncGenerator<Uint8Array> {
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) yield c as Uint8Array;
}

export async function inspectFile(file: string): Promise<Record<string, unknown>> {
  const name = path.basename(file);
  const size = statSync(file).size;
  const h = head(file);
  const sniff = sniffFormat(name, h, size <= h.length);
  const base: Record<string, unknown> = { file, bytes: size, format: sniff.format, gzip: sniff.gzip };
  switch (sniff.format) {
    case 'poscar': {
      const r = parsePoscar(readFileSync(file), { fileName: name });
      return { ...base, speciesSource: r.speciesSource, coordinates: r.coordinates, ...structureInfo(r.structure) };
    }
    case 'volumetric': {
      const v = await parseVolumetricStream(stream(file), { fileName: name, totalBytes: size });
      return {
        ...base,
        kind: v.kind,
        units: v.units,
        speciesSource: v.speciesSource,
        ...structureInfo(v.structure),
        grid: gridStats(v.grid),
        extraGrids: v.extraGrids.map(gridStats),
        augmentationSkipped: v.augmentationSkipped,
      };
    }
    case 'cube': {
      const c = parseCube(readFileSync(file), { fileName: name });
      return { ...base, units: c.units, originAngstrom: c.originAngstrom, ...structureInfo(c.structure), grid: gridStats(c.grid) };
    }
    case 'outcar': {
      const src = sniff.gzip ? gunzipChunks(stream(file), undefined, name) : stream(file);
      const o = await parseOutcarStream(src, { fileName: name });
      return { ...base, ...o, steps: undefined };
    }
    case 'vasprun':
      return { ...base, ...parseVasprun(readFileSync(file), { fileName: name }) };
    case 'labels-csv': {
      const rows = parseLabelsCsv(readFileSync(file), { fileName: name });
      const kinds: Record<string, number> = {};
      for (const r of rows) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      return { ...base, rows: rows.length, kinds };
    }
    case 'neb-energy':
    case 'meta-json': {
      const text = new TextDecoder().decode(isGzip(h) ? new Uint8Array() : readFileSync(file));
      return { ...base, content: sniff.format === 'meta-json' ? JSON.parse(text) : Number(text.trim()) };
    }
    default:
      return base;
  }
}

const IMAGE_FOLDER = /^\d{2,}$/;
const NEB_FILES = new Set(['POSCAR', 'CONTCAR', 'OUTCAR', 'energy']);
const isDir = (p: string): boolean => statSync(p).isDirectory();

/** Image folders 00..NN of `dir` (names only). */
function imageFolders(dir: string): string[] {
  return readdirSync(dir).filter((n) => IMAGE_FOLDER.test(n) && isDir(path.join(dir, n)));
}

/** The files parseNebRun reads from a NEB folder, keyed by their path (so errors name them as the user typed). */
export function readNebFolder(dir: string): Record<string, Uint8Array> {
  const folders = imageFolders(dir);
  if (folders.length === 0) {
    // Point at NEB runs one level down, or in a surface folder's neb/ (neb/<name>/00..NN).
    const subdirs = (d: string): string[] => (existsSync(d) && isDir(d) ? readdirSync(d).map((n) => path.join(d, n)).filter(isDir) : []);
    const inside = [...subdirs(dir), ...subdirs(path.join(dir, 'neb'))].filter((d) => imageFolders(d).length > 0);
    throw new FormatError('missing_file', 'not a NEB folder', {
      fileName: dir,
      expected:
        'image folders 00..NN (epdi inspect reads one file, or one NEB folder)' +
        (inside.length ? `; NEB folders inside: ${inside.join(', ')}` : ''),
    });
  }
  const files: Record<string, Uint8Array> = {};
  for (const folder of folders) {
    for (const name of readdirSync(path.join(dir, folder))) {
      const p = path.join(dir, folder, name);
      if (NEB_FILES.has(name.replace(/\.gz$/, '')) && statSync(p).isFile()) files[p] = readFileSync(p);
    }
  }
  return files;
}

export interface NebInspection extends NebTable {
  file: string;
  format: 'neb';
  energy: 'energy(sigma->0)' | 'free energy TOTEN';
}

/** The neb.dat table of a NEB folder. */
export function inspectNebFolder(dir: string, energy: 'sigma0' | 'free' = 'sigma0'): NebInspection {
  const table = nebTable(parseNebRun(readNebFolder(dir), { energy }));
  return { file: dir, format: 'neb', energy: energy === 'free' ? 'free energy TOTEN' : 'energy(sigma->0)', ...table };
}

function fmt(x: unknown): string {
  return typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(10)) : JSON.stringify(x);
}

function human(info: Record<string, unknown>): string {
  const lines: string[] = [];
  lines.push(`${info.file}: ${info.format}${info.gzip ? ' (gzip)' : ''}${info.kind ? ` ${info.kind}` : ''}, ${info.bytes} bytes`);
  if (info.formula) {
    const sp = (info.species as { symbol: string; count: number }[]).map((s) => `${s.symbol} ${s.count}`).join(', ');
    lines.push(`  structure: ${info.formula} (${info.atoms} atoms: ${sp})${info.speciesSource === 'placeholder' ? ' [species unknown: VASP 4 file]' : ''}`);
    const lat = info.latticeAngstrom as number[][];
    lat.forEach((v, k) => lines.push(`  ${'abc'[k]} = ${v.map((x) => x.toFixed(6).padStart(12)).join(' ')} A`));
    lines.push(`  volume: ${(info.volumeA3 as number).toFixed(4)} A^3`);
  }
  const grids = info.grid ? [info.grid as Record<string, unknown>, ...((info.extraGrids as Record<string, unknown>[]) ?? [])] : [];
  grids.forEach((g, k) => {
    lines.push(`  grid${k ? ` ${k + 1}` : ''}: ${(g.dims as number[]).join(' x ')} (${g.points} points)${info.units ? `, ${info.units}` : ''}`);
    lines.push(`    min ${fmt(g.min)}  max ${fmt(g.max)}  mean ${fmt(g.mean)}  first ${fmt(g.first)}  last ${fmt(g.last)}`);
  });
  for (const k of ['ionicSteps', 'energySigma0Ev', 'freeEnergyEv', 'reachedRequiredAccuracy', 'rows', 'kinds', 'content']) {
    if (info[k] !== undefined) lines.push(`  ${k}: ${fmt(info[k])}`);
  }
  return lines.join('\n');
}

export async function run(args: CliArgs): Promise<number> {
  const file = args.positionals[0];
  if (!file) {
    console.error('usage: epdi inspect <file | NEB folder 00..NN> [--json] [--energy sigma0|free]');
    return 2;
  }
  const energy = args.options.energy;
  if (energy !== undefined && energy !== 'sigma0' && energy !== 'free') {
    console.error(`epdi inspect: --energy expects sigma0 or free, got '${String(energy)}'`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`epdi inspect: ${file}: no such file or folder`);
    return 1;
  }
  try {
    if (isDir(file)) {
      const info = inspectNebFolder(file, energy);
      const head = `${file}: NEB, ${info.images.length} images; energies: ${info.energy} of each OUTCAR (or its 'energy' file)`;
      console.log(args.json ? JSON.stringify(info, null, 2) : `${head}\n${formatNebTable(info)}`);
      return 0;
    }
    const info = await inspectFile(file);
    console.log(args.json ? JSON.stringify(info, null, 2) : human(info));
    return info.format === 'unknown' ? 1 : 0;
  } catch (e) {
    if (isFormatError(e)) {
      const msg = formatErrorMessage(e);
      if (args.json) console.log(JSON.stringify({ file, error: { code: e.code, message: msg, line: e.line, expected: e.expected } }));
      else console.error(`epdi inspect: ${msg}`);
      return 1;
    }
    throw e;
  }
}
