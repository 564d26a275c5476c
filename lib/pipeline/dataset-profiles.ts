/**
 * A dataset's surfaces through the pipeline, with what spans surfaces: doping effects (per host and dopant, the
 * percolating barrier against the pristine surface), the NEB summary and the notes. Pure.
 */
import { dopingEffects, summarizeNebComparisons, type SurfaceBarrier } from '../profile';
import { muLiReference, type MuLiRecord } from './mu-li';
import { assembleSurfaceProfiles, DEFAULT_SAMPLES } from './surface-profiles';
import type { DatasetProfiles, ModelView, PipelineSurface } from './views';

export function assembleDatasetProfiles(
  dataset: DatasetProfiles['dataset'],
  surfaces: readonly PipelineSurface[],
  opts: { muLi: MuLiRecord; model?: ModelView | null; samples?: number; notes?: readonly string[] },
): DatasetProfiles {
  const samples = opts.samples ?? DEFAULT_SAMPLES;
  const notes = [...(opts.notes ?? [])];
  const assembled = surfaces.map((s) => assembleSurfaceProfiles(s, samples));
  for (const a of assembled) notes.push(...a.notes);
  if (assembled.some((a) => a.symmetryKnots > 0)) {
    notes.push(
      'DFT energies of sites without a label of their own are copied from a labelled site of the same kind and ' +
        'symmetry group of the same surface (source dft, "by symmetry")',
    );
  }
  const comparisons = assembled.flatMap((a) => a.comparisons);
  const out = assembled.map((a) => a.surface);
  return {
    dataset,
    muLi: opts.muLi,
    reference: muLiReference(opts.muLi),
    model: opts.model ?? null,
    samples,
    surfaces: out,
    doping: dopingEffects(
      out
        .filter((s) => s.percolation !== null)
        .map((s): SurfaceBarrier => ({
          surface: s.name,
          host: s.host,
          dopant: s.dopant,
          barrierEv: s.percolation!.barrierEv,
        })),
    ),
    nebSummary: comparisons.length ? summarizeNebComparisons(comparisons) : null,
    notes,
  };
}
