export function formatMm(n: number): string {
  return `${Math.round(n * 10) / 10} mm`;
}

/** A bounding box's size: "50.8 mm × 76.2 mm × 12.7 mm". */
export function formatSize(v: { x: number; y: number; z: number }): string {
  return `${formatMm(v.x)} × ${formatMm(v.y)} × ${formatMm(v.z)}`;
}

export function formatVolume(mm3: number): string {
  return `${Math.round(mm3 / 100) / 10} cm³`;
}

export function formatBytes(n: number): string {
  return n > 1048576 ? `${Math.round(n / 104857.6) / 10} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** A print time as "1 h 16 min" (minutes rounded). */
export function formatPrintTime(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

/** An option's figures as the customer sees them: "Sliced: 1 h 16 min, 12.8 g" or "Estimated" (and why). */
export function sliceLabel(o: {
  sliced: { printSeconds: number; grams: number } | null;
  sliceNote: string | null;
}): string {
  const figures = o.sliced
    ? `Sliced: ${formatPrintTime(o.sliced.printSeconds)}, ${o.sliced.grams} g`
    : "Estimated";
  return o.sliceNote ? `${figures} (${o.sliceNote})` : figures;
}

/** Which figures a stored quote's price came from (it is charged as stored, never re-priced). */
export function priceBasisLabel(basis: "sliced" | "estimated"): string {
  return basis === "sliced"
    ? "Price from the slicer's figures for this printer"
    : "Price from an estimate (the model was not sliced yet)";
}
