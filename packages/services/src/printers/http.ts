import { z } from "zod";
import { readLimitedText } from "../http-body.ts";
import { decryptSecret, deriveSecretKey, encryptSecret } from "../secret-crypto.ts";
import {
  type PrinterEndpoint,
  type PrinterJobReport,
  type PrinterReportsService,
  PrinterUnreachableError,
} from "./types.ts";

const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export interface PrinterHttpOptions {
  /** BETTER_AUTH_SECRET: API keys are sealed with a key derived from it. */
  appSecret: string;
  /** Per request (default 5 s): a printer that is off must not hold up the poll. */
  timeoutMs?: number;
}

/**
 * The printers' own HTTP APIs. Only fixed paths are requested on the shop's URL, redirects are not
 * followed, answers are read up to 2 MB and validated with zod, and the API key goes in `X-Api-Key`
 * (both Moonraker and OctoPrint accept it there).
 */
export function createHttpPrinterReports(options: PrinterHttpOptions): PrinterReportsService {
  const key = deriveSecretKey(options.appSecret, "printer-api-key-v1");
  const timeoutMs = options.timeoutMs ?? 5000;

  async function getJson(endpoint: PrinterEndpoint, path: string): Promise<unknown> {
    const apiKey = endpoint.apiKeyCiphertext
      ? decryptSecret(key, endpoint.apiKeyCiphertext, endpoint.organizationId)
      : null;
    const url = `${endpoint.url.replace(/\/+$/, "")}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: "application/json", ...(apiKey ? { "x-api-key": apiKey } : {}) },
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      throw new PrinterUnreachableError(
        timedOut ? `No answer within ${timeoutMs / 1000} s` : "The printer could not be reached",
        timedOut ? "timeout" : "network",
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new PrinterUnreachableError("The printer refused the API key", "unauthorized");
    }
    if (!response.ok) {
      throw new PrinterUnreachableError(`The printer answered HTTP ${response.status}`, "bad_response");
    }
    const text = await readLimitedText(response, MAX_RESPONSE_BYTES);
    if (text === null) throw new PrinterUnreachableError("The printer's answer is too large", "bad_response");
    try {
      return JSON.parse(text);
    } catch {
      throw new PrinterUnreachableError("The printer's answer is not JSON", "bad_response");
    }
  }

  function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const result = schema.safeParse(value);
    if (!result.success) throw new PrinterUnreachableError(`Not a ${what} answer`, "bad_response");
    return result.data;
  }

  return {
    provider: "http",
    sealApiKey: (organizationId, apiKey) => encryptSecret(key, apiKey, organizationId),
    async finishedJobs(endpoint, opts = {}) {
      const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
      return endpoint.kind === "moonraker"
        ? moonrakerJobs(await getJson(endpoint, `/server/history/list?limit=${limit}&order=desc`), parse)
        : octoprintJobs(endpoint, getJson, parse);
    },
  };
}

type Parse = <T>(schema: z.ZodType<T>, value: unknown, what: string) => T;

const moonrakerHistory = z.object({
  result: z.object({
    jobs: z.array(
      z.object({
        job_id: z.string(),
        filename: z.string(),
        status: z.string(),
        start_time: z.number(),
        end_time: z.number().nullable(),
        print_duration: z.number(),
        filament_used: z.number().nullable().optional(),
      }),
    ),
  }),
});

/** Moonraker's `/server/history/list`: print_duration (s, pauses excluded) and filament_used (mm). */
function moonrakerJobs(body: unknown, parse: Parse): PrinterJobReport[] {
  const jobs = parse(moonrakerHistory, body, "Moonraker history").result.jobs;
  const out: PrinterJobReport[] = [];
  for (const j of jobs) {
    if (j.end_time === null || !["completed", "cancelled", "error", "klippy_shutdown"].includes(j.status)) {
      continue; // still printing, or interrupted before it ended
    }
    out.push({
      externalId: j.job_id,
      fileName: j.filename,
      status: j.status === "completed" ? "completed" : j.status === "cancelled" ? "cancelled" : "error",
      startedAt: new Date(j.start_time * 1000),
      endedAt: new Date(j.end_time * 1000),
      printSeconds: j.print_duration,
      filamentMm: j.filament_used ?? null,
    });
  }
  return out;
}

const octoprintJob = z.object({
  job: z.object({
    file: z.object({
      name: z.string().nullable(),
      origin: z.string().nullable(),
      path: z.string().nullable(),
    }),
  }),
  state: z.string(),
});

const octoprintFile = z.object({
  name: z.string(),
  prints: z
    .object({
      last: z.object({ date: z.number(), printTime: z.number().nullable().optional(), success: z.boolean() }),
    })
    .optional(),
});

/**
 * OctoPrint keeps no history of its own: `/api/job` names the current (or last) file, and that file's
 * statistics (`/api/files/<origin>/<path>`) hold its last print: when it ended, how long it printed and
 * whether it succeeded.
 */
async function octoprintJobs(
  endpoint: PrinterEndpoint,
  getJson: (endpoint: PrinterEndpoint, path: string) => Promise<unknown>,
  parse: Parse,
): Promise<PrinterJobReport[]> {
  const job = parse(octoprintJob, await getJson(endpoint, "/api/job"), "OctoPrint job");
  const { origin, path } = job.job.file;
  if (!origin || !path || !["local", "sdcard"].includes(origin)) return [];
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const file = parse(
    octoprintFile,
    await getJson(endpoint, `/api/files/${origin}/${encoded}`),
    "OctoPrint file",
  );
  const last = file.prints?.last;
  if (!last?.printTime) return [];
  const endedAt = new Date(last.date * 1000);
  return [
    {
      externalId: `${origin}/${path}@${last.date}`,
      fileName: file.name,
      status: last.success ? "completed" : "error",
      startedAt: new Date(endedAt.getTime() - last.printTime * 1000),
      endedAt,
      printSeconds: last.printTime,
      filamentMm: null,
    },
  ];
}

/** Without BETTER_AUTH_SECRET no API key can be stored: connecting a printer says so. */
export function createOffPrinterReports(): PrinterReportsService {
  return {
    provider: "off",
    sealApiKey() {
      throw new Error("Printer connections need BETTER_AUTH_SECRET to store API keys");
    },
    async finishedJobs() {
      throw new PrinterUnreachableError("Printer connections are off on this server", "network");
    },
  };
}
