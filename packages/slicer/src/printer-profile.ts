import { DEFAULT_SPEEDS, type SlicerProfile, validateProfile } from "./profile.ts";

/** The printer columns a profile is derived from (the `printer` table). */
export interface PrinterForProfile {
  technology: "fdm" | "resin" | "powder";
  buildWidthMm: number;
  buildDepthMm: number;
  buildHeightMm: number;
  nozzleMm: number | null;
  layerHeightsMm: number[];
}

/** The "standard" quality's layer height: the middle of the printer's list (as marketplace quotes pick it). */
function standardLayer(layers: number[], fallback: number): number {
  const sorted = layers.filter((l) => l > 0).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? fallback;
}

/**
 * A slicer profile from what the shop entered for the printer (build volume, nozzle, layer heights),
 * with common defaults for the rest (PLA on FDM, a standard resin on SLA). Powder printers have none:
 * their quotes stay estimated.
 */
export function profileForPrinter(printer: PrinterForProfile, version = 1): SlicerProfile | null {
  const bed = { xMm: printer.buildWidthMm, yMm: printer.buildDepthMm, zMm: printer.buildHeightMm };
  if (printer.technology === "fdm") {
    const nozzleMm = printer.nozzleMm ?? 0.4;
    const layerHeightMm = Math.min(standardLayer(printer.layerHeightsMm, 0.2), nozzleMm * 0.8);
    return validateProfile({
      technology: "fff",
      version,
      bed,
      nozzleMm,
      layerHeightMm,
      firstLayerHeightMm: Math.min(Math.max(layerHeightMm, 0.2), nozzleMm * 0.8),
      perimeters: 2,
      topLayers: 4,
      bottomLayers: 3,
      infillPercent: 15,
      supports: false,
      speeds: DEFAULT_SPEEDS,
      maxVolumetricSpeedMm3s: 15,
      filament: { diameterMm: 1.75, densityGPerCm3: 1.24, temperatureC: 215, bedTemperatureC: 60 },
    });
  }
  if (printer.technology === "resin") {
    return validateProfile({
      technology: "sla",
      version,
      bed,
      layerHeightMm: Math.min(standardLayer(printer.layerHeightsMm, 0.05), 0.5),
      exposureS: 2.5,
      initialExposureS: 25,
      supports: true,
      pad: true,
      resin: { densityGPerCm3: 1.1 },
    });
  }
  return null;
}
