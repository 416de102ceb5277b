import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_USERS } from "@ktizo/runtime";
import {
  type CrawlResult,
  type CrawlRole,
  corpusModelPath,
  crawl,
  mergeCookies,
  signInOverHttp,
} from "@ktizo/testing";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where each app's route files are, for mapping URLs back to routes. */
export const ROUTES_DIRS = {
  web: join(repoRoot, "apps/web/app/routes"),
  admin: join(repoRoot, "apps/admin/app/routes"),
};

/**
 * Route files a crawl that follows links cannot reach, and why. Each is covered elsewhere (named);
 * the crawl test fails if one of these is reached after all (then it belongs in the crawl) or if a
 * route file is neither reached nor listed here.
 */
export const NOT_CRAWLED: Record<string, string> = {
  "web/api.auth.$.ts": "better-auth's JSON API, called by the sign-in/up actions (auth tests)",
  "web/api.webhooks.stripe.ts": "action only: signed Stripe webhook (marketplace-webhook e2e)",
  "web/api.webhooks.twilio.ts": "action only: signed Twilio webhook (twilio-webhook e2e)",
  "web/embed.continue.ts": "action only: the widget's 'continue on Ktizo' post (widget e2e)",
  "web/embed.upload.$slug.ts": "action only: widget upload (widget e2e)",
  "web/quote.upload.ts": "action only: model upload (the crawl posts to it to get a quote page)",
  "web/org.jobs.$jobId.files.ts": "action only: job file upload (shop-workspace e2e)",
  "web/org.jobs.$jobId.drive.ts": "the job page's Drive panel loads it with JavaScript (inbox e2e)",
  "web/org.google.callback.tsx": "reached only from Google's consent redirect, with its state (inbox e2e)",
  "web/org.pricing.preview.ts": "action only: pricing preview of a dropped model (shop-workspace e2e)",
  "web/org.profile.logo.ts": "action only: logo upload (shop-workspace e2e)",
  "web/org.schedule_.plan_.ai.ts":
    "action only: the plan page's AI steering and explanations (plan-steering e2e)",
  "web/orders.shop.$orderId.reply-draft.ts":
    "action only: a suggested reply on a shop's order (marketplace e2e)",
  "web/preferences.theme.ts": "action only: theme switch (account e2e)",
  "web/sign-out.ts": "action only: sign-out (account e2e)",
  "web/sign-in.google.ts": "action only: starts Google sign-in, offered only with a Google client",
  "web/support.leave.ts": "action only: a platform admin leaves the support view (admin support-view e2e)",
  "web/support.$organizationId.tsx":
    "reached from the admin console's shop page once a shop granted support access (admin support-view e2e)",
  "web/org.plan_.checkout.$sessionId.tsx":
    "reached from the plan page's checkout action: test-mode plan checkout (shop-plans e2e)",
  "web/org.plan_.portal.tsx":
    "reached from the plan page for a shop with a subscription: test-mode customer portal (shop-plans e2e)",
  "admin/preferences.theme.ts": "action only: theme switch",
  "admin/sign-out.ts": "action only: sign-out (admin e2e)",
  "admin/orders.$id.tsx": "an order's page; the demo data has no marketplace order yet (admin-console e2e)",
  "web/checkout.test.$sessionId.tsx":
    "reached from a checkout action: test-mode payment page (marketplace e2e)",
  "web/embed.order.$orderId.tsx": "reached from an emailed guest link with its token (widget e2e)",
  "web/invitations.$id.tsx": "reached from an emailed invitation link (account e2e)",
  "web/account.privacy.export.$id.ts": "download of a data export once the job made it (privacy e2e)",
  "web/org.jobs.$jobId.files.$fileId.ts":
    "download of a job file; the demo jobs have none (shop-workspace e2e)",
  "web/orders.$orderId.attachments.$messageId.ts": "download of a message attachment (marketplace e2e)",
  "web/orders.$orderId.files.$fileId.ts":
    "download of a job file the shop shared with the customer; the demo has no order (marketplace e2e)",
  "web/orders.shop.$orderId.attachments.$messageId.ts": "download of a message attachment (marketplace e2e)",
  "web/org.invoices.$invoiceId.pdf.ts":
    "download of an invoice PDF; the demo shops have no invoices (getting-paid e2e)",
  "web/portal.$token.tsx":
    "reached from an emailed estimate or invoice link with its token (billing portal tests)",
  "web/portal.$token.pdf.ts": "invoice PDF behind an emailed link's token (billing portal tests)",
  "web/portal.$token.proof.ts": "proof file behind an emailed link's token (getting-paid e2e)",
  "web/portal.$token_.pay.$sessionId.tsx":
    "reached from the portal's pay action in test mode (getting-paid e2e)",
  "web/logos.$logoId.ts": "image of an uploaded shop logo; the demo shops have none (shop-workspace e2e)",
  "web/quote.$uploadId.model.ts": "model bytes fetched by the 3D preview script (marketplace e2e)",
  // TODO(issue 19, one demo seed): seed a demo marketplace order, then crawl these two.
  "web/orders.$orderId.tsx": "the demo data has no marketplace order yet (marketplace e2e)",
  "web/orders.shop.$orderId.tsx": "the demo data has no marketplace order yet (marketplace e2e)",
};

