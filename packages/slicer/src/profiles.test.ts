import { describe, expect, it } from "vitest";
import { forMaterial, printerFromPreset, profileForPrinter, withMaterial } from "./printer-profile.ts";
import { writeIni } from "./profile.ts";
import { PRINTER_PRESETS, slicerSettingsSchema } from "./settings.ts";

const line = (ini: string, key: string) => new RegExp(`^${key} = (.*)$`, "m").exec(ini)?.[1];

describe("printer slicer profiles", () => {
  it("derives a valid, complete profile from every preset", () => {
    for (const preset of PRINTER_PRESETS) {
      expect(slicerSettingsSchema.parse(preset.settings)).toEqual(preset.settings);
      const profile = profileForPrinter(printerFromPreset(preset));
      expect(profile?.technology).toBe(preset.technology === "fdm" ? "fff" : "sla");
      const ini = writeIni(profile!);
      expect(line(ini, "max_print_height")).toBe(String(preset.buildVolumeMm.z));
      expect(line(ini, "printer_technology")).toBe(preset.technology === "fdm" ? "FFF" : "SLA");
    }
    expect(new Set(PRINTER_PRESETS.map((p) => p.id)).size).toBe(PRINTER_PRESETS.length);
  });

  it("takes the printer's build volume, nozzle, layers and the shop's settings, and names its version", () => {
    const profile = profileForPrinter({
      technology: "fdm",
      buildWidthMm: 300,
      buildDepthMm: 280,
      buildHeightMm: 250,
      nozzleMm: 0.6,
      layerHeightsMm: [0.4, 0.2, 0.3],
      slicerSettings: { perimeters: 4, infillPercent: 40, speeds: { perimeter: 90 } },
      slicerProfileVersion: 7,
    })!;
    expect(profile.version).toBe(7);
    const ini = writeIni(profile);
    expect(line(ini, "bed_shape")).toBe("0x0,300x0,300x280,0x280");
    expect(line(ini, "nozzle_diameter")).toBe("0.6");
    expect(line(ini, "layer_height")).toBe("0.3");
    expect(line(ini, "perimeters")).toBe("4");
    expect(line(ini, "fill_density")).toBe("40%");
    expect(line(ini, "perimeter_speed")).toBe("90");
    expect(line(ini, "infill_speed")).toBe("80");
    expect(
      profileForPrinter({
        ...{ technology: "powder" },
        buildWidthMm: 1,
        buildDepthMm: 1,
        buildHeightMm: 1,
        nozzleMm: null,
        layerHeightsMm: [],
      }),
    ).toBeNull();
  });

  it("refuses settings that are not numbers or booleans, or that it does not know", () => {
    expect(() => slicerSettingsSchema.parse({ perimeters: "3\npost_process = x" })).toThrow();
    expect(() => slicerSettingsSchema.parse({ post_process: "touch /tmp/x" })).toThrow();
    expect(() => slicerSettingsSchema.parse({ speeds: { perimeter: 0 } })).toThrow();
    expect(slicerSettingsSchema.parse({ supports: true })).toEqual({ supports: true });
  });

  it("adds a material's diameter, density and temperatures, and converts a slice to its grams and cost", () => {
    const base = profileForPrinter({
      technology: "fdm",
      buildWidthMm: 200,
      buildDepthMm: 200,
      buildHeightMm: 200,
      nozzleMm: 0.4,
      layerHeightsMm: [0.2],
    })!;
    const petg = {
      densityGramsPerCm3: 1.27,
      filamentDiameterMm: 2.85,
      costPerKgMinor: 2500,
      printTemperatureC: 240,
      bedTemperatureC: 80,
    };
    const ini = writeIni(withMaterial(base, petg));
    expect(line(ini, "filament_diameter")).toBe("2.85");
    expect(line(ini, "filament_density")).toBe("1.27");
    expect(line(ini, "temperature")).toBe("240");
    expect(line(ini, "bed_temperature")).toBe("80");
    const figures = forMaterial({ filamentCm3: 10, printSeconds: 3600 }, petg, "fdm");
    expect(figures.grams).toBe(12.7);
    expect(figures.materialCostMinor).toBeCloseTo(31.75, 10);
    expect(figures.filamentMm).toBeCloseTo(10_000 / (Math.PI * 1.425 ** 2), 1);
    expect(
      forMaterial({ filamentCm3: 2, printSeconds: 60 }, { ...petg, densityGramsPerCm3: 1.1 }, "resin")
        .filamentMm,
    ).toBeNull();
  });
});
