import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What Ktizo knows about a printer and its material, in the units shops use. A profile holds only
 * numbers and booleans (validated here), so nothing a shop or customer types can become a line of the
 * slicer's configuration.
 */
export interface FffProfile {
  technology: "fff";
  /** Bumped on every edit, so a quote can name the profile version it was sliced with. */
  version: number;
  bed: { xMm: number; yMm: number; zMm: number };
  nozzleMm: number;
  layerHeightMm: number;
  firstLayerHeightMm: number;
  perimeters: number;
  topLayers: number;
  bottomLayers: number;
  infillPercent: number;
  supports: boolean;
  /** mm/s. */
  speeds: {
    perimeter: number;
    externalPerimeter: number;
    infill: number;
    solidInfill: number;
    topSolidInfill: number;
    support: number;
    bridge: number;
    travel: number;
    firstLayer: number;
  };
  /** Maximum volumetric flow of the hot end, mm³/s (0: no limit). */
  maxVolumetricSpeedMm3s: number;
  filament: { diameterMm: number; densityGPerCm3: number; temperatureC: number; bedTemperatureC: number };
}

export interface SlaProfile {
  technology: "sla";
  version: number;
  bed: { xMm: number; yMm: number; zMm: number };
  layerHeightMm: number;
  exposureS: number;
  initialExposureS: number;
  supports: boolean;
  pad: boolean;
  resin: { densityGPerCm3: number };
}

export type SlicerProfile = FffProfile | SlaProfile;

export class ProfileError extends Error {
  override name = "ProfileError";
}

type Range = [min: number, max: number];
const COMMON_RANGES: Record<string, Range> = {
  version: [1, 1e9],
  "bed.xMm": [1, 2000],
  "bed.yMm": [1, 2000],
  "bed.zMm": [1, 2000],
};
const FFF_RANGES: Record<string, Range> = {
  ...COMMON_RANGES,
  nozzleMm: [0.05, 3],
  layerHeightMm: [0.01, 2],
  firstLayerHeightMm: [0.01, 2],
  perimeters: [0, 50],
  topLayers: [0, 100],
  bottomLayers: [0, 100],
  infillPercent: [0, 100],
  maxVolumetricSpeedMm3s: [0, 500],
  "filament.diameterMm": [0.5, 5],
  "filament.densityGPerCm3": [0.1, 25],
  "filament.temperatureC": [0, 500],
  "filament.bedTemperatureC": [0, 200],
};
const SPEED_RANGE: Range = [1, 2000];
const SLA_RANGES: Record<string, Range> = {
  ...COMMON_RANGES,
  layerHeightMm: [0.01, 0.5],
  exposureS: [0.1, 600],
  initialExposureS: [0.1, 600],
  "resin.densityGPerCm3": [0.1, 25],
};

function check(value: unknown, path: string, [min, max]: Range): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new ProfileError(`Slicer profile: ${path} must be a number from ${min} to ${max}.`);
  }
  return value;
}

function at(profile: object, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], profile);
}

/** Refuses a profile with a value out of range or of the wrong type (a string, a NaN, a missing key). */
export function validateProfile(profile: SlicerProfile): SlicerProfile {
  const bools = (keys: string[]) => {
    for (const k of keys) {
      if (typeof at(profile, k) !== "boolean")
        throw new ProfileError(`Slicer profile: ${k} must be true or false.`);
    }
  };
  if (profile?.technology === "fff") {
    for (const [k, r] of Object.entries(FFF_RANGES)) check(at(profile, k), k, r);
    for (const k of Object.keys(DEFAULT_SPEEDS))
      check(at(profile, `speeds.${k}`), `speeds.${k}`, SPEED_RANGE);
    bools(["supports"]);
    if (!Number.isInteger(profile.perimeters))
      throw new ProfileError("Slicer profile: perimeters must be whole.");
  } else if (profile?.technology === "sla") {
    for (const [k, r] of Object.entries(SLA_RANGES)) check(at(profile, k), k, r);
    bools(["supports", "pad"]);
  } else {
    throw new ProfileError('Slicer profile: technology must be "fff" or "sla" (powder stays estimated).');
  }
  return profile;
}

export const DEFAULT_SPEEDS: FffProfile["speeds"] = {
  perimeter: 60,
  externalPerimeter: 40,
  infill: 80,
  solidInfill: 60,
  topSolidInfill: 40,
  support: 50,
  bridge: 40,
  travel: 150,
  firstLayer: 25,
};

const here = dirname(fileURLToPath(import.meta.url));

