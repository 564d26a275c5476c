import { cssHex, elementVisual, speciesRole } from '@/lib/view/elements-visual';
import { DOPANT_RING } from './structure-meshes';

/** The 3D view's key: each species with its colour and role (host metal, chalcogen, dopant), sites and hops. */
export function Legend({
  speciesList,
  colours,
  dopantSpecies,
}: {
  speciesList: readonly string[];
  colours: ReadonlyMap<string, number>;
  dopantSpecies: readonly string[];
}) {
  return (
    <div
      className="pointer-events-none absolute left-2 top-2 space-y-0.5 rounded bg-white/90 px-2 py-1 text-xs shadow-sm"
      role="group"
      aria-label="Legend"
    >
      {speciesList.map((s) => (
        <div key={s} className="flex items-center gap-1.5">
          <span
            className="inline-block h-3 w-3 rounded-full border border-slate-400"
            style={{ background: cssHex(colours.get(s) ?? elementVisual(s).colour) }}
          />
          <span className="font-medium">{s}</span>
          <span className="text-slate-500">{speciesRole(s, dopantSpecies)}</span>
          {dopantSpecies.includes(s) && (
            <span
              className="inline-block h-3 w-3 rounded-full border-2"
              style={{ borderColor: cssHex(DOPANT_RING) }}
              title="dopant marker (drawn over the slice)"
            />
          )}
        </div>
      ))}
      <div className="flex items-center gap-1.5 text-slate-600">
        <span className="inline-block h-2.5 w-2.5 rounded-full bg-gradient-to-r from-indigo-800 to-amber-300" />
        site (colour: E_b)
      </div>
      <div className="flex items-center gap-1.5 text-slate-600">
        <span className="inline-block h-1 w-3 bg-gradient-to-r from-black to-yellow-200" />
        hop (colour: barrier)
      </div>
    </div>
  );
}
