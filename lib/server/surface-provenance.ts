/**
 * How a surface was computed, from its meta.json (stored as text with the surface): the code, the mu_Li reference
 * and every entry of `settings`, as display rows. meta.json is user content: rows and value lengths are bounded, and
 * anything that is not JSON gives no rows.
 */
export interface ProvenanceRow {
  key: string;
  value: string;
}

const MAX_ROWS = 60;
const MAX_VALUE_CHARS = 400;

function display(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) text = value.join(' × ');
  else text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** Rows code, mu_Li (value and reference), then `settings` in key order; [] when meta.json is absent or not JSON. */
export function surfaceProvenance(metaJson: string | null | undefined): ProvenanceRow[] {
  let meta: unknown;
  try {
    meta = JSON.parse(metaJson ?? '');
  } catch {
    return [];
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return [];
  const m = meta as Record<string, unknown>;
  const rows: ProvenanceRow[] = [];
  if (m.code !== undefined) rows.push({ key: 'code', value: display(m.code) });
  if (typeof m.mu_Li_eV === 'number') {
    const ref = typeof m.mu_Li_reference === 'string' ? ` (${m.mu_Li_reference})` : '';
    rows.push({ key: 'mu_Li', value: `${m.mu_Li_eV.toFixed(4)} eV${ref}` });
  }
  const settings = m.settings;
  if (settings !== null && typeof settings === 'object' && !Array.isArray(settings)) {
    for (const key of Object.keys(settings).sort()) {
      rows.push({ key, value: display((settings as Record<string, unknown>)[key]) });
    }
  }
  return rows.slice(0, MAX_ROWS);
}
