/** Chalcogens (and oxygen) that form the X layers of MX2. */
const CHALCOGENS = new Set(['O', 'S', 'Se', 'Te']);
/** Adsorbates that are not part of the host slab. */
const ADSORBATES = new Set(['Li', 'Na', 'K', 'Mg', 'H']);

export interface HostComposition {
  /** e.g. "MoS2"; null when the structure is not an MX2 slab. */
  host: string | null;
  metal: string | null;
  chalcogen: string | null;
  /** The minority metal when exactly one other metal species is present. */
  dopant: string | null;
}

/**
 * Host formula and dopant of a (doped) MX2 slab from its species: the majority metal and the majority chalcogen make
 * the host, a minority metal is the dopant. Adsorbed Li (and similar) is ignored.
 */
export function inferHostComposition(species: readonly string[]): HostComposition {
  const metals = new Map<string, number>();
  const chalcogens = new Map<string, number>();
  for (const s of species) {
    if (ADSORBATES.has(s)) continue;
    const bucket = CHALCOGENS.has(s) ? chalcogens : metals;
    bucket.set(s, (bucket.get(s) ?? 0) + 1);
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const metalList = byCount(metals);
  const chalcogenList = byCount(chalcogens);
  const metal = metalList[0]?.[0] ?? null;
  const chalcogen = chalcogenList[0]?.[0] ?? null;
  return {
    host: metal && chalcogen ? `${metal}${chalcogen}2` : null,
    metal,
    chalcogen,
    dopant: metalList.length === 2 ? metalList[1][0] : null,
  };
}
