/**
 * Names of saved models: saving a model whose name is already taken versions it ("descriptor-gp v2", then "v3"),
 * never a silent duplicate. Pure; the browser and the server list the names in use.
 */

const VERSION = /^(.*?) v(\d+)$/;

/** Longest model name the server stores (lib/server/models). */
export const MAX_MODEL_NAME = 100;

/**
 * `name` if it is free, else its base name with the next free version number (>= 2); the base is shortened so the
 * result stays within `maxLength`.
 */
export function versionedModelName(name: string, taken: Iterable<string>, maxLength = MAX_MODEL_NAME): string {
  const used = new Set(taken);
  const trimmed = name.trim();
  if (!used.has(trimmed)) return trimmed;
  const base = VERSION.exec(trimmed)?.[1] ?? trimmed;
  let top = 1;
  for (const n of used) {
    const m = VERSION.exec(n);
    if (m && m[1] === base) top = Math.max(top, Number(m[2]));
  }
  // Past the highest version of the base; a shortened base may meet names of its own, so step on until free.
  for (let v = top + 1; ; v++) {
    const suffix = ` v${v}`;
    const candidate = `${base.slice(0, Math.max(1, maxLength - suffix.length)).trimEnd()}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
