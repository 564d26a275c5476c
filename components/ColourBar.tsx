import type { ColormapName } from '@/lib/epdi/settings';
import { colourBarGradient, niceTicks, scalePosition } from '@/lib/view/colour-scale';

/** A horizontal colour bar with round ticks; low values on the left. Presentational (no state). */
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
  return (
    <figure
      className="w-56 text-[11px] text-slate-700"
      aria-label={`Colour bar: ${label} from ${range[0].toFixed(2)} to ${range[1].toFixed(2)} ${unit}`}
    >
      <figcaption className="mb-0.5 font-medium">
        {label} ({unit})
      </figcaption>
      <div className="h-3 rounded-sm border border-slate-300" style={{ background: colourBarGradient(colormap) }} />
      <div className="relative h-4">
        {ticks.map((t) => (
          <span
            key={t}
            className="absolute -translate-x-1/2 tabular-nums"
            style={{ left: `${scalePosition(t, range) * 100}%` }}
          >
            {Math.abs(t) < 1e-12 ? '0' : String(Number(t.toPrecision(3)))}
          </span>
        ))}
      </div>
    </figure>
  );
}
