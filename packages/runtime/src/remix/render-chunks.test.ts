import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { createElement, type ReactElement } from "react";
import { describe, expect, it } from "vitest";

/**
 * React's server renderer for Node, patched (patches/react-dom@18.3.1.patch) to gather a page's chunks as
 * strings and write them 8 K characters at a time. Unpatched, it encoded every chunk into a 2 KB byte view:
 * a view and an encoder result per chunk (tens of thousands on the busy board, a seventh of what the page
 * allocated), and where a 4-byte character (an emoji) met the end of a view it wrote the view's unused
 * bytes too: NUL characters in the page (facebook/react#31134). Both builds: `pnpm start` loads the
 * production one, `pnpm dev` and the tests the development one.
 */
const require = createRequire(import.meta.url);
const cjs = join(dirname(require.resolve("react-dom/package.json")), "cjs");
type Server = typeof import("react-dom/server");
const builds = {
  production: require(join(cjs, "react-dom-server.node.production.min.js")) as Server,
  development: require(join(cjs, "react-dom-server.node.development.js")) as Server,
};
const legacy = require(join(cjs, "react-dom-server-legacy.node.production.min.js")) as Server;

/** Renders to a stream the way entry-server does, keeping each write the renderer makes. */
function renderStreaming(
  streaming: Server,
  element: ReactElement,
): Promise<{ html: string; writes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    sink.on("finish", () => resolve({ html: Buffer.concat(chunks).toString("utf8"), writes: chunks.length }));
    const { pipe } = streaming.renderToPipeableStream(element, {
      onAllReady: () => pipe(sink),
      onShellError: reject,
    });
  });
}

/** A page-sized list: attributes, escaped text, text beside numbers, and characters of 2 to 4 bytes. */
const page = (rows: number) =>
  createElement(
    "ol",
    { className: "board" },
    Array.from({ length: rows }, (_, i) =>
      createElement(
        "li",
        { key: i, "data-job": i, className: "card ring-1" },
        createElement("a", { href: `/org/jobs/${i}?a=1&b="2"` }, `#${i} Zoë's 🚀 データ <bracket>`),
        createElement("p", null, "Due ", i, " · ", "€12.50"),
      ),
    ),
  );

describe.each(Object.entries(builds))("the %s server renderer's writes (patched)", (_build, streaming) => {
  it("writes the same HTML as React's string renderer, multi-byte characters across every boundary", async () => {
    for (const rows of [0, 1, 7, 150, 3000]) {
      const { html } = await renderStreaming(streaming, page(rows));
      expect(html).not.toContain("\u0000");
      expect(html).toBe(legacy.renderToString(page(rows)));
    }
  });

  it("writes a large page in 8 K pieces, not 2 KB ones", async () => {
    const { html, writes } = await renderStreaming(streaming, page(3000));
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeGreaterThan(400_000);
    // Unpatched, React writes every 2,048 bytes (~bytes / 2048 writes).
    expect(writes).toBeLessThanOrEqual(Math.ceil(bytes / 8192) + 2);
  });
});
