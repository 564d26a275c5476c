import type { ColormapName } from '@/lib/epdi/settings';
import { colourBarGradient, scalePosition } from '@/lib/view/colour-scale';
import { formatFixed } from '@/lib/view/format';
import { niceTicks, tickLabels } from '@/lib/view/ticks';

/** A horizontal colour bar with round, distinct tick labels; low values on the left. Presentational (no state). */
export function ColourBar({
  range,
  colormap,
  label,
  unit = 'eV',
}: {
  range: [number, number];
  colormap: ColormapName;
  label: string;
  unit?: string;
}) {
  const ticks = niceTicks(range, 5);
  const labels = tickLabels(ticks);
  const span = Math.abs(range[1] - range[0]);
  const ends = span > 0 ? Math.max(2, Math.min(6, 2 - Math.floor(Math.log10(span)))) : 3;
  return (
    <figure
      className="w-56 text-[11px] text-slate-700"
      aria-label={`Colour bar: ${label} from ${formatFixed(range[0], ends)} to ${formatFixed(range[1], ends)} ${unit}`}
    >
      <figcaption className="mb-0.5 font-medium">
        {label} ({unit})
      </figcaption>
      <div className="h-3 rounded-sm border border-slate-300" style={{ background: colourBarGradient(colormap) }} />
      <div className="relative h-4" data-testid="colour-bar-ticks">
        {ticks.map((t, i) => (
          <span
            key={t}
            className="absolute -translate-x-1/2 tabular-nums"
            style={{ left: `${scalePosition(t, range) * 100}%` }}
          >
            {labels[i]}
          </span>
        ))}
      </div>
    </figure>
  );
}