/** Pages that are not linked from anywhere but are entry points people arrive at (emails, embeds). */
const WEB_START = [
  "/",
  "/shops",
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/verify-email",
  "/reset-password",
];
const WEB_ENTRY = [
  "/cart",
  "/orders",
  "/orders/shop",
  "/account",
  "/org",
  "/org/new",
  "/org/switch",
  "/widget.js",
];

/** Uploads the corpus cube through the upload form and returns the quote page it redirects to. */
async function uploadModel(webUrl: string, role: CrawlRole): Promise<string> {
  const form = new FormData();
  const bytes = readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
  form.append("file", new File([bytes], "cube.stl", { type: "model/stl" }));
  const response = await fetch(new URL("/quote/upload", webUrl), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: role.cookie, origin: new URL(webUrl).origin },
    body: form,
  });
  const location = response.headers.get("location") ?? "";
  if (!location.startsWith("/quote/")) throw new Error(`upload answered ${response.status} → ${location}`);
  role.cookie = mergeCookies(role.cookie, response);
  return location;
}

/**
 * The whole product, crawled as each kind of user: signed out, customer, shop owner, shop member and
 * platform admin, over both apps, following every link from the entry points.
 */
export async function crawlProduct(
  webUrl: string,
  adminUrl: string,
): Promise<CrawlResult & { roles: CrawlRole[] }> {
  const signIn = (user: { email: string; password: string }) =>
    signInOverHttp(webUrl, user.email, user.password);
  const roles: CrawlRole[] = [
    { name: "signed-out", cookie: "" },
    { name: "customer", cookie: await signIn(DEMO_USERS.customer) },
    { name: "shop owner", cookie: await signIn(DEMO_USERS.northsideOwner) },
    { name: "shop member", cookie: await signIn(DEMO_USERS.northsideMember) },
    { name: "platform admin", cookie: await signIn(DEMO_USERS.admin) },
  ];
  // A password-reset request puts an email in the outbox, so the admin console has one to open.
  const reset = await fetch(new URL("/forgot-password", webUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(webUrl).origin },
    body: new URLSearchParams({ email: DEMO_USERS.customer.email }),
  });
  if (reset.status >= 400) throw new Error(`password reset answered ${reset.status}`);
  const quotePages = new Map<string, string>();
  for (const role of roles.slice(0, 2)) quotePages.set(role.name, await uploadModel(webUrl, role));

  const result = await crawl({
    apps: [
      {
        name: "web",
        baseUrl: webUrl,
        routesDir: ROUTES_DIRS.web,
        start: [...WEB_START, ...WEB_ENTRY],
      },
      {
        name: "admin",
        baseUrl: adminUrl,
        routesDir: ROUTES_DIRS.admin,
        start: ["/", "/sign-in"],
      },
    ],
    roles,
    // Signing out would end the role's session half-way through its crawl.
    skip: (url) => url.pathname === "/sign-out",
    expand: (url, role, app) => {
      const extra: string[] = [];
      if (app !== "web") return extra;
      // A shop's public page implies its widget page, as the loader script frames it on the shop's own
      // site (the demo shops' sites are https://<slug>.example, their widget's one allowed site).
      const shop = /^\/shops\/([^/]+)$/.exec(url.pathname);
      if (shop)
        extra.push(`/embed/quote/${shop[1]}?host=${encodeURIComponent(`https://${shop[1]}.example`)}`);
      if (url.pathname === "/") {
        const quote = quotePages.get(role);
        if (quote) extra.push(quote);
      }
      return extra;
    },
  });
  return { ...result, roles };
}

/**
 * What a failing crawl test prints: each server error and each dead link, with the page that linked it
 * and what it answered. Empty when the crawl found nothing wrong.
 */
export function describeFailures(result: CrawlResult): string {
  return [...result.failures, ...result.brokenLinks]
    .map((f) => `${f.role} ${f.url} → ${f.status} (linked from ${f.from ?? "start"})\n${f.body ?? ""}`)
    .join("\n\n");
}

/** Route files neither reached nor listed in NOT_CRAWLED; listed ones reached after all, or gone. */
export function coverageGaps(result: CrawlResult): {
  unreached: string[];
  listedButReached: string[];
  listedButMissing: string[];
} {
  return {
    unreached: result.routeFiles.filter((file) => !result.reached.has(file) && !(file in NOT_CRAWLED)),
    listedButReached: Object.keys(NOT_CRAWLED).filter((file) => result.reached.has(file)),
    listedButMissing: Object.keys(NOT_CRAWLED).filter((file) => !result.routeFiles.includes(file)),
  };
}
