/**
 * Dates and durations as every page prints them: one date format across the app, ISO `YYYY-MM-DD HH:mm` in UTC
 * (sortable, the same for every reader whatever their locale), and durations that never read "0.0 s" for a real run.
 */
import { MISSING } from './format';

/** `2026-12-01 22:39` (UTC; headers say so) from an ISO string, a Date or epoch milliseconds; MISSING when invalid. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return MISSING;
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A duration in seconds: "4.7 s" from 0.1 s up, "12 ms" below (at least "<1 ms" for a positive time), "0 s" for
 * exactly zero; MISSING when not finite or negative.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  if (seconds === 0) return '0 s';
  if (seconds >= 0.1) return seconds >= 100 ? `${seconds.toFixed(0)} s` : `${seconds.toFixed(1)} s`;
  const ms = seconds * 1000;
  return ms < 1 ? '<1 ms' : `${ms.toFixed(0)} ms`;
}
