// pnpm bench:widget — time from the loader script being loaded on a shop's page to an interactive quote
// form inside the frame, in Chromium against the built web app; printed with the floor (a bare frame of
// the same server on the same page) and the ratio to it. Needs `pnpm build` first. Prints figures only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { appsNotBuiltReason, startTestHost } from "@ktizo/runtime/testing";
import { launchBrowser } from "@ktizo/testing";

const RUNS = Number(process.env.WIDGET_BENCH_RUNS ?? 10);
const SLUG = "northside-print-lab";

function serve(body: (path: string) => string): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) =>
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body(req.url ?? "/")),
    );
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))] ?? 0;

async function main() {
  const notBuilt = appsNotBuiltReason();
  if (notBuilt) throw new Error(notBuilt);
  const host = await startTestHost();
  const browser = await launchBrowser();
  const ktizo = host.webUrl;
  const shopSite = await serve((path) =>
    path === "/floor"
      ? // The floor: the same page shape with a bare frame of the same server instead of the widget.
        `<!doctype html><html><body><h1>Shop</h1><div id="w" style="min-height:560px"></div><script>
          window.__bench = { start: performance.now() };
          const f = document.createElement("iframe");
          f.onload = () => { window.__bench.interactive = performance.now(); };
          f.src = ${JSON.stringify(`${ktizo}/healthz`)};
          document.getElementById("w").appendChild(f);
        </script></body></html>`
      : `<!doctype html><html><body><h1>Shop</h1><div id="w"></div><script>
          window.__bench = {};
          addEventListener("message", (e) => {
            // The embed page's first message is sent once it has hydrated: the form is interactive.
            if (e.origin === ${JSON.stringify(ktizo)} && !window.__bench.interactive) window.__bench.interactive = performance.now();
          });
        </script>
        <script src="${ktizo}/widget.js" data-shop="${SLUG}" data-target="#w" async></script></body></html>`,
  );
  try {
    const shop = host.demo.shops.find((s) => s.slug === SLUG);
    if (!shop) throw new Error(`demo shop ${SLUG} missing`);
    await host.runtime.db
      .updateTable("shopSettings")
      .set({
        widget: JSON.stringify({
          enabled: true,
          allowedOrigins: [shopSite.origin],
          accentColor: "#1f6feb",
          showPrices: true,
          defaultMaterialId: null,
          greeting: "Upload a model for an instant quote",
        }),
      })
      .where("organizationId", "=", shop.organizationId)
      .execute();

    async function measure(path: string, warm: boolean): Promise<number> {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (warm) {
        await page.goto(`${shopSite.origin}${path}`);
        await page.waitForFunction(
          () => (window as unknown as { __bench: { interactive?: number } }).__bench.interactive,
        );
      }
      await page.goto(`${shopSite.origin}${path}`);
      await page.waitForFunction(
        () => (window as unknown as { __bench: { interactive?: number } }).__bench.interactive,
        undefined,
        {
          timeout: 30_000,
        },
      );
      const ms = await page.evaluate((src) => {
        const bench = (window as unknown as { __bench: { start?: number; interactive: number } }).__bench;
        const script = performance.getEntriesByName(src)[0] as PerformanceResourceTiming | undefined;
        const start = bench.start ?? script?.responseEnd ?? 0;
        return bench.interactive - start;
      }, `${ktizo}/widget.js`);
      await context.close();
      return ms;
    }

    const rows: [string, string, boolean][] = [
      ["widget, first visit", "/", false],
      ["widget, repeat visit", "/", true],
      ["floor (bare frame), first visit", "/floor", false],
    ];
    const results: Record<string, number[]> = {};
    for (const [label, path, warm] of rows) {
      results[label] = [];
      await measure(path, warm); // one unmeasured run: server and browser warm-up
      for (let i = 0; i < RUNS; i++) results[label]?.push(await measure(path, warm));
    }
    const floor = median(results["floor (bare frame), first visit"] ?? []);
    console.log(`pnpm bench:widget: ${RUNS} runs each, Chromium, built web app on loopback`);
    console.log("case                               median ms   p90 ms   × floor");
    for (const [label] of rows) {
      const xs = results[label] ?? [];
      const m = median(xs);
      console.log(
        `${label.padEnd(34)} ${m.toFixed(1).padStart(9)} ${p90(xs).toFixed(1).padStart(8)} ${(m / floor).toFixed(1).padStart(8)}`,
      );
    }
    console.log("(from the loader script loaded to the form's first message after hydration)");
  } finally {
    await browser.close();
    shopSite.server.close();
    await host.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
