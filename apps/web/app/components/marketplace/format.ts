export function formatMm(n: number): string {
  return `${Math.round(n * 10) / 10} mm`;
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
