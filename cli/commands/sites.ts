/**
 * `epdi sites <POSCAR|CONTCAR|surface folder> [--json] [--height 1.5] [--top-x] [--ignore Li,Na]`: Li binding sites
 * (T_M, H, H_X, bridge, optional T_X) and hops of the top chalcogen layer, with Li positions, dopant distances,
 * symmetry groups and counts per kind.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../args';
import { numberOption, stringOption } from '../args';
import { formatErrorMessage, isFormatError, parsePoscar } from '../../lib/formats';
import type { Structure } from '../../lib/structure/structure';
import { formula } from '../../lib/structure/structure';
import { findSites, type SiteOptions, type SurfaceSites } from '../../lib/surface';

export const summary = 'Li sites and hops of a slab (POSCAR or surface folder): kinds, positions, dopant distances, groups';

/** The structure file of a surface folder (POSCAR, else CONTCAR), or the path itself when it is a file. */
export function structurePath(target: string): string {
  if (!statSync(target).isDirectory()) return target;
  for (const name of ['POSCAR', 'CONTCAR']) {
    const p = path.join(target, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${target}: no POSCAR or CONTCAR in this folder`);
}

export function readStructure(file: string): Structure {
  try {
    return parsePoscar(readFileSync(file), { fileName: path.basename(file) }).structure;
  } catch (err) {
    if (isFormatError(err)) throw new Error(formatErrorMessage(err));
    throw err;
  }
}

/** Site options from the command line: --height, --top-x, --ignore (comma list of species, default Li). */
export function siteOptionsFromArgs(args: CliArgs): SiteOptions {
  const ignore = stringOption(args, 'ignore');
  return {
    heightA: numberOption(args, 'height', 1.5),
    includeTopX: args.options['top-x'] === true,
    ignoreSpecies: ignore !== undefined ? ignore.split(',').filter(Boolean) : ['Li'],
  };
}

/** Point operations by name plus the number of extra (non-lattice) translations. */
export function describeOperations(found: SurfaceSites): string {
  const point = found.operations.filter((o) => !o.translation).map((o) => o.name);
  const translations = found.operations.length - point.length;
  return `${point.join(' ')}${translations > 0 ? ` + ${translations} translations` : ''}`;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function sitesJson(found: SurfaceSites): object {
  return {
    counts: found.counts,
    groupCount: found.groupCount,
    hostMetal: found.layers.hostMetal,
    dopants: found.layers.dopantIndices,
    topXHeightA: r3(found.topXHeightA),
    heightA: found.heightA,
    symmetry: describeOperations(found),
    sites: found.sites.map((s) => ({
      id: s.id,
      kind: s.kind,
      group: s.group,
      position: s.position.map(r3),
      fractional: s.fractional.map((f) => Math.round(f * 1e6) / 1e6),
      ...(s.hollows ? { hollows: s.hollows.map((h) => found.sites[h].id), hopAngleDeg: r3(((s.hopAngleRad ?? 0) * 180) / Math.PI) } : {}),
      dopantDistances: s.dopantDistances.map((d) => ({ atom: d.atom, species: d.species, distanceA: r3(d.distanceA), lateralDistanceA: r3(d.lateralDistanceA) })),
    })),
    hops: found.hops.map((h) => ({
      id: h.id,
      from: found.sites[h.from].id,
      via: found.sites[h.via].id,
      to: found.sites[h.to].id,
      saddleS: r3(h.saddleS),
      lengthA: r3(h.lengthA),
      angleDeg: r3((h.angleRad * 180) / Math.PI),
      group: h.group,
    })),
  };
}

export async function run(args: CliArgs): Promise<number> {
  const target = args.positionals[0];
  if (!target) {
    console.error('usage: epdi sites <POSCAR|surface folder> [--json] [--height 1.5] [--top-x] [--ignore Li]');
    return 2;
  }
  const file = structurePath(target);
  const structure = readStructure(file);
  const found = findSites(structure, siteOptionsFromArgs(args));
  if (args.json) {
    console.log(JSON.stringify({ file, formula: formula(structure), ...sitesJson(found) }, null, 2));
    return 0;
  }
  const counts = Object.entries(found.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const dop = found.layers.dopantIndices.map((i) => `${structure.species[i]}#${i}`).join(', ') || 'none';
  console.log(`${file}: ${formula(structure)}, host ${found.layers.hostMetal}, dopants ${dop}`);
  console.log(`sites: ${counts}; hops ${found.hops.length}; symmetry groups ${found.groupCount} (operations ${describeOperations(found)})`);
  console.log(`Li at ${found.heightA} A above the top X plane (${found.topXHeightA.toFixed(3)} A along the normal)`);
  console.log('');
  console.log('id          kind    group   x (A)     y (A)     z (A)   hop (deg)  nearest dopant (A)');
  for (const s of found.sites) {
    const near = s.dopantDistances.length > 0 ? Math.min(...s.dopantDistances.map((d) => d.distanceA)).toFixed(3) : '-';
    const hop = s.hopAngleRad !== undefined ? ((s.hopAngleRad * 180) / Math.PI).toFixed(1) : '-';
    console.log(
      `${s.id.padEnd(11)} ${s.kind.padEnd(7)} ${String(s.group).padStart(5)} ${s.position.map((x) => x.toFixed(3).padStart(9)).join(' ')} ${hop.padStart(10)}  ${near.padStart(8)}`,
    );
  }
  console.log('');
  console.log('hop       from -> via -> to                     s_S    length (A)  group');
  for (const h of found.hops) {
    const path3 = `${found.sites[h.from].id} -> ${found.sites[h.via].id} -> ${found.sites[h.to].id}`;
    console.log(`${h.id.padEnd(9)} ${path3.padEnd(36)} ${h.saddleS.toFixed(3)}  ${h.lengthA.toFixed(3).padStart(9)}  ${String(h.group).padStart(5)}`);
  }
  return 0;
}
