import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";

/** Figures of one resin slice, from the `config.ini` inside PrusaSlicer's SL1 archive. */
export interface SlaFigures {
  printSeconds: number;
  resinMl: number;
  layers: number;
}

/** Reads only `config.ini` from the archive (the layer images are never inflated). */
export async function readSlaFigures(path: string): Promise<SlaFigures> {
  const files = unzipSync(await readFile(path), { filter: (f) => f.name === "config.ini" });
  const ini = files["config.ini"];
  if (!ini) throw new Error("The SL1 archive has no config.ini.");
  const values = new Map<string, string>();
  for (const line of new TextDecoder().decode(ini).split("\n")) {
    const eq = line.indexOf(" = ");
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 3).trim());
  }
  const number = (key: string) => {
    const v = Number.parseFloat(values.get(key) ?? "");
    if (!Number.isFinite(v)) throw new Error(`The SL1 archive's config.ini has no ${key}.`);
    return v;
  };
  return {
    printSeconds: number("printTime"),
    resinMl: number("usedMaterial"),
    layers: number("numFast") + number("numSlow"),
  };
}
