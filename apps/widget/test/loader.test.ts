import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLoader } from "../src/build.ts";

/**
 * The loader on a "shop website" (one loopback origin) talking to a stand-in embed page served from
 * another origin, as Ktizo would serve it. The real embed page is tested with the web app.
 */
function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

const EMBED_PAGE = `<!doctype html><html><body><script>
  const hostOrigin = new URL(location.href).searchParams.get("host");
  parent.postMessage({ type: "ktizo:resize", height: 777 }, hostOrigin);
  parent.postMessage({ type: "ktizo:quote-ready", quote: { quoteId: "q1", totalMinor: 1234, currency: "EUR" } }, hostOrigin);
  parent.postMessage({ type: "ktizo:order-placed", order: { orderId: "o1", totalMinor: 1234, currency: "EUR" } }, hostOrigin);
</script></body></html>`;

describe.runIf(requireOrSkip("widget loader browser test", browserUnavailableReason()))(
  "widget loader",
  () => {
    let ktizo: { server: Server; origin: string };
    let shop: { server: Server; origin: string };
    let browser: Browser;
    const embedRequests: string[] = [];

    beforeAll(async () => {
      const { code } = await buildLoader();
      ktizo = await listen((req, res) => {
        if (req.url === "/widget.js") {
          res.writeHead(200, { "content-type": "text/javascript" }).end(code);
        } else if (req.url?.startsWith("/embed/quote/")) {
          embedRequests.push(req.url);
          res.writeHead(200, { "content-type": "text/html" }).end(EMBED_PAGE);
        } else {
          res.writeHead(404).end();
        }
      });
      shop = await listen((req, res) => {
        // The shop's page, which also tries to spoof a resize from its own origin.
        const body = `<!doctype html><html><body>
        <h1>Acme Prints</h1><div id="quote-here" style="min-height:560px"></div><p id="after">after</p>
        <script>
          window.events = [];
          document.addEventListener("quote-ready", (e) => events.push(["quote-ready", e.detail]));
          document.addEventListener("order-placed", (e) => events.push(["order-placed", e.detail]));
        </script>
        <script src="${ktizo.origin}/widget.js" data-shop="${req.url === "/bad" ? "Bad Slug!" : "acme-prints"}" data-target="#quote-here" async></script>
      </body></html>`;
        res.writeHead(200, { "content-type": "text/html" }).end(body);
      });
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      ktizo?.server.close();
      shop?.server.close();
    });

    it("mounts one iframe in the placeholder, resizes it and re-emits the page's events", async () => {
      const page = await browser.newPage();
      await page.goto(`${shop.origin}/`);
      const frame = page.locator("#quote-here iframe");
      await frame.waitFor();
      expect(await frame.getAttribute("title")).toBe("Instant 3D printing quote");
      const src = new URL((await frame.getAttribute("src"))!);
      expect(src.origin).toBe(ktizo.origin);
      expect(src.pathname).toBe("/embed/quote/acme-prints");
      expect(src.searchParams.get("host")).toBe(shop.origin);
      await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length === 2);
      expect(await page.evaluate(() => (window as unknown as { events: unknown[] }).events)).toEqual([
        ["quote-ready", { quoteId: "q1", totalMinor: 1234, currency: "EUR" }],
        ["order-placed", { orderId: "o1", totalMinor: 1234, currency: "EUR" }],
      ]);
      // The embed page's resize applies; a resize posted by the shop page itself (wrong origin) does not.
      await frame.evaluate((el) => {
        // polls until the frame's own resize has applied
        return new Promise<void>((resolve) => {
          const check = () =>
            (el as HTMLIFrameElement).style.height === "777px" ? resolve() : setTimeout(check, 20);
          check();
        });
      });
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            // The loader's listener was registered first, so it has run when this one runs.
            window.addEventListener("message", () => resolve(), { once: true });
            window.postMessage({ type: "ktizo:resize", height: 5 }, "*");
          }),
      );
      expect(await frame.evaluate((el) => (el as HTMLIFrameElement).style.height)).toBe("777px");
      expect(await page.locator("iframe").count()).toBe(1);
      await page.close();
    });

    it("refuses an invalid shop id without adding a frame", async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      const before = embedRequests.length;
      await page.goto(`${shop.origin}/bad`);
      await page.waitForFunction(() => document.querySelector("script[data-ktizo-mounted]") !== null);
      expect(await page.locator("iframe").count()).toBe(0);
      expect(errors.join(" ")).toMatch(/not a valid shop id/);
      expect(embedRequests.length).toBe(before);
      await page.close();
    });
  },
);

describe("widget loader size", () => {
  it("stays under 5 KB gzipped", async () => {
    const { gzipBytes } = await buildLoader();
    expect(gzipBytes).toBeLessThan(5 * 1024);
  });
});
