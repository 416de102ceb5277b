import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { relativeLinks } from "@ktizo/services";
import { browserUnavailableReason, corpusModelPath, requireOrSkip } from "@ktizo/testing";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserWorld, signIn } from "./browser-steps.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const CUBE = corpusModelPath("stl/trimesh_20mm-xyz-cube.stl");
const SLUG = "northside-print-lab";

const runnable = requireOrSkip(
  "shop widget browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/** A static "shop website" on its own loopback origin; `body(origin)` is its home page. */
function site(body: (path: string) => string): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body(req.url ?? "/"));
    });
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/** Serious and critical axe-core findings inside a frame (axe is evaluated there, as the page sees it). */
async function axeFindings(frame: Frame): Promise<string[]> {
  await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            o: object,
          ) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

describe.runIf(runnable)("shop widget: a shop's website quotes and takes an order in a real browser", () => {
  const world = browserWorld();
  let shopSite: { server: Server; origin: string };
  let otherSite: { server: Server; origin: string };
  let snippet = "";
  let owner: BrowserContext;
  let ownerPage: Page;
  let visitor: BrowserContext;
  let page: Page;
  let orderNumber = 0;
  let statusPath = "";
  const db = () => world.host.runtime.db;

  const shopPage = (
    path: string,
  ) => `<!doctype html><html lang="en"><head><title>Northside: get a quote</title></head>
    <body><h1>Northside Print Lab</h1><p>Upload your part below.</p>
    <div id="quote-here"></div><p id="after">Opening hours: 9 to 5</p>
    <script>
      window.events = [];
      document.addEventListener("quote-ready", (e) => events.push(["quote-ready", e.detail]));
      document.addEventListener("order-placed", (e) => events.push(["order-placed", e.detail]));
    </script>
    ${
      path === "/spoof"
        ? // Another site frames the page directly and claims to be the shop's site.
          `<iframe id="spoof" title="spoof" src="${world.host.webUrl}/embed/quote/${SLUG}?host=${encodeURIComponent(shopSite.origin)}&scheme=light"></iframe>`
        : snippet.replace("async>", 'data-target="#quote-here" async>')
    }
    </body></html>`;

  beforeAll(async () => {
    shopSite = await site(shopPage);
    otherSite = await site(shopPage);
    owner = await world.browser.newContext();
    ownerPage = await owner.newPage();
    ownerPage.setDefaultTimeout(20_000);
    // A German-speaking visitor in dark mode: numbers and money follow the visitor's locale.
    visitor = await world.browser.newContext({ locale: "de-DE", colorScheme: "dark" });
    page = await visitor.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await owner?.close();
    await visitor?.close();
    shopSite?.server.close();
    otherSite?.server.close();
  });

  const widgetFrame = async (p: Page): Promise<Frame> => {
    const handle = await p.locator("#quote-here iframe").elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error("no widget frame");
    return frame;
  };

  it("the shop owner turns the widget on for its website and copies the snippet", async () => {
    await signIn(ownerPage, world.host.webUrl, DEMO_USERS.northsideOwner);
    await ownerPage.waitForURL(`${world.host.webUrl}/`);
    await ownerPage.goto(`${world.host.webUrl}/org`);
    await ownerPage.getByRole("link", { name: "Quote widget" }).click();
    await ownerPage.waitForURL(`${world.host.webUrl}/org/widget`);
    await ownerPage.locator("html[data-hydrated]").waitFor({ state: "attached" });
    // A bad site is refused with a message and nothing is saved.
    await ownerPage.getByLabel("Show the quote form on my website").check();
    await ownerPage.getByLabel("Websites allowed to show it").fill("https://myshop.example/path");
    await ownerPage.getByRole("button", { name: "Save widget settings" }).click();
    await ownerPage.getByText("Use an origin like https://myshop.com (no path)").waitFor();
    await ownerPage.getByLabel("Show the quote form on my website").check();
    await ownerPage.getByLabel("Websites allowed to show it").fill(shopSite.origin);
    await ownerPage.getByLabel("Accent color").fill("#0b6e4f");
    await ownerPage.getByRole("button", { name: "Save widget settings" }).click();
    await ownerPage.getByText("Widget settings saved").waitFor();
    snippet = await ownerPage.getByLabel("Snippet").inputValue();
    expect(await axeFindings(ownerPage.mainFrame())).toEqual([]);
    expect(snippet).toBe(`<script src="${world.host.webUrl}/widget.js" data-shop="${SLUG}" async></script>`);
  });

  it("a visitor on the shop's site uploads a corpus model, sees it in 3D, and gets the server's price", async () => {
    await page.goto(`${shopSite.origin}/`);
    await page.locator("#quote-here iframe").waitFor();
    const frame = await widgetFrame(page);
    expect(new URL(frame.url()).searchParams.get("scheme")).toBe("dark");
    await frame.locator("html[data-hydrated]").waitFor({ state: "attached" });
    expect(await frame.locator("html").getAttribute("class")).toContain("dark");
    await frame.getByRole("heading", { name: "Northside Print Lab: instant 3D printing quote" }).waitFor();
    expect(await axeFindings(frame)).toEqual([]);

    // Keyboard: the visually hidden file input takes focus, and its label shows it.
    await frame.getByLabel("Choose a model file").focus();
    expect(
      await frame
        .locator("label", { hasText: "Choose a model file" })
        .evaluate((el) => getComputedStyle(el).outlineStyle),
    ).not.toBe("none");
    await frame.getByLabel("Choose a model file").setInputFiles(CUBE);
    // German number formatting of the model's size (20 mm cube).
    await frame.getByTestId("dimensions").filter({ hasText: "20 mm × 20 mm × 20 mm" }).waitFor();
    await frame.locator("canvas[aria-label='3D preview of the model']").waitFor();
    await frame.getByRole("radio").first().waitFor();
    await frame.getByRole("spinbutton", { name: "Quantity" }).fill("3");
    // The accent colour the owner chose (#0b6e4f) survives the production CSP, which refuses style attributes.
    expect(
      await frame
        .getByRole("button", { name: "Get my price" })
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe("rgb(11, 110, 79)");
    await frame.getByRole("button", { name: "Get my price" }).click();
    const total = frame.getByTestId("quote-total");
    await total.waitFor();
    // de-DE: "1.234,56 $" style for the shop's USD prices.
    expect(await total.textContent()).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s\$$/);
    const quote = await db()
      .selectFrom("marketplaceQuote as q")
      .innerJoin("organization as o", "o.id", "q.organizationId")
      .select(["q.id", "q.totalMinor", "q.currency", "q.quantity"])
      .where("o.slug", "=", SLUG)
      .orderBy("q.createdAt", "desc")
      .executeTakeFirstOrThrow();
    expect(quote.quantity).toBe(3);
    await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length >= 1);
    expect(await page.evaluate(() => (window as unknown as { events: unknown[] }).events)).toEqual([
      ["quote-ready", { quoteId: quote.id, totalMinor: quote.totalMinor, currency: quote.currency }],
    ]);
    // The frame grew to its content (resize messages), and the host page did not jump before that.
    const height = await page
      .locator("#quote-here iframe")
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(560);
    expect(await axeFindings(frame)).toEqual([]);
  });

  it("the visitor orders as a guest, pays in test mode, and the host page hears about it", async () => {
    const frame = await widgetFrame(page);
    // "Continue on Ktizo": a new first-party tab with the model on the marketplace's quote page.
    const [popup] = await Promise.all([
      visitor.waitForEvent("page"),
      frame.getByRole("button", { name: "Continue on Ktizo (opens a new tab)" }).click(),
    ]);
    await popup.waitForURL((u) => u.pathname.startsWith("/quote/"));
    await popup.getByRole("heading", { name: "Instant quotes for trimesh_20mm-xyz-cube.stl" }).waitFor();
    await popup.close();
    await frame.getByRole("button", { name: "Order now" }).click();
    await frame.getByLabel("Email").fill("gia.guest@example.com");
    await frame.getByLabel("Full name").fill("Gia Guest");
    await frame.getByLabel("Street address").fill("500 SE Hawthorne Blvd");
    await frame.getByLabel("City").fill("Portland");
    await frame.getByLabel("Postal code").fill("97214");
    await frame.getByLabel("Country").selectOption("US");
    expect(await axeFindings(frame)).toEqual([]);
    await frame.getByRole("button", { name: "Place order" }).click();
    await frame.getByRole("button", { name: /\(test mode\)$/ }).click();
    const placed = frame.getByTestId("order-placed");
    await placed.waitFor();
    orderNumber = Number(/Order #(\d+)/.exec((await placed.textContent()) ?? "")?.[1]);
    const order = await db()
      .selectFrom("marketplaceOrder")
      .selectAll()
      .where("number", "=", orderNumber)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      userId: null,
      source: "widget",
      status: "paid",
      customerEmail: "gia.guest@example.com",
      customerName: "Gia Guest",
    });
    expect(order.jobId).not.toBeNull();
    await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length >= 2);
    const events = await page.evaluate(() => (window as unknown as { events: unknown[][] }).events);
    expect(events[1]).toEqual([
      "order-placed",
      { orderId: order.id, totalMinor: order.totalMinor, currency: order.currency },
    ]);
    // The guest's receipt: an email with a link that needs no sign-in.
    const mail = await db()
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", "gia.guest@example.com")
      .execute();
    statusPath = /\/embed\/order\/\S+/.exec(mail.map((m) => m.bodyText).join("\n"))?.[0] ?? "";
    expect(statusPath).toContain(`/embed/order/${order.id}?token=`);
  });

  it("the shop sees the paid order as a job on its board, and the guest follows it without signing in", async () => {
    await ownerPage.goto(`${world.host.webUrl}/org/board`);
    await ownerPage.getByText(`Marketplace order #${orderNumber}`).first().waitFor();
    // The shop's order page works for an order without a Ktizo account.
    const order = await db()
      .selectFrom("marketplaceOrder")
      .select("id")
      .where("number", "=", orderNumber)
      .executeTakeFirstOrThrow();
    await ownerPage.goto(`${world.host.webUrl}/orders/shop/${order.id}`);
    await ownerPage.getByText("Gia Guest").first().waitFor();

    const guest = await world.browser.newContext();
    const status = await guest.newPage();
    await status.goto(`${world.host.webUrl}${statusPath}`);
    await status.getByRole("heading", { name: `Order #${orderNumber} from Northside Print Lab` }).waitFor();
    expect(await status.getByText("Status:").textContent()).toMatch(/Paid/);
    const wrong = await status.goto(`${world.host.webUrl}${statusPath.replace(/token=./, "token=X")}`);
    expect(wrong?.status()).toBe(404);
    await guest.close();
  });

  it("sent every email with absolute links only", async () => {
    const sent = await db()
      .selectFrom("outboxMessage")
      .select(["template", "bodyText", "bodyHtml"])
      .execute();
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent) {
      expect(relativeLinks({ text: m.bodyText ?? "", html: m.bodyHtml ?? undefined }), m.template).toEqual(
        [],
      );
    }
  });

  it("follows the host page's color scheme when it changes", async () => {
    const frame = await widgetFrame(page);
    await page.emulateMedia({ colorScheme: "light" });
    await frame.waitForFunction(() => !document.documentElement.classList.contains("dark"));
    expect(await axeFindings(frame)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    await frame.waitForFunction(() => document.documentElement.classList.contains("dark"));
  });

  it("is refused on a site the shop did not allow, and a page lying about its origin is blocked", async () => {
    const other = await visitor.newPage();
    await other.goto(`${otherSite.origin}/`);
    await other.locator("#quote-here iframe").waitFor();
    const frame = await widgetFrame(other);
    await frame.getByRole("heading", { name: "This quote form cannot be shown here" }).waitFor();
    expect(await frame.getByText(`not on ${otherSite.origin}`).count()).toBe(1);
    expect(await frame.getByLabel("Choose a model file").count()).toBe(0);

    // frame-ancestors: the browser itself refuses the real form inside the other site.
    const blocked = new Promise<string>((resolve) => {
      other.on("response", (r) => {
        if (r.url().includes(`/embed/quote/${SLUG}`)) resolve(r.headers()["content-security-policy"] ?? "");
      });
    });
    await other.goto(`${otherSite.origin}/spoof`);
    expect(await blocked).toContain(`frame-ancestors ${shopSite.origin}`);
    const spoof = await (await other.locator("#spoof").elementHandle())?.contentFrame();
    // Chromium shows its own error page instead of the form: nothing of the widget is rendered.
    await expect.poll(() => spoof?.url() ?? "").toMatch(/^chrome-error:/);
    expect(await spoof?.locator("h1", { hasText: "instant 3D printing quote" }).count()).toBe(0);
    await other.close();
  });

  it("answers uploads past the shop-and-IP limit with 429 and a message, and stores nothing more", async () => {
    const cube = new Blob([readFileSync(CUBE)], { type: "model/stl" });
    const post = () => {
      const body = new FormData();
      body.append("file", cube, "cube.stl");
      return fetch(`${world.host.webUrl}/embed/upload/${SLUG}`, { method: "POST", body });
    };
    // The limit is 20 per fixed 10-minute window (one was used in the browser); the loop may straddle
    // one window boundary, so it runs until the first refusal, which must come within two windows.
    let accepted = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 41 && !refused; i++) {
      const response = await post();
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        accepted++;
      }
    }
    if (!refused) throw new Error(`no refusal after ${accepted} uploads`);
    expect(accepted).toBeLessThanOrEqual(40);
    const before = await db().selectFrom("modelUpload").select("id").execute();
    expect((await post()).status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many uploads .* Try again in/);
    expect(await db().selectFrom("modelUpload").select("id").execute()).toEqual(before);
  });
});
