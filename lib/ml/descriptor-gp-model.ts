/**
 * The descriptor-gp model behind `fitModel` / `restoreModel` (./models.ts): a GP (./gp.ts) on descriptor rows, with
 * optional PCA-reduced backbone features appended; its state is plain JSON (`GpJson`).
 */
import { descriptorNames, descriptorRow, makeDescriptorLayout, type DescriptorLayout } from './descriptors';
import { fitGp, predictGp, type GpModel } from './gp';
import { applyPca, fitPca, hstack, matrix, type Matrix, type Pca } from './linalg';
import { backboneMatrix, toPredictions, type Impl, type Source } from './model-inputs';
import type { MlContext, ModelSpec } from './models';
import type { Sample } from './types';

interface GpJson {
  layout: DescriptorLayout;
  pca?: { mean: number[]; components: number[]; k: number; p: number };
  gp: Omit<GpModel, 'standardiser' | 'train' | 'alpha' | 'eigValues' | 'eigVectors'> & {
    mean: number[];
    std: number[];
    train: number[];
    alpha: number[];
    eigValues: number[];
    eigVectors: number[];
  };
  names: string[];
}

/** The descriptor-gp model: a GP on hand descriptors (./descriptors.ts), plus PCA of backbone features when a backbone is named. */
export async function descriptorGp(spec: Extract<ModelSpec, { type: 'descriptor-gp' }>, ctx: MlContext, src: Source): Promise<Impl> {
  let params = 'state' in src ? (src.state.params as unknown as GpJson) : undefined;
  const rowsFor = async (s: readonly Sample[], layout: DescriptorLayout, pca: Pca | undefined): Promise<Matrix> => {
    const d = s.map((x) => descriptorRow(x, layout));
    let m = matrix(s.length, d[0].length, Float64Array.from(d.flat()));
    if (spec.backbone && pca) m = hstack(m, applyPca(await backboneMatrix(s, spec.backbone, spec.inputSize, ctx), pca));
    return m;
  };
  let pca: Pca | undefined;
  let gp: GpModel;
  if (!params && 'train' in src) {
    const layout = makeDescriptorLayout(src.train);
    if (spec.backbone) pca = fitPca(await backboneMatrix(src.train, spec.backbone, spec.inputSize, ctx), spec.pcaDims ?? 8);
    gp = fitGp(await rowsFor(src.train, layout, pca), src.y, { kernel: spec.kernel });
    params = {
      layout,
      pca: pca && { mean: [...pca.mean], components: [...pca.components], k: pca.k, p: pca.p },
      gp: {
        ...gp,
        mean: [...gp.standardiser.mean],
        std: [...gp.standardiser.std],
        train: [...gp.train],
        alpha: [...gp.alpha],
        eigValues: [...gp.eigValues],
        eigVectors: [...gp.eigVectors],
      },
      names: [...descriptorNames(layout), ...(pca ? Array.from({ length: pca.k }, (_, i) => `${spec.backbone}_pc${i + 1}`) : [])],
    };
    delete (params.gp as unknown as { standardiser?: unknown }).standardiser;
  } else {
    const j = params!;
    pca = j.pca && { mean: Float64Array.from(j.pca.mean), components: Float64Array.from(j.pca.components), k: j.pca.k, p: j.pca.p };
    gp = {
      ...j.gp,
      standardiser: { mean: Float64Array.from(j.gp.mean), std: Float64Array.from(j.gp.std) },
      train: Float64Array.from(j.gp.train),
      alpha: Float64Array.from(j.gp.alpha),
      eigValues: Float64Array.from(j.gp.eigValues),
      eigVectors: Float64Array.from(j.gp.eigVectors),
    };
  }
  const q = params!;
  return {
    dispose: () => undefined,
    predict: async (s) => {
      const { mean, sigma } = predictGp(gp, await rowsFor(s, q.layout, pca));
      return toPredictions(s, mean, sigma);
    },
    params: async () => ({ params: q as unknown as Record<string, unknown> }),
  };
}
