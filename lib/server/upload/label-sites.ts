import type { Structure } from '@/lib/structure/structure';
import { findSites, matchLabelsToSites, SurfaceError, type Site } from '@/lib/surface';
import { LABEL_MATCH_TOLERANCE_A, labelFitsSite } from '@/lib/pipeline/labels';
import { labelRangeIssues } from '@/lib/surface/label-range';
import { UploadError } from './errors';
import type { RawLabel } from './parse-surface';

/** Where a label came from, for people: "labels.csv line 4" or "sites/H-01/OUTCAR". */
function where(label: RawLabel): string {
  return label.line !== undefined ? `${label.file} line ${label.line}` : label.file;
}

function xyz(p: readonly number[]): string {
  return `(${p.map((v) => v.toFixed(2)).join(', ')})`;
}

/**
 * Check uploaded labels against the sites of the surface they belong to, at parse time (the structure is known then),
 * with the same finder and matcher extraction uses (lib/surface findSites with default options, matchLabelsToSites
 * within LABEL_MATCH_TOLERANCE_A in the surface plane). Throws UploadError 422 naming the file, line and label:
 *   - `label_far_from_sites`: no site within the tolerance (the message gives the nearest site and its distance);
 *   - `label_kind_mismatch`: the label's kind (T_M, H, H_X, T_X, bridge) is not the kind of the site it matched
 *     (kind 'other', as for sites/<name>/ runs, matches any site; H and H_X are both hollows).
 * The first bad label is reported, with how many more there are. Returns nothing: matching itself stays with
 * extraction, the one place labels are joined to stored sites.
 */
export function checkLabelsAgainstSites(labels: readonly RawLabel[], structure: Structure): void {
  if (labels.length === 0) return;
  // Range first (issue 15): a label at 1e300 A wraps to noise and would match some site "at distance 0".
  for (const label of labels) {
    const issues = labelRangeIssues(label, structure.lattice);
    if (issues.length > 0) {
      throw new UploadError(
        422,
        issues[0].code,
        `${where(label)}: label '${label.site}': ${issues.map((i) => i.message).join('; ')}`,
        { file: label.file, line: label.line },
      );
    }
  }
  let sites: Site[];
  try {
    sites = findSites(structure).sites;
  } catch (err) {
    if (!(err instanceof SurfaceError)) throw err;
    throw new UploadError(
      422,
      'no_sites',
      `${labels[0].file}: the labels cannot be matched, the surface has no binding sites: ${err.message}`,
      { file: labels[0].file, line: labels[0].line },
    );
  }
  // Infinite tolerance: every label gets its nearest site, compared with the tolerance below.
  const matches = matchLabelsToSites(
    labels,
    sites.map((s) => s.position),
    structure.lattice,
    Infinity,
  );
  const problems: UploadError[] = [];
  for (const m of matches) {
    const label = labels[m.label];
    const site = sites[m.site];
    if (!site || m.distanceA > LABEL_MATCH_TOLERANCE_A) {
      problems.push(
        new UploadError(
          422,
          'label_far_from_sites',
          `${where(label)}: label '${label.site}' at ${xyz(label.position)} Å is ${m.distanceA.toFixed(2)} Å from the ` +
            `nearest site${site ? ` (${site.id}, ${site.kind})` : ''}; a label must lie within ` +
            `${LABEL_MATCH_TOLERANCE_A} Å of a site in the surface plane`,
          { file: label.file, line: label.line },
        ),
      );
    } else if (!labelFitsSite(label.kind, site.kind)) {
      problems.push(
        new UploadError(
          422,
          'label_kind_mismatch',
          `${where(label)}: label '${label.site}' is of kind ${label.kind} but the site it matches, ${site.id} ` +
            `(${m.distanceA.toFixed(2)} Å away), is ${site.kind}`,
          { file: label.file, line: label.line },
        ),
      );
    }
  }
  if (problems.length === 0) return;
  const first = problems[0];
  if (problems.length === 1) throw first;
  throw new UploadError(
    first.status,
    first.code,
    `${first.message} (and ${problems.length - 1} more label${problems.length === 2 ? '' : 's'} with a problem)`,
    { file: first.file, line: first.line },
  );
}
