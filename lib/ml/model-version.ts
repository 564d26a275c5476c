/**
 * Names of saved models: saving a model whose name is already taken versions it ("descriptor-gp v2", then "v3"),
 * never a silent duplicate. Pure; the browser and the server list the names in use.
 */

const VERSION = /^(.*?) v(\d+)$/;

/** `name` if it is free, else its base name with the next free version number (>= 2). */
export function versionedModelName(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const trimmed = name.trim();
  if (!used.has(trimmed)) return trimmed;
  const base = VERSION.exec(trimmed)?.[1] ?? trimmed;
  let top = 1;
  for (const n of used) {
    if (n === base) continue;
    const m = VERSION.exec(n);
    if (m && m[1] === base) top = Math.max(top, Number(m[2]));
  }
  return `${base} v${top + 1}`;
}
