import { type ModelScale, scaleLabel } from "@ktizo/quote";
import { formatSize } from "./format";

/**
 * The unit and scale a customer chose for a model (issue 20), as the customer and the shop read it:
 * "Scaled 2540% from inches · 50.8 mm × 76.2 mm × 12.7 mm". Nothing for a model made as its file says.
 */
export function ScaleNote({
  scale,
  sizeMm,
  testId,
  emphasis = false,
}: {
  scale: ModelScale | null;
  sizeMm?: { x: number; y: number; z: number } | null;
  testId: string;
  /** The shop's view: the scale is an instruction for the print, so it stands out. */
  emphasis?: boolean;
}) {
  const label = scale ? scaleLabel(scale) : null;
  if (!label) return null;
  return (
    <span
      className={
        emphasis
          ? "block text-xs font-medium text-amber-800 dark:text-amber-300"
          : "block text-xs text-slate-600 dark:text-slate-400"
      }
      data-testid={testId}
    >
      {label}
      {sizeMm ? ` · ${formatSize(sizeMm)}` : ""}
    </span>
  );
}
