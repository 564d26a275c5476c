/**
 * The ONE mu_Li record of a dataset: which reference (bcc Li, isolated atom, custom), its value in eV and where the
 * value came from. Every page, CSV/JSON export and CLI command states it through `describeMuLi`, so a dataset's mu_Li
 * reads the same everywhere.
 *
 * Where the value comes from, first that applies:
 *   1. the dataset's own setting (the user typed it, or an import adopted it): source 'dataset';
 *   2. a command-line option (`--mu-li`, folder mode): source 'option';
 *   3. the surfaces' meta.json `mu_Li_eV`, when every surface states the same value: source 'meta.json';
 * otherwise the record has no value (binding energies from E_total cannot be formed; labels that give E_b are used as
 * they are, and a note says so).
 */
import { MU_LI_KINDS, type MuLiKind, type MuLiReference } from '../profile/binding';

export type MuLiSource = 'dataset' | 'option' | 'meta.json' | 'none';

export interface MuLiRecord {
  kind: MuLiKind;
  /** eV per Li atom, on the energy zero of the slab totals; null when unknown. */
  valueEv: number | null;
  source: MuLiSource;
  /** Free text: how the value was computed, or which surfaces disagree. */
  note: string | null;
}

/** Accepted range of a user-entered mu_Li (eV): bcc Li is about -1.9 eV in PBE, an isolated atom about -0.2 eV. */
export const MU_LI_MIN_EV = -10;
export const MU_LI_MAX_EV = 0;

/** Null when `value` is an acceptable mu_Li, else the reason (for a 4xx). */
export function muLiProblem(value: number): string | null {
  if (!Number.isFinite(value)) return `mu_Li must be a finite number of eV, got ${value}`;
  if (value < MU_LI_MIN_EV || value > MU_LI_MAX_EV)
    return `mu_Li must lie within ${MU_LI_MIN_EV}..${MU_LI_MAX_EV} eV (energy per Li atom), got ${value}`;
  return null;
}

export function muLiKind(value: string | undefined | null): MuLiKind {
  return value !== undefined && value !== null && (MU_LI_KINDS as readonly string[]).includes(value)
    ? (value as MuLiKind)
    : 'custom';
}

export interface SurfaceMuLi {
  surface: string;
  /** meta.json mu_Li_eV. */
  valueEv?: number;
  /** meta.json mu_Li_reference. */
  kind?: string;
}

/**
 * The dataset's record from its own setting (or a command-line option) and the surfaces' meta.json values.
 * `notes` says when the surfaces disagree.
 */
export function resolveMuLi(
  setting: { kind: string; valueEv: number | null; source?: 'dataset' | 'option'; note?: string | null },
  surfaces: readonly SurfaceMuLi[],
): { record: MuLiRecord; notes: string[] } {
  if (setting.valueEv !== null) {
    return {
      record: {
        kind: muLiKind(setting.kind),
        valueEv: setting.valueEv,
        source: setting.source ?? 'dataset',
        note: setting.note ?? null,
      },
      notes: [],
    };
  }
  const values = new Map<string, string[]>();
  let metaKind: string | undefined;
  for (const s of surfaces) {
    const key = s.valueEv === undefined ? 'unknown' : String(s.valueEv);
    values.set(key, [...(values.get(key) ?? []), s.surface]);
    metaKind ??= s.kind;
  }
  if (values.size === 1 && !values.has('unknown')) {
    return {
      record: {
        kind: muLiKind(metaKind ?? setting.kind),
        valueEv: Number([...values.keys()][0]),
        source: 'meta.json',
        note: null,
      },
      notes: [],
    };
  }
  const notes =
    surfaces.length > 0
      ? [
          'mu_Li is not set on the dataset and the surfaces disagree or lack one: ' +
            [...values].map(([mu, names]) => `${mu} eV (${names.join(', ')})`).join('; '),
        ]
      : [];
  return { record: { kind: muLiKind(setting.kind), valueEv: null, source: 'none', note: null }, notes };
}

/** The mu_Li a surface's energies use: the record's value, else (record unknown) its own meta.json value. */
export function surfaceMuLi(record: MuLiRecord, metaValueEv: number | undefined): number | null {
  return record.valueEv ?? metaValueEv ?? null;
}

/** How each reference kind is named on every page and export. */
export const MU_LI_KIND_TEXT: Record<MuLiKind, string> = { bcc: 'bcc Li', atom: 'isolated Li atom', custom: 'custom' };
const SOURCE_TEXT: Record<MuLiSource, string> = {
  dataset: 'dataset setting',
  option: 'command-line option',
  'meta.json': "from the surfaces' meta.json",
  none: 'not set',
};

/** One line for people, the same on every page, export and CLI: `bcc Li, mu_Li = -1.8654 eV (dataset setting)`. */
export function describeMuLi(record: MuLiRecord): string {
  if (record.valueEv === null) return `${MU_LI_KIND_TEXT[record.kind]}, mu_Li not set`;
  const note = record.note ? `; ${record.note.replace(/[\r\n]+/g, ' ')}` : '';
  return `${MU_LI_KIND_TEXT[record.kind]}, mu_Li = ${record.valueEv.toFixed(4)} eV (${SOURCE_TEXT[record.source]}${note})`;
}

/** The record as the lib/profile reference type (null when no value). */
export function muLiReference(record: MuLiRecord): MuLiReference | null {
  if (record.valueEv === null) return null;
  return { kind: record.kind, muLiEv: record.valueEv, note: SOURCE_TEXT[record.source] };
}

/** The reference kinds as plain strings, for option parsing. */
export const MU_LI_KINDS_TEXT: readonly string[] = MU_LI_KINDS;
