import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ResourceWorld } from "@ktizo/api/testing";
import { readRouteFiles } from "@ktizo/testing";

/**
 * Every resource route of the web app (a route file with a loader or action and no page component) and
 * its access case, the way `uncoveredProcedures` lists procedures: resource-routes.test.ts fails for a
 * route file missing here, resource-access.e2e.test.ts runs each case on the production build.
 */

export const ROUTES_DIR = fileURLToPath(new URL("../app/routes", import.meta.url));

/** Route files that export a loader or an action and no default (page) component. */
export function resourceRouteFiles(dir = ROUTES_DIR): string[] {
  return readRouteFiles(dir)
    .filter((route) => {
      const source = readFileSync(join(dir, route.file), "utf8");
      const serves =
        /export (async )?function (loader|action)\b|export const (loader|action)\b|as (loader|action)\b/;
      return serves.test(source) && !/export default\b/.test(source);
    })
    .map((route) => route.file)
    .sort();
}

/**
 * The world a case runs in: the demo seed plus one real object of every kind (`buildResourceWorld` of
 * `@ktizo/api/testing`) owned by the victim, Northside Print Lab and its customer (the demo customer),
 * and the uploads made through the upload routes themselves. The attacker is another shop's owner.
 */
export interface AccessWorld extends ResourceWorld {
  /** The demo customer's model upload (marketplace). */
  customerUploadId: string;
  /** A guest's widget upload at the victim shop, and its upload session. */
  widgetUploadId: string;
  widgetSession: string;
  victimSlug: string;
}

export type Caller = "anonymous" | "attacker" | "victimMember" | "victimOwner" | "victimCustomer";

export interface AccessRequest {
  as: Caller;
  method?: "GET" | "POST";
  path: (w: AccessWorld) => string;
  body?: (w: AccessWorld) => FormData | string;
  contentType?: string;
  accept?: string;
  /** The status (and for a redirect, where it goes) the route answers. */
  status: number;
  location?: RegExp;
}

export interface ResourceAccessCase {
  /** Who may use the route, in words (the table is read by people too). */
  access: string;
  /**
   * The request a caller who must not get the object makes, for a REAL object of another shop or
   * customer (from the world); null: public, nothing to refuse.
   */
  refused: AccessRequest | null;
  /**
   * The same route answering a caller who may use it, so the refusal can fail; or the browser test
   * that does (the route needs an outside service's signature or a page's state).
   */
  allowed: AccessRequest | { elsewhere: string };
}

const STL = readFileSync(fileURLToPath(new URL("./fixtures/bracket-inches.stl", import.meta.url)));

const multipart =
  (
    field: string,
    name: string,
    bytes: Uint8Array = new Uint8Array([1, 2, 3]),
    extra: Record<string, string> = {},
  ) =>
  () => {
    const form = new FormData();
    const type = name.endsWith(".txt") ? "text/plain" : name.endsWith(".png") ? "image/png" : "";
    form.append(field, new Blob([new Uint8Array(bytes)], { type }), name);
    form.append("kind", "other");
    for (const [key, value] of Object.entries(extra)) form.append(key, value);
    return form;
  };
const urlencoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = "application/x-www-form-urlencoded";
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export const RESOURCE_ROUTES: Record<string, ResourceAccessCase> = {
  "account.privacy.export.$id.ts": {
    access: "the signed-in requester of the export",
    refused: { as: "attacker", path: (w) => `/account/privacy/export/${w.victimExportId}`, status: 404 },
    allowed: {
      as: "victimCustomer",
      path: (w) => `/account/privacy/export/${w.victimExportId}`,
      status: 200,
    },
  },
  "api.auth.$.ts": {
    access: "public: better-auth's own handler (rate limits, lockout)",
    refused: null,
    allowed: { as: "victimCustomer", path: () => "/api/auth/get-session", status: 200 },
  },
  "api.webhooks.stripe.ts": {
    access: "Stripe, by the event's signature",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/api/webhooks/stripe",
      body: () => JSON.stringify({ id: "evt_forged", type: "checkout.session.completed" }),
      contentType: "application/json",
      status: 400,
    },
    allowed: { elsewhere: "apps/web/test/marketplace-webhook.e2e.test.ts" },
  },
  "api.webhooks.twilio.ts": {
    access: "Twilio, by the request's X-Twilio-Signature over the exact URL and parameters",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/api/webhooks/twilio",
      body: () =>
        urlencoded({
          MessageSid: `SM${"f".repeat(32)}`,
          From: "+447911123456",
          To: "+14155552671",
          Body: "YES",
        }),
      contentType: FORM,
      status: 403,
    },
    allowed: { elsewhere: "apps/web/test/twilio-webhook.e2e.test.ts" },
  },
  "embed.continue.ts": {
    access: "a visitor holding the widget upload's session id",
    refused: {
      // The guest's session with another owner's real upload.
      as: "attacker",
      method: "POST",
      path: () => "/embed/continue",
      body: (w) => urlencoded({ session: w.widgetSession, uploadId: w.customerUploadId }),
      contentType: FORM,
      status: 404,
    },
    allowed: {
      as: "anonymous",
      method: "POST",
      path: () => "/embed/continue",
      body: (w) => urlencoded({ session: w.widgetSession, uploadId: w.widgetUploadId }),
      contentType: FORM,
      status: 302,
      location: /^\/quote\/upl_/,
    },
  },
  "embed.upload.$slug.ts": {
    access: "public: a shop's widget with the widget switched on",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/embed/upload/no-such-shop",
      body: multipart("file", "part.stl", STL),
      status: 404,
    },
    allowed: {
      as: "anonymous",
      method: "POST",
      path: (w) => `/embed/upload/${w.victimSlug}`,
      body: multipart("file", "part.stl", STL),
      status: 200,
    },
  },
  "logos.$logoId.ts": {
    access: "public: a shop's current logo",
    refused: { as: "anonymous", path: () => "/logos/logo_none", status: 404 },
    allowed: { as: "anonymous", path: (w) => w.logoPath, status: 200 },
  },
  "orders.$orderId.attachments.$messageId.ts": {
    access: "the customer of the order",
    refused: {
      as: "attacker",
      path: (w) => `/orders/${w.victimOrderId}/attachments/${w.victimMessageId}`,
      status: 404,
    },
    allowed: {
      as: "victimCustomer",
      path: (w) => `/orders/${w.victimOrderId}/attachments/${w.victimMessageId}`,
      status: 200,
    },
  },
  "orders.$orderId.files.$fileId.ts": {
    access: "the signed-in customer of the order, for files the shop shared",
    refused: {
      as: "attacker",
      path: (w) => `/orders/${w.victimOrderId}/files/${w.victimFileId}`,
      status: 404,
    },
    allowed: {
      as: "victimCustomer",
      path: (w) => `/orders/${w.victimOrderId}/files/${w.victimFileId}`,
      status: 200,
    },
  },
  "orders.shop.$orderId.attachments.$messageId.ts": {
    access: "members of the shop fulfilling the order",
    refused: {
      as: "attacker",
      path: (w) => `/orders/shop/${w.victimOrderId}/attachments/${w.victimMessageId}`,
      status: 404,
    },
    allowed: {
      as: "victimMember",
      path: (w) => `/orders/shop/${w.victimOrderId}/attachments/${w.victimMessageId}`,
      status: 200,
    },
  },
  "orders.shop.$orderId.reply-draft.ts": {
    access: "members of the shop fulfilling the order, with AI switched on",
    refused: {
      as: "attacker",
      method: "POST",
      path: (w) => `/orders/shop/${w.victimOrderId}/reply-draft`,
      body: () => urlencoded({ intent: "suggest" }),
      contentType: FORM,
      status: 404,
    },
    allowed: {
      as: "victimMember",
      method: "POST",
      path: (w) => `/orders/shop/${w.victimOrderId}/reply-draft`,
      body: () => urlencoded({ intent: "suggest" }),
      contentType: FORM,
      status: 200,
    },
  },
  "org.export.customers.ts": {
    access: "members of the active shop (their own shop's rows only)",
    refused: { as: "anonymous", path: () => "/org/export/customers", status: 302, location: /^\/sign-in\?/ },
    allowed: { as: "victimMember", path: () => "/org/export/customers", status: 200 },
  },
  "org.export.jobs.ts": {
    access: "members of the active shop (their own shop's rows only)",
    refused: { as: "anonymous", path: () => "/org/export/jobs", status: 302, location: /^\/sign-in\?/ },
    allowed: { as: "victimMember", path: () => "/org/export/jobs", status: 200 },
  },
  "org.reports.export.ts": {
    access: "owners and admins of the active shop (their own shop's invoices only)",
    refused: { as: "anonymous", path: () => "/org/reports/export", status: 302, location: /^\/sign-in\?/ },
    allowed: { as: "victimOwner", path: () => "/org/reports/export", status: 200 },
  },
  "org.invoices.$invoiceId.pdf.ts": {
    access: "members of the invoice's shop",
    refused: { as: "attacker", path: (w) => `/org/invoices/${w.victimInvoiceId}/pdf`, status: 404 },
    allowed: { as: "victimMember", path: (w) => `/org/invoices/${w.victimInvoiceId}/pdf`, status: 200 },
  },
  "org.jobs.$jobId.files.$fileId.ts": {
    access: "members of the job's shop",
    refused: {
      as: "attacker",
      path: (w) => `/org/jobs/${w.victimJobId}/files/${w.victimFileId}`,
      status: 404,
    },
    allowed: {
      as: "victimMember",
      path: (w) => `/org/jobs/${w.victimJobId}/files/${w.victimFileId}`,
      status: 200,
    },
  },
  "org.jobs.$jobId.drive.ts": {
    access: "members of the job's shop (the folder lives in the Drive of the member who created it)",
    refused: { as: "attacker", path: (w) => `/org/jobs/${w.victimJobId}/drive`, status: 404 },
    allowed: { as: "victimMember", path: (w) => `/org/jobs/${w.victimJobId}/drive`, status: 200 },
  },
  "org.jobs.$jobId.files.ts": {
    access: "members of the job's shop",
    refused: {
      as: "attacker",
      method: "POST",
      path: (w) => `/org/jobs/${w.victimJobId}/files`,
      body: multipart("file", "notes.txt"),
      status: 404,
    },
    allowed: {
      as: "victimMember",
      method: "POST",
      path: (w) => `/org/jobs/${w.victimJobId}/files`,
      body: multipart("file", "notes.txt", new TextEncoder().encode("plain notes")),
      status: 302,
      location: /\?uploaded=1$/,
    },
  },
  "org.pricing.preview.ts": {
    access: "members of the active shop",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/org/pricing/preview",
      body: multipart("model", "part.stl", STL),
      status: 302,
      location: /^\/sign-in\?/,
    },
    allowed: { elsewhere: "apps/web/test/sliced-quote.e2e.test.ts" },
  },
  "org.schedule_.plan_.ai.ts": {
    access: "members of the active shop with AI switched on (the procedures refuse otherwise)",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/org/schedule/plan/ai",
      body: () => urlencoded({ intent: "steer", sentence: "do the Acme order first" }),
      contentType: FORM,
      status: 302,
      location: /^\/sign-in\?/,
    },
    allowed: { elsewhere: "apps/web/test/plan-steering.e2e.test.ts" },
  },
  "org.profile.logo.ts": {
    access: "owners and admins of the active shop",
    refused: {
      as: "victimMember",
      method: "POST",
      path: () => "/org/profile/logo",
      body: multipart("logo", "logo.png", PNG),
      status: 403,
    },
    allowed: {
      as: "victimOwner",
      method: "POST",
      path: () => "/org/profile/logo",
      body: multipart("logo", "logo.png", PNG),
      status: 302,
      location: /\?logo=saved#logo$/,
    },
  },
  "portal.$token.pdf.ts": {
    access: "the holder of the portal link's token (an invoice)",
    // A real link of the shop, to an estimate: it opens no invoice PDF.
    refused: { as: "anonymous", path: (w) => `/portal/${w.estimateToken}/pdf`, status: 404 },
    allowed: { as: "anonymous", path: (w) => `/portal/${w.invoiceToken}/pdf`, status: 200 },
  },
  "portal.$token.proof.ts": {
    access: "the holder of the portal link's token (a proof document only)",
    // A real link of the shop, to an estimate: it opens no proof file.
    refused: { as: "anonymous", path: (w) => `/portal/${w.estimateToken}/proof`, status: 404 },
    allowed: { as: "anonymous", path: (w) => `/portal/${w.proofToken}/proof`, status: 200 },
  },
  "preferences.theme.ts": {
    access: "public: sets the visitor's own theme cookie",
    refused: null,
    allowed: {
      as: "anonymous",
      method: "POST",
      path: () => "/preferences/theme",
      body: () => urlencoded({ theme: "dark" }),
      contentType: FORM,
      status: 302,
    },
  },
  "quote.$uploadId.model.ts": {
    access: "the upload's owner (account or upload-session cookie)",
    refused: { as: "attacker", path: (w) => `/quote/${w.customerUploadId}/model`, status: 404 },
    allowed: { as: "victimCustomer", path: (w) => `/quote/${w.customerUploadId}/model`, status: 200 },
  },
  "quote.upload.ts": {
    access: "public: anyone may upload a model to get quotes",
    refused: null,
    allowed: {
      as: "victimCustomer",
      method: "POST",
      path: () => "/quote/upload",
      body: multipart("file", "part.stl", STL),
      accept: "application/json",
      status: 200,
    },
  },
  "sign-out.ts": {
    access: "public: ends the caller's own session",
    refused: null,
    allowed: { elsewhere: "apps/web/test/request-edges.e2e.test.ts" },
  },
  "support.leave.ts": {
    access: "a platform admin leaving their own session's support view",
    refused: { as: "attacker", method: "POST", path: () => "/support/leave", status: 404 },
    // Leaving needs an open support view (a shop's grant, the admin console): the procedure's tests.
    allowed: { elsewhere: "packages/api/src/admin/support.db.test.ts" },
  },
  "sign-in.google.ts": {
    access: "public: starts Google sign-in",
    refused: null,
    // Without a Google client (the test host) the action answers 404; a GET goes to the sign-in page.
    allowed: { as: "anonymous", path: () => "/sign-in/google", status: 302, location: /^\/sign-in$/ },
  },
  "widget[.]js.ts": {
    access: "public: the widget's loader script",
    refused: null,
    allowed: { as: "anonymous", path: () => "/widget.js", status: 200 },
  },
};

/** Resource route files without an entry in RESOURCE_ROUTES, and entries without a file. */
export function uncoveredResourceRoutes(files = resourceRouteFiles()): {
  missing: string[];
  stale: string[];
} {
  const listed = Object.keys(RESOURCE_ROUTES);
  return {
    missing: files.filter((f) => !listed.includes(f)),
    stale: listed.filter((f) => !files.includes(f)),
  };
}
