import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/** The demo world a case runs in: the victim is Northside Print Lab; the attacker is another shop's owner. */
export interface AccessWorld {
  victimJobId: string;
  victimFileId: string;
}

export type Caller = "anonymous" | "attacker" | "victimMember";

export interface ResourceAccessCase {
  /** Who may use the route, in words (the table is read by people too). */
  access: string;
  /** The request a caller who must not get the object makes; null: public, nothing to refuse. */
  refused: {
    as: Caller;
    method?: "GET" | "POST";
    path: (w: AccessWorld) => string;
    body?: () => FormData | string;
    contentType?: string;
    /** The status (and for a redirect, where it goes) the refusal answers. */
    status: number;
    location?: RegExp;
  } | null;
}

const multipart = (field: string, name: string) => () => {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array([1, 2, 3])]), name);
  form.append("kind", "other");
  return form;
};

export const RESOURCE_ROUTES: Record<string, ResourceAccessCase> = {
  "account.privacy.export.$id.ts": {
    access: "the signed-in requester of the export",
    refused: { as: "attacker", path: () => "/account/privacy/export/exp_someone_else", status: 404 },
  },
  "api.auth.$.ts": { access: "public: better-auth's own handler (rate limits, lockout)", refused: null },
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
  },
  "api.webhooks.twilio.ts": {
    access: "Twilio, by the request's X-Twilio-Signature over the exact URL and parameters",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/api/webhooks/twilio",
      body: () =>
        new URLSearchParams({
          MessageSid: `SM${"f".repeat(32)}`,
          From: "+447911123456",
          To: "+14155552671",
          Body: "YES",
        }).toString(),
      contentType: "application/x-www-form-urlencoded",
      status: 403,
    },
  },
  "embed.continue.ts": {
    access: "a visitor holding the widget upload's session id",
    refused: {
      as: "attacker",
      method: "POST",
      path: () => "/embed/continue",
      body: () => new URLSearchParams({ session: "not-the-owners-session", uploadId: "upl_x" }).toString(),
      contentType: "application/x-www-form-urlencoded",
      status: 404,
    },
  },
  "embed.upload.$slug.ts": {
    access: "public: a shop's widget with the widget switched on",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/embed/upload/no-such-shop",
      body: multipart("model", "part.stl"),
      status: 404,
    },
  },
  "logos.$logoId.ts": {
    access: "public: a shop's current logo",
    refused: { as: "anonymous", path: () => "/logos/logo_none", status: 404 },
  },
  "orders.$orderId.attachments.$messageId.ts": {
    access: "the customer of the order",
    refused: { as: "attacker", path: () => "/orders/ord_x/attachments/msg_x", status: 404 },
  },
  "orders.$orderId.files.$fileId.ts": {
    access: "the signed-in customer of the order, for files the shop shared",
    refused: { as: "attacker", path: (w) => `/orders/ord_x/files/${w.victimFileId}`, status: 404 },
  },
  "orders.shop.$orderId.attachments.$messageId.ts": {
    access: "members of the shop fulfilling the order",
    refused: { as: "attacker", path: () => "/orders/shop/ord_x/attachments/msg_x", status: 404 },
  },
  "orders.shop.$orderId.reply-draft.ts": {
    access: "members of the shop fulfilling the order, with AI switched on",
    refused: {
      as: "attacker",
      method: "POST",
      path: () => "/orders/shop/ord_x/reply-draft",
      body: () => new URLSearchParams({ intent: "suggest" }).toString(),
      contentType: "application/x-www-form-urlencoded",
      status: 404,
    },
  },
  "org.export.customers.ts": {
    access: "members of the active shop (their own shop's rows only)",
    refused: { as: "anonymous", path: () => "/org/export/customers", status: 302, location: /^\/sign-in\?/ },
  },
  "org.export.jobs.ts": {
    access: "members of the active shop (their own shop's rows only)",
    refused: { as: "anonymous", path: () => "/org/export/jobs", status: 302, location: /^\/sign-in\?/ },
  },
  "org.reports.export.ts": {
    access: "owners and admins of the active shop (their own shop's invoices only)",
    refused: { as: "anonymous", path: () => "/org/reports/export", status: 302, location: /^\/sign-in\?/ },
  },
  "org.invoices.$invoiceId.pdf.ts": {
    access: "members of the invoice's shop",
    refused: { as: "attacker", path: () => "/org/invoices/inv_someone_else/pdf", status: 404 },
  },
  "org.jobs.$jobId.files.$fileId.ts": {
    access: "members of the job's shop",
    refused: {
      as: "attacker",
      path: (w) => `/org/jobs/${w.victimJobId}/files/${w.victimFileId}`,
      status: 404,
    },
  },
  "org.jobs.$jobId.drive.ts": {
    access: "members of the job's shop (the folder lives in the Drive of the member who created it)",
    refused: { as: "attacker", path: (w) => `/org/jobs/${w.victimJobId}/drive`, status: 404 },
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
  },
  "org.pricing.preview.ts": {
    access: "members of the active shop",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/org/pricing/preview",
      body: multipart("model", "part.stl"),
      status: 302,
      location: /^\/sign-in\?/,
    },
  },
  "org.schedule_.plan_.ai.ts": {
    access: "members of the active shop with AI switched on (the procedures refuse otherwise)",
    refused: {
      as: "anonymous",
      method: "POST",
      path: () => "/org/schedule/plan/ai",
      body: () => new URLSearchParams({ intent: "steer", sentence: "do the Acme order first" }).toString(),
      contentType: "application/x-www-form-urlencoded",
      status: 302,
      location: /^\/sign-in\?/,
    },
  },
  "org.profile.logo.ts": {
    access: "owners and admins of the active shop",
    refused: {
      as: "victimMember",
      method: "POST",
      path: () => "/org/profile/logo",
      body: multipart("logo", "logo.png"),
      status: 403,
    },
  },
  "portal.$token.pdf.ts": {
    access: "the holder of the portal link's token",
    refused: { as: "anonymous", path: () => "/portal/not-a-token/pdf", status: 404 },
  },
  "portal.$token.proof.ts": {
    access: "the holder of the portal link's token (a proof document only)",
    refused: { as: "anonymous", path: () => "/portal/not-a-token/proof", status: 404 },
  },
  "preferences.theme.ts": { access: "public: sets the visitor's own theme cookie", refused: null },
  "quote.$uploadId.model.ts": {
    access: "the upload's owner (account or upload-session cookie)",
    refused: { as: "attacker", path: () => "/quote/upl_someone_else/model", status: 404 },
  },
  "quote.upload.ts": { access: "public: anyone may upload a model to get quotes", refused: null },
  "sign-out.ts": { access: "public: ends the caller's own session", refused: null },
  "support.leave.ts": {
    access: "a platform admin leaving their own session's support view",
    refused: { as: "attacker", method: "POST", path: () => "/support/leave", status: 404 },
  },
  "sign-in.google.ts": { access: "public: starts Google sign-in", refused: null },
  "widget[.]js.ts": { access: "public: the widget's loader script", refused: null },
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
