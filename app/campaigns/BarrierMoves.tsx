import { isUnchanged, type BarrierMove } from '@/lib/campaign/moves';

/** Most hops listed under an import; the CLI and the JSON answer carry all of them. */
const SHOWN = 15;

const ev = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v.toFixed(3));
const mev = (v: number | null): string => (v === null ? '' : `${v >= 0 ? '+' : ''}${(v * 1000).toFixed(1)}`);

function Barrier({ value, sigma }: { value: number | null | undefined; sigma: number | null | undefined }) {
  return (
    <span>
      {ev(value)}
      {sigma !== null && sigma !== undefined && <span className="text-slate-500"> ± {ev(sigma)}</span>}
    </span>
  );
}

/**
 * How a retrain moved each hop's barriers (lib/campaign barrierMoves, largest moves first): forward and backward
 * barrier before -> after with their sigmas, in eV, and the change in meV; unchanged hops are only counted. Renders
 * only.
 */
export function BarrierMoves({ moves }: { moves: BarrierMove[] }) {
  if (moves.length === 0) return <p className="text-xs text-slate-600">No hop has a barrier yet.</p>;
  const changed = moves.filter((m) => !isUnchanged(m));
  const shown = changed.slice(0, SHOWN);
  const unchanged = moves.length - changed.length;
  if (shown.length === 0) return <p className="text-xs text-slate-600">No barrier moved ({unchanged} hops).</p>;
  return (
    <table className="mt-1 text-xs" aria-label="Barrier moves">
      <caption className="text-left text-slate-600">
        Barriers (eV) before → after, largest moves first
        {changed.length > shown.length ? `; ${shown.length} of ${changed.length} that moved` : ''}
        {unchanged > 0 ? `; ${unchanged} hops unchanged` : ''}
      </caption>
      <thead className="text-left text-slate-600">
        <tr>
          <th className="pr-2">Hop</th>
          <th className="pr-2">Forward</th>
          <th className="pr-2">Δ (meV)</th>
          <th className="pr-2">Backward</th>
          <th>Δ (meV)</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((m) => (
          <tr key={`${m.surface}/${m.hop}`} className="align-top">
            <td className="pr-2">
              {m.surface}{' '}
              <span className="font-mono">
                {m.from} → {m.saddle} → {m.to}
              </span>
              {m.status !== 'moved' && <span className="text-slate-500"> ({m.status})</span>}
            </td>
            <td className="pr-2 whitespace-nowrap">
              <Barrier value={m.before?.forwardEv} sigma={m.before?.forwardSigmaEv} /> →{' '}
              <Barrier value={m.after?.forwardEv} sigma={m.after?.forwardSigmaEv} />
            </td>
            <td className="pr-2">{mev(m.deltaForwardEv)}</td>
            <td className="pr-2 whitespace-nowrap">
              <Barrier value={m.before?.backwardEv} sigma={m.before?.backwardSigmaEv} /> →{' '}
              <Barrier value={m.after?.backwardEv} sigma={m.after?.backwardSigmaEv} />
            </td>
            <td>{mev(m.deltaBackwardEv)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