/** PrusaSlicer 2.5's own defaults for every key (`prusa-slicer --save`), FFF and SLA. */
function defaults(technology: "fff" | "sla"): Map<string, string> {
  const text = readFileSync(join(here, `../profiles/prusaslicer-2.5-${technology}.ini`), "utf8");
  const map = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf(" = ");
    if (eq > 0) map.set(line.slice(0, eq), line.slice(eq + 3));
    else if (line.endsWith(" =")) map.set(line.slice(0, -2), "");
  }
  return map;
}

const num = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** Keys Ktizo always sets, whatever the profile: nothing runs, nothing is rendered, output is parseable. */
const FIXED_FFF: Record<string, string> = {
  // CVE-2023-47268: a post-processing command is run by the slicer. Always empty.
  post_process: "",
  // G-code parsing counts extrusion per role with relative E.
  use_relative_e_distances: "1",
  thumbnails: "",
  gcode_comments: "0",
  gcode_label_objects: "0",
  gcode_flavor: "marlin2",
  machine_limits_usage: "time_estimate_only",
  start_gcode: "G28 ; home\\nG92 E0",
  end_gcode: "M104 S0\\nM140 S0\\nM84",
  before_layer_gcode: "",
  // Required by PrusaSlicer with relative E.
  layer_gcode: "G92 E0",
  toolchange_gcode: "",
  between_objects_gcode: "",
  template_custom_gcode: "",
  color_change_gcode: "",
  pause_print_gcode: "",
  complete_objects: "0",
  output_filename_format: "out.gcode",
  filament_cost: "0",
};

/**
 * The complete PrusaSlicer configuration Ktizo hands the slicer: every key of the slicer's own defaults,
 * then the profile's values, then the fixed keys. Complete, so nothing is left for a model file (or the
 * slicer's user directory) to fill in.
 */
export function writeIni(profile: SlicerProfile): string {
  validateProfile(profile);
  const config = defaults(profile.technology);
  const set = (key: string, value: string) => {
    if (!config.has(key)) throw new ProfileError(`PrusaSlicer 2.5 has no setting "${key}".`);
    if (/[\r\n]/.test(value)) throw new ProfileError(`Setting ${key} must be one line.`);
    config.set(key, value);
  };
  const { xMm, yMm, zMm } = profile.bed;
  set("bed_shape", `0x0,${num(xMm)}x0,${num(xMm)}x${num(yMm)},0x${num(yMm)}`);
  set("max_print_height", num(zMm));
  set("layer_height", num(profile.layerHeightMm));
  if (profile.technology === "fff") {
    const p = profile;
    set("nozzle_diameter", num(p.nozzleMm));
    set("first_layer_height", num(p.firstLayerHeightMm));
    set("perimeters", String(p.perimeters));
    set("top_solid_layers", String(Math.round(p.topLayers)));
    set("bottom_solid_layers", String(Math.round(p.bottomLayers)));
    set("fill_density", `${num(p.infillPercent)}%`);
    set("support_material", p.supports ? "1" : "0");
    set("perimeter_speed", num(p.speeds.perimeter));
    set("external_perimeter_speed", num(p.speeds.externalPerimeter));
    set("infill_speed", num(p.speeds.infill));
    set("solid_infill_speed", num(p.speeds.solidInfill));
    set("top_solid_infill_speed", num(p.speeds.topSolidInfill));
    set("support_material_speed", num(p.speeds.support));
    set("bridge_speed", num(p.speeds.bridge));
    set("travel_speed", num(p.speeds.travel));
    set("first_layer_speed", num(p.speeds.firstLayer));
    set("max_volumetric_speed", num(p.maxVolumetricSpeedMm3s));
    set("filament_diameter", num(p.filament.diameterMm));
    set("filament_density", num(p.filament.densityGPerCm3));
    set("temperature", num(p.filament.temperatureC));
    set("first_layer_temperature", num(p.filament.temperatureC));
    set("bed_temperature", num(p.filament.bedTemperatureC));
    set("first_layer_bed_temperature", num(p.filament.bedTemperatureC));
    for (const [k, v] of Object.entries(FIXED_FFF)) set(k, v);
  } else {
    const p = profile;
    set("display_width", num(p.bed.xMm));
    set("display_height", num(p.bed.yMm));
    set("exposure_time", num(p.exposureS));
    set("initial_exposure_time", num(p.initialExposureS));
    set("supports_enable", p.supports ? "1" : "0");
    set("pad_enable", p.pad ? "1" : "0");
    set("material_density", num(p.resin.densityGPerCm3));
    set("output_filename_format", "out.sl1");
  }
  return `${[...config].map(([k, v]) => `${k} = ${v}`).join("\n")}\n`;
}

/** Identifies a profile for the slice cache: the exact configuration text the slicer reads. */
export function profileHash(ini: string): string {
  return createHash("sha256").update(ini).digest("hex");
}
