import { randomBytes, timingSafeEqual } from "node:crypto";
import { newId, type OrderAddress, type OrderStatus } from "@ktizo/db";
import type { ModelAnalysis } from "@ktizo/quote";
import { type PaymentsService, ProviderError, type Services, type StorageService } from "@ktizo/services";
import { z } from "zod";
import type { CustomerNotifying, Executor } from "../kernel/index.ts";
import { badRequest, enforceRateLimit, notFound } from "../kernel/index.ts";
import { calibrationCorrections } from "../shop/calibration.ts";
import { getPublicShop, getPublicWidget } from "../shop/public.ts";
import { uploadSlices } from "../shop/slices.ts";
import { addressInput } from "./cart.ts";
import {
  guestOrderPath,
  ORDER_STATUS_LABELS,
  type OrderTimelineEntry,
  orderTimeline,
  type UploadOwner,
  uploadSessionIdSchema,
} from "./common.ts";
import { settleOwedRefund } from "./order-state.ts";
import { syncOrderFromJob } from "./order-status-sync.ts";
import { placeOrder, shippingOptionsOf } from "./place-order.ts";
import {
  createQuote,
  getQuote,
  priceInShop,
  type QuoteOption,
  type QuoteView,
  qualitySchema,
} from "./quotes.ts";
import { createModelUpload, getUpload, type NewUpload, type UploadView } from "./uploads.ts";

/**
 * The shop's quote widget (issue 6): the page a shop embeds on its own site (/embed/quote/:shop). A
 * visitor quotes and orders as a guest: no account and no cookie (third-party cookies are blocked in
 * frames), so the page holds a random upload-session id in memory and sends it with each request.
 * Quotes and orders go through the marketplace's own functions (quote engine, stored quotes, test-mode
 * or Stripe checkout, the same webhook events); only the shop's own materials are offered, and every
 * upload, quote and order is rate limited per shop and client IP.
 */

const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "Not a shop id");
const idSchema = z.string().trim().min(1).max(100);

/** An origin in canonical form (scheme://host[:port], default ports dropped), or null. */
export function canonicalOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether the page that frames the widget (`host`, as the loader reported it) is one the shop allowed. */
export function isAllowedHost(allowedOrigins: readonly string[], host: string | null | undefined): boolean {
  const origin = canonicalOrigin(host);
  if (!origin) return false;
  return allowedOrigins.some((o) => canonicalOrigin(o) === origin);
}

/**
 * The `frame-ancestors` directive for a shop's embed page: exactly its allowed origins, so a browser
 * refuses to show the widget inside any other site, whatever `host` a page claims.
 */
export function frameAncestors(allowedOrigins: readonly string[]): string {
  const list = [...new Set(allowedOrigins.map(canonicalOrigin).filter((o): o is string => o !== null))];
  return `frame-ancestors ${list.length ? list.join(" ") : "'none'"}`;
}

export interface EmbedShopView {
  slug: string;
  name: string;
  logo: string | null;
  accentColor: string;
  greeting: string;
  showPrices: boolean;
  allowedOrigins: string[];
  currency: string;
  defaultMaterialId: string | null;
  standardLeadDays: number;
  materials: { id: string; name: string; kind: string; colors: string[] }[];
  shippingOptions: { name: string; priceMinor: number; days: number | null }[];
}

async function widgetShop(db: Executor, slug: string, now: Date) {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) throw notFound("Shop not found");
  const widget = await getPublicWidget(db, parsed.data, now); // NOT_FOUND when off
  const shop = await getPublicShop(db, parsed.data, { listedOnly: false });
  return { widget, shop };
}

/** What the embed page shows before any upload. NOT_FOUND when the shop's widget is off. */
export async function getEmbedShop(db: Executor, slug: string, now: Date): Promise<EmbedShopView> {
  const { widget, shop } = await widgetShop(db, slug, now);
  return {
    slug: shop.slug,
    name: shop.name,
    logo: shop.logo,
    accentColor: widget.accentColor,
    greeting: widget.greeting,
    showPrices: widget.showPrices,
    allowedOrigins: widget.allowedOrigins,
    currency: shop.currency,
    defaultMaterialId: widget.defaultMaterialId,
    standardLeadDays: shop.standardLeadDays,
    materials: shop.materials
      .filter((m) => m.inStock)
      .map((m) => ({ id: m.id, name: m.name, kind: m.kind, colors: m.colors })),
    shippingOptions: shippingOptionsOf(shop.shippingOptions),
  };
}

