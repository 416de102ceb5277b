import { newId, type OrderAddress, type ShippingOption } from "@ktizo/db";
import type { PaymentsService } from "@ktizo/services";
import { z } from "zod";
import type { Executor } from "../kernel/index.ts";
import { DomainError, notFound } from "../kernel/index.ts";
import type { Customer } from "./common.ts";
import { placeOrder, shippingOptionsOf } from "./place-order.ts";
import { type QuoteView, readQuotes } from "./quotes.ts";

export const addressInput = z.object({
  name: z.string().trim().min(1, "Who receives the parcel?").max(120),
  line1: z.string().trim().min(1, "Enter the street address").max(200),
  line2: z.string().trim().max(200).nullable().default(null),
  city: z.string().trim().min(1, "Enter the city").max(120),
  postalCode: z.string().trim().min(1, "Enter the postal code").max(20),
  region: z.string().trim().max(120).nullable().default(null),
  country: z.string().trim().toUpperCase().length(2, "Use a two-letter country code"),
});

export async function saveAddress(db: Executor, customer: Customer, input: z.infer<typeof addressInput>) {
  const id = newId("adr");
  await db
    .insertInto("shippingAddress")
    .values({ id, userId: customer.userId, ...input })
    .execute();
  return { id, ...input };
}

export async function listAddresses(db: Executor, customer: Customer) {
  return db
    .selectFrom("shippingAddress")
    .select(["id", "name", "line1", "line2", "city", "postalCode", "region", "country"])
    .where("userId", "=", customer.userId)
    .orderBy("createdAt", "desc")
    .execute();
}

export async function deleteAddress(db: Executor, customer: Customer, id: string) {
  const r = await db
    .deleteFrom("shippingAddress")
    .where("id", "=", id)
    .where("userId", "=", customer.userId)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound("Address not found");
  return { id };
}

/**
 * Adds a stored quote (for one of the customer's uploads) to the cart of the quote's shop; a quote in
 * another currency than the shop's current one is refused.
 */
export async function addToCart(db: Executor, customer: Customer, quoteId: string) {
  const quote = await db
    .selectFrom("marketplaceQuote as q")
    .innerJoin("modelUpload as u", "u.id", "q.uploadId")
    .innerJoin("organizationProfile as p", "p.organizationId", "q.organizationId")
    .innerJoin("organization as g", "g.id", "q.organizationId")
    .select(["q.id", "q.organizationId", "q.currency", "p.currency as shopCurrency", "g.name as shopName"])
    .where("q.id", "=", quoteId)
    .where("u.userId", "=", customer.userId)
    .executeTakeFirst();
  if (!quote) throw notFound("Quote not found");
  if (quote.currency.toUpperCase() !== quote.shopCurrency.toUpperCase()) {
    // A cart holds one currency per shop: the shop's current one.
    throw new DomainError(
      "PRECONDITION_FAILED",
      `This quote is in ${quote.currency.toUpperCase()}, but ${quote.shopName} now charges in ` +
        `${quote.shopCurrency.toUpperCase()}: ask for a new quote`,
    );
  }
  await db
    .insertInto("cartItem")
    .values({ id: newId("crt"), userId: customer.userId, organizationId: quote.organizationId, quoteId })
    .onConflict((oc) => oc.columns(["userId", "quoteId"]).doNothing())
    .execute();
  return { quoteId };
}

export async function removeFromCart(db: Executor, customer: Customer, quoteId: string) {
  const r = await db
    .deleteFrom("cartItem")
    .where("userId", "=", customer.userId)
    .where("quoteId", "=", quoteId)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound("Not in your cart");
  return { quoteId };
}

export interface ShopCart {
  organizationId: string;
  shopName: string;
  shopSlug: string;
  currency: string;
  items: QuoteView[];
  subtotalMinor: number;
  taxMinor: number;
  /** Quotes total (each quote's own total, tax included) before shipping. */
  itemsTotalMinor: number;
  /** Each option with the countries it delivers to (empty: the shop's own country, `shopCountry`). */
  shippingOptions: ShippingOption[];
  shopCountry: string;
  /** An expired quote (or one in another currency than the shop's) blocks checkout until re-quoted. */
  hasExpired: boolean;
}

