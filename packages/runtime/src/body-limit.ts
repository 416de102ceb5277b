import type { IncomingMessage } from "node:http";
import { job, shop } from "@ktizo/api";

const KB = 1024;
const MB = 1024 * KB;
/** Room for the multipart framing and the small fields sent beside a file. */
const MULTIPART_OVERHEAD = 1 * MB;

/** The kinds of request body the apps take; each has one limit, enforced by the host while it streams. */
export type BodyKind = "webhook" | "auth" | "trpc" | "upload" | "file" | "attachment" | "logo" | "form";

export interface BodyLimitSettings {
  /** MARKETPLACE_MAX_UPLOAD_MB: the largest model a marketplace or widget visitor may upload. */
  maxUploadMb: number;
}

/**
 * The limit of each kind, in bytes. Files are capped by their domain (job files 100 MB, message
 * attachments 10 MB, logos 2 MB, models by MARKETPLACE_MAX_UPLOAD_MB) plus the multipart framing; the
 * routes and the domain functions still check each file against its own kind's cap.
 */
export function bodyLimits({ maxUploadMb }: BodyLimitSettings): Record<BodyKind, number> {
  return {
    // Stripe events are a few KB; a large invoice event stays far below this.
    webhook: 512 * KB,
    // Sign-in, sign-up, reset: a few fields.
    auth: 64 * KB,
    // tRPC inputs are JSON (files never go through tRPC).
    trpc: 1 * MB,
    // Models from the marketplace, the widget and the pricing preview, one file per request.
    upload: maxUploadMb * MB + MULTIPART_OVERHEAD,
    file: Math.max(...Object.values(job.MAX_FILE_BYTES)) + MULTIPART_OVERHEAD,
    // Order messages: one attachment of at most 10 MB (marketplace/messages.ts).
    attachment: 10 * MB + MULTIPART_OVERHEAD,
    logo: shop.MAX_LOGO_BYTES + 64 * KB,
    // Every other form post of both apps.
    form: 1 * MB,
  };
}

/** Which kind a request path is: the one table of route kinds (kept beside the limits it selects). */
export function bodyKindFor(path: string): BodyKind {
  if (path.startsWith("/api/webhooks/")) return "webhook";
  if (path.startsWith("/api/auth/") || path === "/api/auth") return "auth";
  if (path.startsWith("/api/trpc/") || path === "/api/trpc") return "trpc";
  if (path === "/quote/upload" || path.startsWith("/embed/upload/") || path === "/org/pricing/preview")
    return "upload";
  if (/^\/org\/jobs\/[^/]+\/files\/?$/.test(path)) return "file";
  if (/^\/orders\/(shop\/)?[^/]+\/?$/.test(path)) return "attachment";
  if (path === "/org/profile/logo") return "logo";
  return "form";
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${describeBytes(limit)}`);
    this.name = "BodyTooLargeError";
  }
}

export function describeBytes(bytes: number): string {
  return bytes >= MB ? `${Math.floor(bytes / MB)} MB` : `${Math.floor(bytes / KB)} KB`;
}

/** A declared length over the limit is refused before a byte is read. */
export function declaredLengthExceeds(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers["content-length"] ?? "0");
  return Number.isFinite(declared) && declared > limit;
}

/**
 * The request body as a web stream that never holds more than one chunk: it reads from the socket only
 * when the consumer pulls, counts every byte (chunked bodies have no declared length), and the moment
 * the count passes `limit` it stops reading, errors the stream and calls `onTooLarge` (which answers
 * 413), so no parser, signature or schema check ever sees an oversized body.
 */
export function boundedBody(
  req: IncomingMessage,
  limit: number,
  onTooLarge: (error: BodyTooLargeError) => void,
): ReadableStream<Uint8Array> {
  let received = 0;
  let finished = false;
  let attached = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!attached) {
        attached = true;
        req.on("data", (chunk: Buffer) => {
          if (finished) return;
          received += chunk.length;
          if (received > limit) {
            finished = true;
            req.pause();
            const error = new BodyTooLargeError(limit);
            controller.error(error);
            onTooLarge(error);
            return;
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.once("error", (error) => {
          if (finished) return;
          finished = true;
          controller.error(error);
        });
      }
      req.resume();
    },
    cancel() {
      finished = true;
      req.pause();
    },
  });
}
