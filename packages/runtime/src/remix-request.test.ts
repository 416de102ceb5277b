import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyKindFor, bodyLimits } from "./body-limit.ts";
import { boundedRequestHandler, writeBody } from "./remix-request.ts";
import { peakMemoryGrowth, sendChunked } from "./testing/chunked.ts";
import { freePort } from "./testing/ports.ts";

const MB = 1024 * 1024;
const LIMIT = 64 * 1024;

// A stand-in app whose routes parse the body the ways the real ones do; each records what it saw.
const parsed: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.all(
    "*",
    boundedRequestHandler({
      limitFor: () => LIMIT,
      handle: async (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/json") {
          const body = await request.json();
          parsed.push("json");
          return Response.json({ ok: true, keys: Object.keys(body as object) });
        }
        if (path === "/form") {
          const form = await request.formData();
          parsed.push("form");
          return Response.json({ ok: true, fields: [...form.keys()] });
        }
        if (path === "/ignore") return new Response(null, { status: 302, headers: { location: "/sign-in" } });
        const bytes = await request.arrayBuffer();
        parsed.push("raw");
        return Response.json({ ok: true, bytes: bytes.byteLength });
      },
    }),
  );
  const port = await freePort();
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("bodies bounded while they stream", () => {
  it("passes a body within the limit to the route", async () => {
    const res = await fetch(`${base}/json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: 1, b: "x".repeat(1000) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, keys: ["a", "b"] });
  });

  it("answers 413 to a declared length over the limit before the route runs", async () => {
    const before = parsed.length;
    const res = await fetch(`${base}/raw`, { method: "POST", body: new Uint8Array(LIMIT + 1) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("at most 64 KB");
    expect(parsed.length).toBe(before);
  });

  it.each(["/json", "/form", "/raw"])(
    "answers 413 at once to a chunked 200 MB body on %s, memory flat",
    async (path) => {
      const before = parsed.length;
      const { result, growth } = await peakMemoryGrowth(() =>
        sendChunked(`${base}${path}`, {
          totalBytes: 200 * MB,
          headers: {
            "content-type": path === "/form" ? "application/x-www-form-urlencoded" : "application/json",
          },
        }),
      );
      expect(result.status).toBe(413);
      // The answer came while the client was still sending: it stopped long before 200 MB.
      expect(result.sent).toBeLessThan(16 * MB);
      // Nothing near the body's size was held (the figure is generous for a loaded machine).
      expect(growth).toBeLessThan(64 * MB);
      // The parser never completed: no route saw the oversized body.
      expect(parsed.length).toBe(before);
    },
  );

  it("closes the connection when a route answers without reading the body", async () => {
    const { result, growth } = await peakMemoryGrowth(() =>
      sendChunked(`${base}/ignore`, { totalBytes: 200 * MB }),
    );
    expect(result.status).toBe(302);
    expect(result.sent).toBeLessThan(200 * MB);
    expect(growth).toBeLessThan(64 * MB);
  });
});

describe("route kinds", () => {
  const limits = bodyLimits({ maxUploadMb: 100 });

  it.each([
    ["/api/webhooks/stripe", "webhook"],
    ["/api/auth/sign-up/email", "auth"],
    ["/api/trpc/account.sessions.revokeOthers", "trpc"],
    ["/quote/upload", "upload"],
    ["/embed/upload/northside", "upload"],
    ["/org/pricing/preview", "upload"],
    ["/org/jobs/j_1/files", "file"],
    ["/orders/o_1", "attachment"],
    ["/orders/shop/o_1", "attachment"],
    ["/org/profile/logo", "logo"],
    ["/sign-in", "form"],
    ["/org/jobs/j_1/files/f_1", "form"],
  ] as const)("%s is a %s body", (path, kind) => {
    expect(bodyKindFor(path)).toBe(kind);
  });

  it("keeps every limit small enough to bound and big enough for its files", () => {
    expect(limits.auth).toBeLessThanOrEqual(64 * 1024);
    expect(limits.webhook).toBeLessThanOrEqual(MB);
    expect(limits.trpc).toBeLessThanOrEqual(MB);
    expect(limits.form).toBeLessThanOrEqual(MB);
    expect(limits.logo).toBeGreaterThan(2 * MB);
    expect(limits.attachment).toBeGreaterThan(10 * MB);
    expect(limits.file).toBeGreaterThan(100 * MB);
    expect(limits.upload).toBeGreaterThan(100 * MB);
  });
});

describe("writing the answer", () => {
  /** A socket stand-in that records each write it is handed: a batch of corked chunks arrives as one writev. */
  function recordingSocket() {
    const writes: string[][] = [];
    const socket = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push([chunk.toString()]);
        callback();
      },
      writev(chunks, callback) {
        writes.push(chunks.map(({ chunk }) => String(chunk)));
        callback();
      },
    });
    return { socket, writes };
  }
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("sends the chunks a page streams in one turn as one write, all of them, in order", async () => {
    const { socket, writes } = recordingSocket();
    const page = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ["<html>", "<body>", "cards", "</body></html>"]) controller.enqueue(bytes(part));
        controller.close();
      },
    });
    await writeBody(page, socket);
    expect(writes).toEqual([["<html>", "<body>", "cards", "</body></html>"]]);
  });

  it("does not hold back a stream that keeps sending: what came in one turn leaves before the next", async () => {
    const { socket, writes } = recordingSocket();
    let sendMore: () => void = () => {};
    const events = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("data: 1\n\n"));
        sendMore = () => {
          controller.enqueue(bytes("data: 2\n\n"));
          controller.close();
        };
      },
    });
    const written = writeBody(events, socket);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([["data: 1\n\n"]]);
    sendMore();
    await written;
    expect(writes).toEqual([["data: 1\n\n"], ["data: 2\n\n"]]);
  });
});