/** The customer's cart, one per shop. */
export async function getCart(db: Executor, customer: Customer, now: Date): Promise<ShopCart[]> {
  const items = await db
    .selectFrom("cartItem")
    .select(["quoteId", "organizationId"])
    .where("userId", "=", customer.userId)
    .orderBy("createdAt")
    .execute();
  const quotes = await readQuotes(
    db,
    items.map((i) => i.quoteId),
    now,
  );
  const carts = new Map<string, ShopCart>();
  for (const q of quotes) {
    let cart = carts.get(q.organizationId);
    if (!cart) {
      const s = await db
        .selectFrom("shopSettings as s")
        .innerJoin("organizationProfile as p", "p.organizationId", "s.organizationId")
        .select(["s.shippingOptions", "p.country", "p.currency"])
        .where("s.organizationId", "=", q.organizationId)
        .executeTakeFirst();
      cart = {
        organizationId: q.organizationId,
        shopName: q.shopName,
        shopSlug: q.shopSlug,
        // One currency per order: the shop's current one; a quote in another blocks checkout.
        currency: s?.currency ?? q.currency,
        items: [],
        subtotalMinor: 0,
        taxMinor: 0,
        itemsTotalMinor: 0,
        shippingOptions: shippingOptionsOf(s?.shippingOptions ?? []),
        shopCountry: s?.country ?? "",
        hasExpired: false,
      };
      carts.set(q.organizationId, cart);
    }
    cart.items.push(q);
    cart.subtotalMinor += q.breakdown.subtotalMinor;
    cart.taxMinor += q.breakdown.taxMinor;
    cart.itemsTotalMinor += q.totalMinor;
    cart.hasExpired ||= q.expired || q.currency.toUpperCase() !== cart.currency.toUpperCase();
  }
  return [...carts.values()];
}

export const checkoutInput = z
  .object({
    organizationId: z.string().min(1).max(100),
    addressId: z.string().min(1).max(100).optional(),
    address: addressInput.optional(),
    shippingOption: z.string().trim().min(1, "Choose a shipping option").max(120),
  })
  .refine((v) => (v.addressId === undefined) !== (v.address === undefined), {
    message: "Choose a saved address or enter one",
    path: ["addressId"],
  });

/**
 * Turns the cart of one shop into an order awaiting payment and opens the payment page (placeOrder):
 * exactly the quoted totals plus the chosen shipping, in the shop's currency; an expired quote or one
 * in another currency stops checkout (re-quote required), never a silently different price.
 */
export async function checkout(
  db: Executor,
  payments: Pick<PaymentsService, "createCheckout" | "platformFeeBps">,
  customer: Customer,
  input: z.input<typeof checkoutInput>,
  /** The app's origin, for the payment page's return links. */
  baseUrl: string,
  now: Date,
): Promise<{ orderId: string; checkoutUrl: string }> {
  const f = checkoutInput.parse(input);
  const carts = await getCart(db, customer, now);
  const cart = carts.find((c) => c.organizationId === f.organizationId);
  if (!cart) throw notFound("Your cart for this shop is empty");
  let address: OrderAddress;
  if (f.addressId) {
    const saved = (await listAddresses(db, customer)).find((a) => a.id === f.addressId);
    if (!saved) throw notFound("Address not found");
    const { id: _id, ...rest } = saved;
    address = rest;
  } else {
    address = f.address as OrderAddress;
  }
  const placed = await placeOrder(
    db,
    payments,
    {
      shop: {
        organizationId: cart.organizationId,
        name: cart.shopName,
        country: cart.shopCountry,
        currency: cart.currency,
        shippingOptions: cart.shippingOptions,
      },
      quotes: cart.items,
      shippingOption: f.shippingOption,
      address,
      buyer: { userId: customer.userId, name: customer.name, email: customer.email },
      source: "marketplace",
      guestAccessToken: null,
      note: null,
      returnTo: (orderId) => ({ success: `/orders/${orderId}?paid=1`, cancel: `/orders/${orderId}` }),
      baseUrl,
      alsoInTransaction: async (trx) => {
        await trx
          .deleteFrom("cartItem")
          .where("userId", "=", customer.userId)
          .where("organizationId", "=", cart.organizationId)
          .execute();
      },
    },
    now,
  );
  return { orderId: placed.orderId, checkoutUrl: placed.checkoutUrl };
}
