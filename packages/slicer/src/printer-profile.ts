import { DEFAULT_SPEEDS, type SlicerProfile, validateProfile } from "./profile.ts";
import type { PrinterPreset, SlicerSettings } from "./settings.ts";

/** The printer columns a profile is derived from (the `printer` table). */
export interface PrinterForProfile {
  technology: "fdm" | "resin" | "powder";
  buildWidthMm: number;
  buildDepthMm: number;
  buildHeightMm: number;
  nozzleMm: number | null;
  layerHeightsMm: number[];
  /** The shop's own changes (printer.slicer_settings); missing keys take the defaults below. */
  slicerSettings?: SlicerSettings;
  /** printer.slicer_profile_version: bumped whenever anything above changes. */
  slicerProfileVersion?: number;
}

/** The material columns a slice is converted with (the `material` table). */
export interface MaterialForSlice {
  densityGramsPerCm3: number;
  filamentDiameterMm: number;
  costPerKgMinor: number;
  printTemperatureC: number | null;
  bedTemperatureC: number | null;
}

/** The "standard" quality's layer height: the middle of the printer's list (as marketplace quotes pick it). */
function standardLayer(layers: number[], fallback: number): number {
  const sorted = layers.filter((l) => l > 0).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? fallback;
}

/**
 * A slicer profile from what the shop entered for the printer (build volume, nozzle, layer heights,
 * its slicer settings), with common defaults for the rest and a reference material (PLA 1.75 mm on FDM,
 * a standard resin on SLA; a material's own figures come from `forMaterial`). Powder printers have none:
 * their quotes stay estimated.
 */
export function profileForPrinter(printer: PrinterForProfile): SlicerProfile | null {
  const s = printer.slicerSettings ?? {};
  const version = printer.slicerProfileVersion ?? 1;
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
      perimeters: s.perimeters ?? 2,
      topLayers: s.topLayers ?? 4,
      bottomLayers: s.bottomLayers ?? 3,
      infillPercent: s.infillPercent ?? 15,
      supports: s.supports ?? false,
      speeds: { ...DEFAULT_SPEEDS, ...s.speeds },
      maxVolumetricSpeedMm3s: s.maxVolumetricSpeedMm3s ?? 15,
      filament: { diameterMm: 1.75, densityGPerCm3: 1.24, temperatureC: 215, bedTemperatureC: 60 },
    });
  }
  if (printer.technology === "resin") {
    return validateProfile({
      technology: "sla",
      version,
      bed,
      layerHeightMm: Math.min(standardLayer(printer.layerHeightsMm, 0.05), 0.5),
      exposureS: s.exposureS ?? 2.5,
      initialExposureS: s.initialExposureS ?? 25,
      supports: s.supports ?? true,
      pad: s.pad ?? true,
      resin: { densityGPerCm3: 1.1 },
    });
  }
  return null;
}

/** The profile with a material's diameter, density and temperatures (for G-code printed with it). */
export function withMaterial(profile: SlicerProfile, material: MaterialForSlice): SlicerProfile {
  if (profile.technology === "sla") {
    return validateProfile({ ...profile, resin: { densityGPerCm3: material.densityGramsPerCm3 } });
  }
  return validateProfile({
    ...profile,
    filament: {
      diameterMm: material.filamentDiameterMm,
      densityGPerCm3: material.densityGramsPerCm3,
      temperatureC: material.printTemperatureC ?? profile.filament.temperatureC,
      bedTemperatureC: material.bedTemperatureC ?? profile.filament.bedTemperatureC,
    },
  });
}

/**
 * A slice's figures in a given material: the slicer's volume is the same whatever the filament, so
 * grams = cm³ × density, filament length = cm³ ÷ the filament's cross-section, cost = grams × cost/kg.
 */
export function forMaterial(
  slice: { filamentCm3: number; printSeconds: number },
  material: Pick<MaterialForSlice, "densityGramsPerCm3" | "filamentDiameterMm" | "costPerKgMinor">,
  technology: "fdm" | "resin",
) {
  const grams = slice.filamentCm3 * material.densityGramsPerCm3;
  const section = Math.PI * (material.filamentDiameterMm / 2) ** 2;
  return {
    grams: Math.round(grams * 100) / 100,
    filamentMm: technology === "fdm" ? Math.round(((slice.filamentCm3 * 1000) / section) * 100) / 100 : null,
    materialCostMinor: (grams * material.costPerKgMinor) / 1000,
    printSeconds: slice.printSeconds,
  };
}

/** A preset as the printer row a shop would create from it (its profile version 1). */
export function printerFromPreset(preset: PrinterPreset): PrinterForProfile {
  return {
    technology: preset.technology,
    buildWidthMm: preset.buildVolumeMm.x,
    buildDepthMm: preset.buildVolumeMm.y,
    buildHeightMm: preset.buildVolumeMm.z,
    nozzleMm: preset.nozzleMm,
    layerHeightsMm: [...preset.layerHeightsMm],
    slicerSettings: preset.settings,
  };
}
