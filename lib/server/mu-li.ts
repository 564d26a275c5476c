/**
 * Switching a dataset's mu_Li reference (PATCH /api/datasets/[id]): every stored binding energy moves to the new
 * reference in one transaction, and the switch is logged so exports can say so.
 *
 * Per Label row (the mu it was computed with is `provenance.muLiEv`, else the dataset's old mu, else the surface's
 * meta.json mu_Li_eV):
 * - with E_total and the surface's E_slab: E_b = E_total - E_slab - mu_new ("recomputed");
 * - with an E_b only (labels.csv gave E_b_eV without E_total, or no E_slab): E_b += mu_old - mu_new ("shifted");
 * - an E_b only and no known old mu: left as is and counted ("unchanged"; its reference is unknown).
 * Stored predictions (models were trained on the old scale) shift by mu_old - mu_new of their surface, so DFT and
 * predicted knots stay on one scale. Barriers are differences on one surface and do not change.
 * The log is a Job row (kind 'rereference', status 'done') whose message the exports print.
 */
import { z } from 'zod';
import { describeReference, MU_LI_KINDS, type MuLiKind, type MuLiReference } from '@/lib/profile';
import { db } from './db';
import { getDataset, muLiEvSchema, type DatasetSummary } from './datasets';
import { HttpError } from './http';
import { effectiveMuLi } from './profiles';

export const muLiPatchSchema = z.object({
  muLiReference: z.enum(MU_LI_KINDS as unknown as [MuLiKind, ...MuLiKind[]]),
  muLiEv: muLiEvSchema,
  /** How mu_Li was computed (code, functional, k-points), kept in the log. */
  note: z.string().max(500).optional(),
});
export type MuLiPatch = z.output<typeof muLiPatchSchema>;

export interface MuLiSwitchResult {
  dataset: DatasetSummary;
  from: { muLiReference: string; muLiEv: number | null };
  to: MuLiReference;
  labelsRecomputed: number;
  labelsShifted: number;
  /** Labels left alone: E_b only, and no mu_Li known for them before. */
  labelsUnchanged: number;
  predictionsShifted: number;
  predictionsUnchanged: number;
  message: string;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Validate `body` and move every binding energy of the dataset to the new reference. */
export async function switchMuLi(datasetId: string, body: unknown): Promise<MuLiSwitchResult> {
  const patch = muLiPatchSchema.parse(body);
  const to: MuLiReference = {
    kind: patch.muLiReference,
    muLiEv: patch.muLiEv,
    ...(patch.note ? { note: patch.note } : {}),
  };
  const at = new Date().toISOString();
  const counts = await db.$transaction(
    async (tx) => {
      const dataset = await tx.dataset.findUnique({
        where: { id: datasetId },
        select: { muLiReference: true, muLiEv: true },
      });
      if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
      const surfaces = await tx.surface.findMany({
        where: { datasetId },
        select: { id: true, eSlabEv: true, metaJson: true },
      });
      const oldMu = new Map(surfaces.map((s) => [s.id, effectiveMuLi(dataset.muLiEv, s.metaJson)]));
      const eSlab = new Map(surfaces.map((s) => [s.id, s.eSlabEv]));

      const labels = await tx.label.findMany({
        where: { site: { surface: { datasetId } } },
        select: { id: true, eTotalEv: true, eBindingEv: true, provenance: true, site: { select: { surfaceId: true } } },
      });
      let labelsRecomputed = 0;
      let labelsShifted = 0;
      let labelsUnchanged = 0;
      for (const l of labels) {
        const prov = parseObject(l.provenance);
        const before =
          typeof prov.muLiEv === 'number' && Number.isFinite(prov.muLiEv)
            ? prov.muLiEv
            : (oldMu.get(l.site.surfaceId) ?? null);
        const slab = eSlab.get(l.site.surfaceId) ?? null;
        let eBindingEv: number | null;
        if (l.eTotalEv !== null && slab !== null) {
          eBindingEv = l.eTotalEv - slab - patch.muLiEv;
          labelsRecomputed++;
        } else if (l.eBindingEv !== null && before !== null) {
          eBindingEv = l.eBindingEv + before - patch.muLiEv;
          labelsShifted++;
        } else {
          labelsUnchanged++;
          continue;
        }
        const history = Array.isArray(prov.rereferenced) ? prov.rereferenced : [];
        await tx.label.update({
          where: { id: l.id },
          data: {
            eBindingEv,
            provenance: JSON.stringify({
              ...prov,
              muLiEv: patch.muLiEv,
              muLiReference: patch.muLiReference,
              rereferenced: [...history, { fromMuLiEv: before, toMuLiEv: patch.muLiEv, at }],
            }),
          },
        });
      }

      const predictions = await tx.prediction.findMany({
        where: { site: { surface: { datasetId } } },
        select: { id: true, valueEv: true, site: { select: { surfaceId: true } } },
      });
      let predictionsShifted = 0;
      let predictionsUnchanged = 0;
      for (const p of predictions) {
        const before = oldMu.get(p.site.surfaceId) ?? null;
        if (before === null) {
          predictionsUnchanged++;
          continue;
        }
        await tx.prediction.update({ where: { id: p.id }, data: { valueEv: p.valueEv + before - patch.muLiEv } });
        predictionsShifted++;
      }

      await tx.dataset.update({
        where: { id: datasetId },
        data: { muLiReference: patch.muLiReference, muLiEv: patch.muLiEv, muLiNote: patch.note ?? '' },
      });
      const fromText =
        dataset.muLiEv !== null
          ? describeReference({
              kind: (MU_LI_KINDS as readonly string[]).includes(dataset.muLiReference)
                ? (dataset.muLiReference as MuLiKind)
                : 'custom',
              muLiEv: dataset.muLiEv,
            })
          : "the surfaces' meta.json mu_Li";
      const shift = dataset.muLiEv !== null ? ` (every E_b shifted by ${dataset.muLiEv - patch.muLiEv} eV)` : '';
      const message =
        `${at}: binding energies re-referenced from ${fromText} to ${describeReference(to)}${shift}; ` +
        `${labelsRecomputed} labels recomputed from E_total, ${labelsShifted} shifted, ${labelsUnchanged} unchanged ` +
        `(no known reference), ${predictionsShifted} predictions shifted; barriers unchanged`;
      await tx.job.create({
        data: {
          kind: 'rereference',
          datasetId,
          status: 'done',
          progress: 1,
          message,
          inputJson: JSON.stringify(patch),
          resultJson: JSON.stringify({ labelsRecomputed, labelsShifted, labelsUnchanged, predictionsShifted }),
        },
      });
      return {
        from: { muLiReference: dataset.muLiReference, muLiEv: dataset.muLiEv },
        labelsRecomputed,
        labelsShifted,
        labelsUnchanged,
        predictionsShifted,
        predictionsUnchanged,
        message,
      };
    },
    { timeout: 5 * 60_000 },
  );
  const dataset = await getDataset(datasetId);
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  return { dataset, to, ...counts };
}
