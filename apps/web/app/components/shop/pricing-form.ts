/**
 * The pricing rules editor's form ⇄ the shop's pricing rules (the shape of the shop router's
 * pricing.update input). Shared by the page's save action and the live preview route.
 */
import { num } from "./format";

export const PROCESS_FIELDS = [
  ["layerHeightMm", "Layer height (mm)", "0.01"],
  ["wallThicknessMm", "Wall thickness (mm)", "0.1"],
  ["infill", "Infill (0–1)", "0.01"],
  ["extrusionRateMm3PerS", "Extrusion rate (mm³/s)", "0.1"],
  ["secondsPerLayer", "Seconds per layer (resin)", "0.1"],
  ["secondsPerLayerOverhead", "Layer change overhead (s)", "0.1"],
  ["setupMinutes", "Setup minutes per model", "1"],
] as const;
export type ProcessKey = (typeof PROCESS_FIELDS)[number][0];
export type Process = Partial<Record<ProcessKey, number>>;

import { TECHNOLOGIES } from "@ktizo/api/shared";

export { TECHNOLOGIES };

export interface PricingRules {
  version: 1;
  materialUnit: "gram" | "cm3";
  setupFeePerOrderMinor: number;
  setupFeePerModelMinor: number;
  minimumOrderMinor: number;
  quantityTiers: { minQuantity: number; discountPercent: number }[];
  rushMultiplier: number;
  markupPercent: number;
  taxRatePercent: number;
  process: Record<(typeof TECHNOLOGIES)[number], Process>;
  materials: Record<
    string,
    { enabled: boolean; priceMinor: number | null; markupPercent: number | null; process: Process }
  >;
  printers: Record<string, { enabled: boolean; machineHourlyMinor: number | null; process: Process }>;
  /** Prices for one material on one printer; empty fields fall back to the material's and printer's. */
  pairs: {
    materialId: string;
    printerId: string;
    priceMinor: number | null;
    machineHourlyMinor: number | null;
    markupPercent: number | null;
  }[];
}

/** Rows of the pair table the form can carry (filled ones plus empty ones to add). */
export const MAX_PAIR_ROWS = 50;

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

function readProcess(form: FormData, prefix: string): Process {
  const out: Process = {};
  for (const [key] of PROCESS_FIELDS) {
    const v = num(form.get(`${prefix}.${key}`));
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** How the form's money is read: the shop's currency in the visitor's locale (orgForm). */
export interface MoneyReader {
  money: (text: string) => number;
  /** Per-gram and per-hour prices may have more decimals than the currency; "" → null. */
  rate: (text: string) => number | null;
}

export function readPricingRules(
  form: FormData,
  ids: { materials: string[]; printers: string[] },
  read: MoneyReader,
): PricingRules {
  const rate = (name: string) => read.rate(text(form, name));
  const tiers: PricingRules["quantityTiers"] = [];
  for (let i = 0; i < 20; i++) {
    const q = num(form.get(`tiers.${i}.minQuantity`));
    const d = num(form.get(`tiers.${i}.discountPercent`));
    if (q === undefined && d === undefined) continue;
    tiers.push({ minQuantity: q ?? Number.NaN, discountPercent: d ?? Number.NaN });
  }
  const materials: PricingRules["materials"] = {};
  for (const id of ids.materials) {
    materials[id] = {
      enabled: form.get(`mat.${id}.enabled`) === "on",
      priceMinor: rate(`mat.${id}.price`),
      markupPercent: num(form.get(`mat.${id}.markupPercent`)) ?? null,
      process: readProcess(form, `mat.${id}.process`),
    };
  }
  const printers: PricingRules["printers"] = {};
  for (const id of ids.printers) {
    printers[id] = {
      enabled: form.get(`prn.${id}.enabled`) === "on",
      machineHourlyMinor: rate(`prn.${id}.hourly`),
      process: readProcess(form, `prn.${id}.process`),
    };
  }
  const pairs: PricingRules["pairs"] = [];
  for (let i = 0; i < MAX_PAIR_ROWS; i++) {
    const materialId = text(form, `pairs.${i}.materialId`);
    const printerId = text(form, `pairs.${i}.printerId`);
    const priceMinor = rate(`pairs.${i}.price`);
    const machineHourlyMinor = rate(`pairs.${i}.hourly`);
    const markupPercent = num(form.get(`pairs.${i}.markupPercent`)) ?? null;
    const empty = priceMinor === null && machineHourlyMinor === null && markupPercent === null;
    // A row without a material and printer, or without any price, is left out (removing a pair = emptying it).
    if ((!materialId && !printerId) || empty) continue;
    pairs.push({ materialId, printerId, priceMinor, machineHourlyMinor, markupPercent });
  }
  return {
    version: 1,
    materialUnit: text(form, "materialUnit") === "cm3" ? "cm3" : "gram",
    setupFeePerOrderMinor: read.money(text(form, "setupFeePerOrder") || "0"),
    setupFeePerModelMinor: read.money(text(form, "setupFeePerModel") || "0"),
    minimumOrderMinor: read.money(text(form, "minimumOrder") || "0"),
    quantityTiers: tiers,
    rushMultiplier: num(form.get("rushMultiplier")) ?? 1,
    markupPercent: num(form.get("markupPercent")) ?? 0,
    taxRatePercent: num(form.get("taxRatePercent")) ?? 0,
    process: {
      fdm: readProcess(form, "process.fdm"),
      resin: readProcess(form, "process.resin"),
      powder: readProcess(form, "process.powder"),
    },
    materials,
    printers,
    pairs,
  };
}

export function readIds(form: FormData) {
  return {
    materials: form.getAll("materialIds").map(String),
    printers: form.getAll("printerIds").map(String),
  };
}

/** The form's field names whose rule key is another name (money and rates are stored in minor units). */
const RULE_KEYS: [RegExp, string][] = [
  [/^setupFeePerOrder$/, "setupFeePerOrderMinor"],
  [/^setupFeePerModel$/, "setupFeePerModelMinor"],
  [/^minimumOrder$/, "minimumOrderMinor"],
  [/^tiers\./, "quantityTiers."],
  [/^mat\.([^.]+)\.price$/, "materials.$1.priceMinor"],
  [/^mat\./, "materials."],
  [/^prn\.([^.]+)\.hourly$/, "printers.$1.machineHourlyMinor"],
  [/^prn\./, "printers."],
  [/^pairs\.(\d+)\.price$/, "pairs.$1.priceMinor"],
  [/^pairs\.(\d+)\.hourly$/, "pairs.$1.machineHourlyMinor"],
];

/**
 * The server's message for one field of the form: its errors are keyed by the rules' paths under
 * `pricing` (the update input), so "rushMultiplier" finds "pricing.rushMultiplier" and
 * "mat.<id>.price" finds "pricing.materials.<id>.priceMinor".
 */
export function pricingFieldError(fieldErrors: Record<string, string>, name: string): string | undefined {
  const rule = RULE_KEYS.find(([pattern]) => pattern.test(name));
  const key = rule ? name.replace(rule[0], rule[1]) : name;
  return fieldErrors[`pricing.${key}`] ?? fieldErrors[key] ?? fieldErrors[name];
}
