import { newId, type OrderAddress, type ShippingOption } from "@ktizo/db";
import type { PaymentsService } from "@ktizo/services";
import { z } from "zod";
import { badRequest, DomainError, notFound } from "../errors.ts";
import { type Executor, inTransaction } from "../shop/common.ts";
import { type Customer, recordOrderEvent } from "./common.ts";
import { checkoutTransfer, orderPaymentTerms } from "./payouts.ts";
import { type QuoteView, readQuotes } from "./quotes.ts";
import { optionDeliversTo } from "./shipping.ts";

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

/** Adds a stored quote (for one of the customer's uploads) to the cart of the quote's shop. */
export async function addToCart(db: Executor, customer: Customer, quoteId: string) {
  const quote = await db
    .selectFrom("marketplaceQuote as q")
    .innerJoin("modelUpload as u", "u.id", "q.uploadId")
    .select(["q.id", "q.organizationId"])
    .where("q.id", "=", quoteId)
    .where("u.userId", "=", customer.userId)
    .executeTakeFirst();
  if (!quote) throw notFound("Quote not found");
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
  /** An expired quote blocks checkout until the customer asks for a new quote. */
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
        .select(["s.shippingOptions", "p.country"])
        .where("s.organizationId", "=", q.organizationId)
        .executeTakeFirst();
      cart = {
        organizationId: q.organizationId,
        shopName: q.shopName,
        shopSlug: q.shopSlug,
        currency: q.currency,
        items: [],
        subtotalMinor: 0,
        taxMinor: 0,
        itemsTotalMinor: 0,
        shippingOptions: s?.shippingOptions.length
          ? s.shippingOptions
          : [{ name: "Standard shipping", priceMinor: 0, days: null }],
        shopCountry: s?.country ?? "",
        hasExpired: false,
      };
      carts.set(q.organizationId, cart);
    }
    cart.items.push(q);
    cart.subtotalMinor += q.breakdown.subtotalMinor;
    cart.taxMinor += q.breakdown.taxMinor;
    cart.itemsTotalMinor += q.totalMinor;
    cart.hasExpired ||= q.expired;
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
 * Turns the cart of one shop into an order awaiting payment and opens the payment page. The order pays
 * exactly the quoted totals plus the chosen shipping; an expired quote stops checkout (re-quote
 * required), never a silently different price. Payment state then comes only from webhooks.
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
  if (cart.hasExpired) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "A quote in your cart has expired: ask for a new quote first",
    );
  }
  const shipping = cart.shippingOptions.find((o) => o.name === f.shippingOption);
  if (!shipping)
    throw badRequest("Choose one of the shop's shipping options", { shippingOption: "Not offered" });
  let address: OrderAddress;
  if (f.addressId) {
    const saved = (await listAddresses(db, customer)).find((a) => a.id === f.addressId);
    if (!saved) throw notFound("Address not found");
    const { id: _id, ...rest } = saved;
    address = rest;
  } else {
    address = f.address as OrderAddress;
  }
  if (!optionDeliversTo(shipping, cart.shopCountry, address.country)) {
    const elsewhere = cart.shippingOptions.filter((o) =>
      optionDeliversTo(o, cart.shopCountry, address.country),
    );
    throw badRequest(
      `${cart.shopName} does not deliver "${shipping.name}" to ${address.country}` +
        (elsewhere.length
          ? `: choose ${elsewhere.map((o) => `"${o.name}"`).join(" or ")}`
          : ": this shop does not ship to that country"),
      { shippingOption: "Not delivered to this country" },
    );
  }
  const orderId = newId("ord");
  const totalMinor = cart.itemsTotalMinor + shipping.priceMinor;
  const terms = await orderPaymentTerms(db, payments, cart.organizationId, totalMinor);
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("marketplaceOrder")
      .values({
        id: orderId,
        userId: customer.userId,
        organizationId: cart.organizationId,
        checkoutId: newId("chk"),
        status: "pending_payment",
        currency: cart.currency,
        subtotalMinor: cart.subtotalMinor,
        shippingMinor: shipping.priceMinor,
        taxMinor: cart.taxMinor,
        totalMinor,
        ...terms,
        shippingOption: JSON.stringify(shipping),
        shippingAddress: JSON.stringify(address),
        customerName: customer.name,
        customerEmail: customer.email,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto("orderLine")
      .values(
        cart.items.map((q, position) => ({
          id: newId("oln"),
          orderId,
          quoteId: q.id,
          uploadId: q.uploadId,
          position,
          description: `${q.fileName} in ${q.materialName}${q.color ? ` (${q.color})` : ""}`,
          materialId: q.materialId,
          color: q.color,
          quantity: q.quantity,
          totalMinor: q.totalMinor,
          gramsPerUnit: q.gramsPerUnit,
          minutesPerUnit: q.minutesPerUnit,
        })),
      )
      .execute();
    await recordOrderEvent(trx, orderId, "pending_payment", null, now);
    await trx
      .deleteFrom("cartItem")
      .where("userId", "=", customer.userId)
      .where("organizationId", "=", cart.organizationId)
      .execute();
  });
  const session = await payments.createCheckout({
    orderId,
    amountMinor: totalMinor,
    currency: cart.currency,
    customerEmail: customer.email,
    ...checkoutTransfer(terms),
    successUrl: new URL(`/orders/${orderId}?paid=1`, baseUrl).toString(),
    cancelUrl: new URL(`/orders/${orderId}`, baseUrl).toString(),
    idempotencyKey: `order-${orderId}`,
  });
  await db
    .updateTable("marketplaceOrder")
    .set({ checkoutSessionId: session.sessionId })
    .where("id", "=", orderId)
    .execute();
  return { orderId, checkoutUrl: session.url };
}
