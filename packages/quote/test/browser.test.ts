import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeModel } from "../src/index.ts";
import { corpusFile } from "./corpus.ts";

const FILES = [
  "3mf/models/3mf-samples_cube_gears.3mf",
  "stl/numpy-stl_stl_ascii_HalfDonut.stl",
  "obj/trimesh_rabbit.obj",
];

describe.runIf(requireOrSkip("quote browser test", browserUnavailableReason()))(
  "analyzeModel in Chromium",
  () => {
    let server: Server;
    let base = "";
    beforeAll(async () => {
      const out = await build({
        entryPoints: [resolve(dirname(fileURLToPath(import.meta.url)), "../src/index.ts")],
        bundle: true,
        format: "esm",
        platform: "browser",
        write: false,
        logLevel: "silent",
      });
      const bundle = out.outputFiles[0]!.text;
      // the browser core must not pull in Node built-ins
      expect(bundle).not.toMatch(/from\s*["']node:/);
      server = createServer((req, res) => {
        const url = req.url ?? "/";
        if (url === "/") {
          res.setHeader("content-type", "text/html");
          res.end(
            '<!doctype html><title>quote</title><script type="module">import * as q from "/quote.js"; window.quote = q;</script>',
          );
        } else if (url === "/quote.js") {
          res.setHeader("content-type", "text/javascript");
          res.end(bundle);
        } else if (url.startsWith("/corpus/")) {
          const rel = decodeURIComponent(url.slice("/corpus/".length));
          if (!FILES.includes(rel)) {
            res.statusCode = 404;
            res.end();
            return;
          }
          res.setHeader("content-type", "application/octet-stream");
          res.end(corpusFile(rel));
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    it("gives the same analysis as Node for corpus files (3MF, ASCII STL, OBJ)", async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/`);
        await page.waitForFunction(() => "quote" in globalThis);
        const results = await page.evaluate(async (files: string[]) => {
          // biome-ignore lint/suspicious/noExplicitAny: the bundle's exports, set by the page
          const q = (globalThis as any).quote;
          const out: unknown[] = [];
          for (const f of files) {
            const bytes = new Uint8Array(
              await (await fetch(`/corpus/${encodeURIComponent(f)}`)).arrayBuffer(),
            );
            out.push(JSON.parse(JSON.stringify(q.analyzeModel(bytes))));
          }
          try {
            q.analyzeModel(new Uint8Array(0));
          } catch (e) {
            out.push({ code: (e as { code: string }).code });
          }
          return out;
        }, FILES);
        for (const [i, f] of FILES.entries()) {
          expect(results[i], f).toEqual(JSON.parse(JSON.stringify(analyzeModel(corpusFile(f)))));
        }
        expect(results[FILES.length]).toEqual({ code: "EMPTY_FILE" });
      } finally {
        await browser.close();
      }
    }, 60_000);
  },
);
