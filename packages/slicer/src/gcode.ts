import { createReadStream } from "node:fs";

/** Figures of one FFF slice, from the G-code PrusaSlicer wrote. */
export interface GcodeFigures {
  printSeconds: number;
  filamentMm: number;
  filamentCm3: number;
  filamentG: number;
  layers: number;
  /** Extruded filament per extrusion role (`;TYPE:` markers), mm; the sum is the footer's total. */
  perRoleMm: Record<string, number>;
}

/** "1d 2h 3m 4s" (any part may be missing) → seconds. */
export function parseDuration(text: string): number | null {
  let seconds = 0;
  let found = false;
  for (const [, n, unit] of text.matchAll(/(\d+)\s*([dhms])/g)) {
    found = true;
    seconds += Number(n) * { d: 86_400, h: 3_600, m: 60, s: 1 }[unit as "d" | "h" | "m" | "s"];
  }
  return found ? seconds : null;
}

const FOOTER: Record<string, keyof Omit<GcodeFigures, "layers" | "perRoleMm">> = {
  "; estimated printing time (normal mode)": "printSeconds",
  "; filament used [mm]": "filamentMm",
  "; filament used [cm3]": "filamentCm3",
  "; filament used [g]": "filamentG",
};

/**
 * Reads a G-code file line by line (never whole: a large part's G-code is hundreds of MB). With relative
 * E (Ktizo's profiles always set it) an extrusion is a move with X or Y and a positive E; retractions and
 * un-retractions (E alone) are not filament used, which is how PrusaSlicer's own total is counted.
 */
export async function readGcodeFigures(path: string): Promise<GcodeFigures> {
  const figures: Partial<GcodeFigures> = {};
  const perRoleMm: Record<string, number> = {};
  let role = "Unknown";
  let layers = 0;
  const onLine = (line: string) => {
    if (line.startsWith("G1 ")) {
      const e = line.indexOf(" E");
      if (e < 0 || (line.indexOf(" X") < 0 && line.indexOf(" Y") < 0)) return;
      const value = Number.parseFloat(line.slice(e + 2));
      if (value > 0) perRoleMm[role] = (perRoleMm[role] ?? 0) + value;
    } else if (line.startsWith(";TYPE:")) {
      role = line.slice(6).trim();
    } else if (line === ";LAYER_CHANGE") {
      layers++;
    } else if (line.startsWith("; ")) {
      const eq = line.indexOf(" = ");
      const key = eq > 0 ? FOOTER[line.slice(0, eq)] : undefined;
      if (!key) return;
      const raw = line.slice(eq + 3);
      const value = key === "printSeconds" ? parseDuration(raw) : Number.parseFloat(raw);
      if (value !== null && Number.isFinite(value)) figures[key] = value;
    }
  };
  let rest = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    // A line is at most a few hundred bytes (the config dump's longest custom G-code); cap what is carried.
    rest = text.slice(start, start + (1 << 16));
  }
  if (rest) onLine(rest);
  if (
    figures.printSeconds === undefined ||
    figures.filamentMm === undefined ||
    figures.filamentCm3 === undefined ||
    figures.filamentG === undefined
  ) {
    throw new Error("The G-code has no PrusaSlicer footer (time and filament used).");
  }
  for (const k of Object.keys(perRoleMm)) perRoleMm[k] = Math.round(perRoleMm[k]! * 1e5) / 1e5;
  return { ...(figures as Omit<GcodeFigures, "layers" | "perRoleMm">), layers, perRoleMm };
}
