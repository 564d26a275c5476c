/** Warnings that a protocol's test sets are too small to mean anything (each says how many are needed). */
export function TrainingWarnings({ warnings }: { warnings: readonly string[] }) {
  if (!warnings.length) return null;
  return (
    <div
      role="note"
      aria-label="Too few test samples"
      className="rounded border border-amber-300 bg-amber-50 p-2 text-amber-900"
    >
      <p className="font-medium">Too few test samples to mean much:</p>
      <ul className="list-disc pl-5">
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
