import { formatFixed, siteDisplayName } from '@/lib/view/format';
import type { ViewSite } from '@/lib/view/surface-model';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';

/** Kind, MEP, E_b (DFT, predicted ± sigma) of a site, for tooltips. */
export function SiteSummary({ site }: { site: ViewSite }) {
  const f = (v: number | null, d = 3) => formatFixed(v, d);
  return (
    <div className="space-y-0.5">
      <div className="font-semibold">
        {siteDisplayName(site.name, site.label)} · {site.kind}
      </div>
      <div>
        MEP {POTENTIAL_SYMBOL} {f(site.mepV)} eV
      </div>
      <div>E_b (DFT) {f(site.eBindingEv)} eV</div>
      <div>
        E_b (pred.) {f(site.predictedEv)}
        {site.sigmaEv !== null && ` ± ${f(site.sigmaEv)}`} eV
      </div>
    </div>
  );
}