/** The guest's upload session: a random id the embed page keeps in memory (no cookie in a frame). */
export function newEmbedSession(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Admits one upload through the widget before its body is read: the shop's widget must be on, and the
 * upload counts against the shop-and-client-IP limit. Returns the shop's organization id.
 */
export async function admitEmbedUpload(
  db: Executor,
  input: { slug: string; clientIp: string },
  now: Date,
): Promise<string> {
  const { shop } = await widgetShop(db, input.slug, now);
  await enforceRateLimit(db, "embedUpload", [shop.organizationId, input.clientIp], now);
  return shop.organizationId;
}

/**
 * Stores an admitted widget upload, checked and analysed exactly as the marketplace's uploads are
 * (createModelUpload), owned by the guest's upload session.
 */
export async function storeEmbedUpload(
  db: Executor,
  deps: Parameters<typeof createModelUpload>[1],
  uploadSessionId: string,
  file: NewUpload,
  options: { maxBytes: number; now: Date },
): Promise<UploadView> {
  const session = uploadSessionIdSchema.safeParse(uploadSessionId);
  if (!session.success) throw badRequest("The upload session is not valid; reload the form");
  return createModelUpload(db, deps, { userId: null, uploadSessionId: session.data }, file, options);
}

export const embedOptionsInput = z.object({
  slug: slugSchema,
  uploadSessionId: uploadSessionIdSchema,
  uploadId: idSchema,
  quantity: z.number().int().min(1, "At least one piece").max(10_000, "At most 10,000 pieces").default(1),
  quality: qualitySchema.default("standard"),
});

export interface EmbedOption {
  materialId: string;
  materialName: string;
  colors: string[];
  /** Null when the shop hides prices until a quote is asked for. */
  totalMinor: number | null;
  warnings: string[];
  /** As on the marketplace quote page: sliced (time and grams per piece) or estimated, and why. */
  basis: QuoteOption["basis"];
  sliced: QuoteOption["sliced"];
  sliceNote: string | null;
}

export interface EmbedOptions {
  upload: {
    id: string;
    fileName: string;
    analysis: Pick<ModelAnalysis, "volumeMm3" | "bbox" | "watertight">;
  };
  currency: string;
  options: EmbedOption[];
}

/** The shop's materials that can make the guest's model, priced on the server (rate limited). */
export async function embedOptions(
  db: Executor,
  input: z.input<typeof embedOptionsInput>,
  clientIp: string,
  now: Date,
): Promise<EmbedOptions> {
  const f = embedOptionsInput.parse(input);
  const { widget, shop } = await widgetShop(db, f.slug, now);
  const upload = await getUpload(db, { userId: null, uploadSessionId: f.uploadSessionId }, f.uploadId);
  await enforceRateLimit(db, "embedQuote", [shop.organizationId, clientIp], now);
  const priced = priceInShop(shop, upload.analysis, {
    quantity: f.quantity,
    quality: f.quality,
    rush: false,
    slices: await uploadSlices(db, upload.id),
    corrections: await calibrationCorrections(db, shop.organizationId),
  });
  const preferred = (a: { materialId: string }) => (a.materialId === widget.defaultMaterialId ? 0 : 1);
  return {
    upload: {
      id: upload.id,
      fileName: upload.fileName,
      analysis: {
        volumeMm3: upload.analysis.volumeMm3,
        bbox: upload.analysis.bbox,
        watertight: upload.analysis.watertight,
      },
    },
    currency: shop.currency,
    options: priced
      .map((p) => ({
        materialId: p.materialId,
        materialName: p.materialName,
        colors: p.colors,
        totalMinor: widget.showPrices ? p.totalMinor : null,
        warnings: p.warnings,
        basis: p.basis,
        sliced: p.sliced,
        sliceNote: p.sliceNote,
      }))
      .sort((a, b) => preferred(a) - preferred(b)),
  };
}

export const embedQuoteInput = z.object({
  slug: slugSchema,
  uploadSessionId: uploadSessionIdSchema,
  uploadId: idSchema,
  materialId: idSchema,
  color: z.string().trim().max(40).nullable().default(null),
  quality: qualitySchema.default("standard"),
  quantity: z.number().int().min(1, "At least one piece").max(10_000, "At most 10,000 pieces"),
});

/** Prices the guest's choice on the server and stores it as a marketplace quote (rate limited). */
export async function embedQuote(
  db: Executor,
  input: z.input<typeof embedQuoteInput>,
  clientIp: string,
  now: Date,
): Promise<QuoteView> {
  const f = embedQuoteInput.parse(input);
  const { shop } = await widgetShop(db, f.slug, now);
  const owner = { userId: null, uploadSessionId: f.uploadSessionId };
  await getUpload(db, owner, f.uploadId); // NOT_FOUND before anything is counted or stored
  await enforceRateLimit(db, "embedQuote", [shop.organizationId, clientIp], now);
  return createQuote(
    db,
    owner,
    {
      uploadId: f.uploadId,
      shopSlug: shop.slug,
      materialId: f.materialId,
      color: f.color,
      quality: f.quality,
      quantity: f.quantity,
      rush: false,
    },
    now,
    shop,
  );
}

export const embedCheckoutInput = z.object({
  slug: slugSchema,
  uploadSessionId: uploadSessionIdSchema,
  quoteId: idSchema,
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  address: addressInput,
  shippingOption: z.string().trim().min(1, "Choose a shipping option").max(120),
});

export interface EmbedCheckoutResult {
  orderId: string;
  number: number;
  /** The guest's token for the order page; the same link is emailed. */
  token: string;
  statusPath: string;
  /** Where to pay: Stripe's page, or in test mode the guest's order page with the simulated payment. */
  checkoutUrl: string;
  testMode: boolean;
  totalMinor: number;
  currency: string;
}

/**
 * A guest order from one stored quote of the widget: email and shipping address instead of an account.
 * The order pays exactly the quoted total plus the chosen shipping; an expired quote stops checkout.
 * Payment goes through the same payments service and webhook events as the marketplace; the paid order
 * becomes a job on the shop's board there (fulfilPaidOrder).
 */
export async function embedCheckout(
  db: Executor,
  payments: Pick<PaymentsService, "createCheckout" | "provider" | "platformFeeBps">,
  input: z.input<typeof embedCheckoutInput>,
  clientIp: string,
  baseUrl: string,
  now: Date,
): Promise<EmbedCheckoutResult> {
  const f = embedCheckoutInput.parse(input);
  const { shop } = await widgetShop(db, f.slug, now);
  const quote = await getQuote(db, { userId: null, uploadSessionId: f.uploadSessionId }, f.quoteId, now);
  if (quote.organizationId !== shop.organizationId) throw notFound("Quote not found");
  const token = randomBytes(24).toString("base64url");
  const placed = await placeOrder(
    db,
    payments,
    {
      shop,
      quotes: [quote],
      shippingOption: f.shippingOption,
      address: f.address,
      buyer: { userId: null, name: f.address.name, email: f.email },
      source: "widget",
      guestAccessToken: token,
      note: "Ordered through the shop's website",
      returnTo: (orderId) => {
        const path = guestOrderPath(orderId, token);
        return { success: `${path}&paid=1`, cancel: path };
      },
      baseUrl,
      admit: () => enforceRateLimit(db, "embedCheckout", [shop.organizationId, clientIp], now),
    },
    now,
  );
  const statusPath = guestOrderPath(placed.orderId, token);
  const testMode = payments.provider === "test-mode";
  return {
    orderId: placed.orderId,
    number: placed.number,
    token,
    statusPath,
    // The marketplace's test payment page is for signed-in buyers; a guest's order page (token link)
    // offers the simulated payment instead.
    checkoutUrl: testMode ? statusPath : placed.checkoutUrl,
    testMode,
    totalMinor: placed.totalMinor,
    currency: placed.currency,
  };
}

export const guestOrderInput = z.object({ orderId: idSchema, token: z.string().trim().min(20).max(200) });

export interface GuestOrderView {
  id: string;
  number: number;
  status: OrderStatus;
  statusLabel: string;
  paid: boolean;
  shop: { name: string; slug: string };
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  shippingOption: { name: string; priceMinor: number; days: number | null };
  shippingAddress: OrderAddress;
  customerEmail: string;
  checkoutSessionId: string | null;
  lines: { description: string; quantity: number; totalMinor: number }[];
  timeline: OrderTimelineEntry[];
  createdAt: Date;
}

function sameToken(stored: string | null, given: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A guest order, for whoever holds its token (the link in the guest's email). NOT_FOUND otherwise. */
export async function getGuestOrder(
  db: Executor,
  services: Pick<Services, "mail" | "payments"> & CustomerNotifying,
  input: z.input<typeof guestOrderInput>,
  now: Date,
): Promise<GuestOrderView> {
  const f = guestOrderInput.parse(input);
  const owned = await db
    .selectFrom("marketplaceOrder")
    .select(["id", "guestAccessToken"])
    .where("id", "=", f.orderId)
    .where("userId", "is", null)
    .executeTakeFirst();
  if (!owned || !sameToken(owned.guestAccessToken, f.token)) throw notFound("Order not found");
  try {
    await syncOrderFromJob(db, services.customerNotifier, owned.id, now, services.payments);
    await settleOwedRefund(db, services, owned.id, now);
  } catch (e) {
    // A refused refund is tried again next time; the guest still sees the order.
    if (!(e instanceof ProviderError)) throw e;
  }
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .selectAll("o")
    .select(["g.name as shopName", "g.slug as shopSlug"])
    .where("o.id", "=", owned.id)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom("orderLine")
    .select(["description", "quantity", "totalMinor"])
    .where("orderId", "=", o.id)
    .orderBy("position")
    .execute();
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    statusLabel: ORDER_STATUS_LABELS[o.status],
    paid: o.paidAt !== null,
    shop: { name: o.shopName, slug: o.shopSlug },
    currency: o.currency,
    subtotalMinor: o.subtotalMinor,
    shippingMinor: o.shippingMinor,
    taxMinor: o.taxMinor,
    totalMinor: o.totalMinor,
    shippingOption: o.shippingOption,
    shippingAddress: o.shippingAddress,
    customerEmail: o.customerEmail,
    checkoutSessionId: o.checkoutSessionId,
    lines,
    timeline: await orderTimeline(db, o.id),
    createdAt: o.createdAt,
  };
}

/**
 * "Continue on Ktizo": a copy of the guest's widget upload (its own stored file) for the visitor's
 * first-party Ktizo session or account, so the marketplace's quote page can show it while the widget
 * keeps working with the original. Only the guest's upload session can copy its upload.
 */
export async function copyEmbedUpload(
  db: Executor,
  storage: Pick<StorageService, "get" | "put" | "delete">,
  from: string,
  to: UploadOwner,
  uploadId: string,
  now: Date,
): Promise<{ uploadId: string }> {
  const source = uploadSessionIdSchema.safeParse(from);
  if (!source.success) throw notFound("Upload not found");
  const owned = await getUpload(db, { userId: null, uploadSessionId: source.data }, uploadId);
  const row = await db
    .selectFrom("modelUpload")
    .select(["contentType"])
    .where("id", "=", owned.id)
    .executeTakeFirstOrThrow();
  const file = await storage.get(owned.storageKey);
  if (!file) throw notFound("Upload not found");
  const stored = await storage.put({
    bytes: new Uint8Array(file.bytes),
    contentType: row.contentType,
    fileName: owned.fileName,
  });
  const id = newId("upl");
  try {
    await db
      .insertInto("modelUpload")
      .values({
        id,
        userId: to.userId,
        uploadSessionId: to.userId ? null : (to.uploadSessionId ?? null),
        storageKey: stored.key,
        fileName: owned.fileName,
        contentType: row.contentType,
        sizeBytes: stored.size,
        analysis: JSON.stringify(owned.analysis),
        createdAt: now,
      })
      .execute();
  } catch (e) {
    await storage.delete(stored.key).catch(() => undefined);
    throw e;
  }
  return { uploadId: id };
}
