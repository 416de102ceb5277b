import { z } from "zod";

// Pure TypeScript (no Node imports): the shop workspace's forms and the API validate with these.

const speed = z.number().min(1, "Speeds are at least 1 mm/s").max(1000, "Speeds are at most 1000 mm/s");

/**
 * What a shop may change in a printer's slicer profile, beyond its build volume, nozzle and layer
 * heights (which come from the printer itself). Every key is optional: a missing one takes Ktizo's
 * default. Numbers and booleans only, so nothing typed here can become a line of slicer configuration.
 */
export const slicerSettingsSchema = z
  .object({
    perimeters: z.number().int().min(0).max(20).optional(),
    topLayers: z.number().int().min(0).max(50).optional(),
    bottomLayers: z.number().int().min(0).max(50).optional(),
    infillPercent: z.number().min(0).max(100).optional(),
    supports: z.boolean().optional(),
    maxVolumetricSpeedMm3s: z.number().min(0).max(100).optional(),
    speeds: z
      .object({
        perimeter: speed,
        externalPerimeter: speed,
        infill: speed,
        solidInfill: speed,
        topSolidInfill: speed,
        support: speed,
        bridge: speed,
        travel: speed,
        firstLayer: speed,
      })
      .partial()
      .strict()
      .optional(),
    /** Resin: seconds per layer and for the first layers, supports and pad. */
    exposureS: z.number().min(0.1).max(600).optional(),
    initialExposureS: z.number().min(0.1).max(600).optional(),
    pad: z.boolean().optional(),
  })
  .strict();
export type SlicerSettings = z.infer<typeof slicerSettingsSchema>;

export interface PrinterPreset {
  id: string;
  make: string;
  model: string;
  technology: "fdm" | "resin";
  buildVolumeMm: { x: number; y: number; z: number };
  nozzleMm: number | null;
  layerHeightsMm: number[];
  settings: SlicerSettings;
}

/** Bambu Lab's X1 Carbon and P1S share the 256 mm CoreXY motion system and hot end. */
const BAMBU_COREXY = {
  technology: "fdm",
  buildVolumeMm: { x: 256, y: 256, z: 256 },
  nozzleMm: 0.4,
  layerHeightsMm: [0.08, 0.12, 0.16, 0.2, 0.28],
  settings: {
    speeds: {
      perimeter: 200,
      externalPerimeter: 150,
      infill: 270,
      solidInfill: 250,
      travel: 500,
      firstLayer: 50,
    },
    maxVolumetricSpeedMm3s: 21,
  },
} as const satisfies Omit<PrinterPreset, "id" | "make" | "model">;

/** Common printers, from their makers' published specifications, as starting points a shop can edit. */
export const PRINTER_PRESETS: PrinterPreset[] = [
  {
    id: "prusa-mk4",
    make: "Prusa Research",
    model: "Original Prusa MK4",
    technology: "fdm",
    buildVolumeMm: { x: 250, y: 210, z: 220 },
    nozzleMm: 0.4,
    layerHeightsMm: [0.1, 0.15, 0.2, 0.3],
    settings: {
      speeds: {
        perimeter: 120,
        externalPerimeter: 70,
        infill: 200,
        solidInfill: 150,
        travel: 250,
        firstLayer: 30,
      },
      maxVolumetricSpeedMm3s: 15,
    },
  },
  {
    id: "prusa-mini",
    make: "Prusa Research",
    model: "Original Prusa MINI+",
    technology: "fdm",
    buildVolumeMm: { x: 180, y: 180, z: 180 },
    nozzleMm: 0.4,
    layerHeightsMm: [0.1, 0.15, 0.2, 0.25],
    settings: {
      speeds: { perimeter: 50, externalPerimeter: 35, infill: 90, travel: 180 },
      maxVolumetricSpeedMm3s: 12,
    },
  },
  { id: "bambu-x1c", make: "Bambu Lab", model: "X1 Carbon", ...BAMBU_COREXY },
  { id: "bambu-p1s", make: "Bambu Lab", model: "P1S", ...BAMBU_COREXY },
  {
    id: "creality-ender3-v2",
    make: "Creality",
    model: "Ender-3 V2",
    technology: "fdm",
    buildVolumeMm: { x: 220, y: 220, z: 250 },
    nozzleMm: 0.4,
    layerHeightsMm: [0.12, 0.16, 0.2, 0.28],
    settings: {
      speeds: { perimeter: 50, externalPerimeter: 30, infill: 70, travel: 150 },
      maxVolumetricSpeedMm3s: 8,
    },
  },
  {
    id: "voron-2.4-350",
    make: "Voron Design",
    model: "Voron 2.4 (350)",
    technology: "fdm",
    buildVolumeMm: { x: 350, y: 350, z: 340 },
    nozzleMm: 0.4,
    layerHeightsMm: [0.1, 0.2, 0.3],
    settings: {
      speeds: { perimeter: 150, externalPerimeter: 100, infill: 250, solidInfill: 200, travel: 400 },
      maxVolumetricSpeedMm3s: 24,
    },
  },
  {
    id: "prusa-sl1s",
    make: "Prusa Research",
    model: "Original Prusa SL1S Speed",
    technology: "resin",
    buildVolumeMm: { x: 127, y: 80, z: 150 },
    nozzleMm: null,
    layerHeightsMm: [0.025, 0.05, 0.1],
    settings: { exposureS: 1.8, initialExposureS: 20, supports: true, pad: true },
  },
  {
    id: "elegoo-mars-3",
    make: "Elegoo",
    model: "Mars 3",
    technology: "resin",
    buildVolumeMm: { x: 143, y: 89, z: 175 },
    nozzleMm: null,
    layerHeightsMm: [0.03, 0.05, 0.1],
    settings: { exposureS: 2.5, initialExposureS: 30, supports: true, pad: true },
  },
];
