/**
 * Numbers as people read them in tables, captions and tooltips: fixed decimals chosen for what the data supports,
 * never "-0.000" (a value that rounds to zero prints unsigned), a dash for a missing value, units kept beside.
 * Energies whose differences matter at the meV level (barriers, sigmas, errors, doping changes) print in meV.
 */

/** The dash shown for a missing value. */
export const MISSING = '—';

/** `v` with `decimals` fixed decimals; "0.000" rather than "-0.000"; MISSING for null, undefined, NaN or infinities. */
export function formatFixed(v: number | null | undefined, decimals = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** As formatFixed with an explicit sign: "+0.120", "-0.120", and "0.000" for what rounds to zero. */
export function formatSigned(v: number | null | undefined, decimals = 3): string {
  const s = formatFixed(v, decimals);
  if (s === MISSING || s.startsWith('-') || /^0(\.0*)?$/.test(s)) return s;
  return `+${s}`;
}

/** An energy in eV printed to the meV (3 decimals). */
export function formatEv(v: number | null | undefined, decimals = 3): string {
  return formatFixed(v, decimals);
}

/** An energy given in eV printed in meV (whole meV by default): barriers, sigmas, errors. */
export function formatMeV(ev: number | null | undefined, decimals = 0): string {
  if (ev === null || ev === undefined || !Number.isFinite(ev)) return MISSING;
  return formatFixed(ev * 1000, decimals);
}

/** "value ± sigma unit" with one decimal count; the sigma part is left out when sigma is null. */
export function formatWithSigma(
  value: number | null | undefined,
  sigma: number | null | undefined,
  decimals: number,
  unit: string,
): string {
  const v = formatFixed(value, decimals);
  if (v === MISSING) return MISSING;
  const s =
    sigma === null || sigma === undefined || !Number.isFinite(sigma) ? '' : ` ± ${formatFixed(sigma, decimals)}`;
  return `${v}${s}${unit ? ` ${unit}` : ''}`;
}

/** An energy in eV as "123 meV ± 4 meV" style text: value and sigma converted to whole meV. */
export function formatMeVWithSigma(ev: number | null | undefined, sigmaEv: number | null | undefined): string {
  return formatWithSigma(
    ev === null || ev === undefined ? ev : ev * 1000,
    sigmaEv === null || sigmaEv === undefined ? sigmaEv : sigmaEv * 1000,
    0,
    'meV',
  );
}

/**
 * Significant-figure form for values of unknown magnitude (Pearson r, slopes): `digits` significant digits written
 * in fixed notation where that is short, no "-0".
 */
export function formatSignificant(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  if (v === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  if (magnitude >= 6 || magnitude < -4) return v.toExponential(digits - 1);
  return formatFixed(v, Math.max(0, digits - 1 - magnitude));
}

/**
 * A site as tables list it: the user's label name with the app's id beside it ("bridge-08 (app bridge-3)"), or the
 * app's id alone when the site has no label or the label is that id.
 */
export function siteDisplayName(appName: string, userLabel: string | null | undefined): string {
  return userLabel && userLabel !== appName ? `${userLabel} (app ${appName})` : appName;
}
