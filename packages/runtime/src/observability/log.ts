import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** What every log line written while serving one request carries. */
interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * The process's structured logger: one JSON object per line on stdout (pino), with the request id of
 * the request being served on every line written inside it, whoever writes it. Bodies, headers and
 * cookies are never logged; a message may carry a query's parameters, never a request's.
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; base?: Record<string, unknown> } = {},
): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "ktizo", ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const current = scope.getStore();
        return current ? { requestId: current.requestId } : {};
      },
      // Defence in depth: these never belong in a log line even if a caller passes them.
      redact: {
        paths: [
          "headers",
          "cookie",
          "authorization",
          "*.headers",
          "*.cookie",
          "*.authorization",
          "body",
          "*.body",
        ],
        remove: true,
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * For `pnpm dev`: the same log lines, readable in a terminal (`[ktizo] message key=value`). Production
 * keeps one JSON object per line for the log pipeline.
 */
export function readableDestination(write: (line: string) => void = (line) => process.stdout.write(line)) {
  return {
    write(json: string) {
      const {
        msg,
        level,
        time: _time,
        service: _service,
        pid: _pid,
        hostname: _host,
        ...rest
      } = JSON.parse(json) as Record<string, unknown>;
      const fields = Object.entries(rest)
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      const prefix = level === "info" ? "[ktizo]" : `[ktizo] ${String(level).toUpperCase()}`;
      write(`${prefix} ${String(msg ?? "")}${fields ? ` ${fields}` : ""}\n`);
    },
  };
}

/** Runs `fn` with `requestId` attached to every log line written inside it (sync or async). */
export function withRequestScope<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * A request keeps the id a trusted proxy gave it (so one id follows it through the balancer), if it
 * looks like one; otherwise it gets a new one.
 */
export function requestIdFor(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * A path fit for a log line or a metric label: opaque tokens and ids (portal links, order ids, export
 * tokens) become placeholders, so neither secrets nor unbounded label values leave the process.
 */
export function routeLabel(path: string): string {
  const segments = path
    .split("?")[0]!
    .split("/")
    .map((segment) => {
      if (segment === "") return segment;
      if (/^\d+$/.test(segment)) return ":n";
      // Ids and tokens: long, or mixing letters and digits like a generated id.
      if (segment.length >= 20 || (/\d/.test(segment) && /[a-zA-Z]/.test(segment) && segment.length >= 8)) {
        return ":id";
      }
      return segment;
    });
  const label = segments.join("/") || "/";
  return label.length > 120 ? `${label.slice(0, 120)}…` : label;
}
