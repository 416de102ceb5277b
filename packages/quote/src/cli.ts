import { readFile } from "node:fs/promises";
import { QuoteError } from "./errors.ts";
import { type EstimateParams, estimatePrint } from "./estimate.ts";
import { analyzeFile } from "./node/index.ts";
import { parsePricingModel, priceQuote } from "./pricing.ts";
import type { ModelAnalysis } from "./types.ts";

const USAGE = `Usage:
  pnpm quote analyze <file> [--json] [--inch]
  pnpm quote price <file> --pricing <pricing.json> [--quantity N] [--rush] [--json] [--inch]

Exit codes: 0 ok, 1 usage error, 2 bad input (with --json: {"error":{"code","message"}} on stdout).`;

interface Args {
  cmd: string;
  file: string;
  json: boolean;
  inch: boolean;
  rush: boolean;
  pricing?: string;
  quantity: number;
}

function parseArgs(argv: string[]): Args | string {
  const [cmd, ...rest] = argv;
  if (cmd !== "analyze" && cmd !== "price") return USAGE;
  const args: Args = { cmd, file: "", json: false, inch: false, rush: false, quantity: 1 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--json") args.json = true;
    else if (a === "--inch") args.inch = true;
    else if (a === "--rush") args.rush = true;
    else if (a === "--pricing") args.pricing = rest[++i];
    else if (a === "--quantity") {
      const q = Number(rest[++i]);
      if (!Number.isInteger(q) || q < 1) return "--quantity must be a whole number ≥ 1";
      args.quantity = q;
    } else if (a.startsWith("--")) return `unknown option ${a}\n\n${USAGE}`;
    else if (!args.file) args.file = a;
    else return `unexpected argument ${a}\n\n${USAGE}`;
  }
  if (!args.file) return USAGE;
  if (cmd === "price" && !args.pricing) return `price needs --pricing <pricing.json>\n\n${USAGE}`;
  return args;
}

const f = (n: number, d = 2) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function printAnalysis(a: ModelAnalysis): void {
  const s = a.bbox.size;
  console.log(`format      ${a.format} (${a.units})`);
  console.log(`triangles   ${a.triangles}`);
  console.log(`size        ${f(s.x)} × ${f(s.y)} × ${f(s.z)} mm`);
  console.log(`volume      ${f(a.volumeMm3 / 1000, 3)} cm³`);
  console.log(`area        ${f(a.areaMm2 / 100, 3)} cm²`);
  console.log(`shells      ${a.shells}`);
  console.log(`watertight  ${a.watertight ? "yes" : "no"}`);
  for (const i of a.issues) console.log(`${i.severity.padEnd(8)}  ${i.code}: ${i.message}`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(args);
    return 1;
  }
  try {
    const analysis = await analyzeFile(args.file, args.inch ? { units: "inch" } : {});
    if (args.cmd === "analyze") {
      if (args.json) console.log(JSON.stringify(analysis, null, 2));
      else printAnalysis(analysis);
      return 0;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(args.pricing!, "utf8"));
    } catch (e) {
      throw new QuoteError(
        "INVALID_PRICING",
        `Cannot read pricing file "${args.pricing}": ${(e as Error).message}`,
      );
    }
    const pricing = parsePricingModel(raw);
    const process: EstimateParams = pricing.process ?? { technology: "fdm" };
    const estimate = estimatePrint(analysis, process);
    const quote = priceQuote({ pricing, items: [{ estimate, quantity: args.quantity }], rush: args.rush });
    if (args.json) {
      console.log(JSON.stringify({ analysis, estimate, quote }, null, 2));
    } else {
      printAnalysis(analysis);
      console.log("");
      console.log(
        `material    ${f(estimate.weightG, 1)} g (${f(estimate.fillFraction * 100, 0)} % fill), ${estimate.layers} layers, ${f(estimate.printHours, 2)} h`,
      );
      console.log("");
      const money = (m: number) => `${(m / 100).toFixed(2)} ${quote.currency}`.padStart(16);
      for (const l of quote.lines) console.log(`${l.label.padEnd(34)}${money(l.amountMinor)}`);
      console.log(`${"Total".padEnd(34)}${money(quote.totalMinor)}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof QuoteError) {
      if (args.json) console.log(JSON.stringify({ error: { code: e.code, message: e.message } }));
      else console.error(`error ${e.code}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 70;
  },
);
