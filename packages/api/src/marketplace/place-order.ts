import { newId, type OrderAddress, type OrderSource, type ShippingOption } from "@ktizo/db";
import type { PaymentsService } from "@ktizo/services";
import { badRequest, DomainError, type Executor, inTransaction, notFound } from "../kernel/index.ts";
import { checkoutTransfer, orderPaymentTerms } from "../shop/payouts.ts";
import { recordOrderEvent } from "./common.ts";
import type { QuoteView } from "./quotes.ts";
import { optionDeliversTo } from "./shipping.ts";

/** The shop an order is placed with, as it is now (its currency and shipping decide the order). */
export interface OrderShop {
  organizationId: string;
  name: string;
  country: string;
  currency: string;
  /** The shop's options; empty: one free "Standard shipping". */
  shippingOptions: ShippingOption[];
}

export interface PlaceOrderInput {
  shop: OrderShop;
  /** Stored quotes the buyer owns (the caller checked ownership). */
  quotes: QuoteView[];
  shippingOption: string;
  address: OrderAddress;
  buyer: { userId: string | null; name: string; email: string };
  source: OrderSource;
  /** A guest order's status-link token (widget orders), else null. */
  guestAccessToken: string | null;
  /** The first timeline entry's note. */
  note: string | null;
  /** Where the payment page returns to, for the new order id (paths on the app's origin). */
  returnTo: (orderId: string) => { success: string; cancel: string };
  /** The app's origin, for the return links. */
  baseUrl: string;
  /** Runs once the order is valid, before anything is written (a rate limit counts only real orders). */
  admit?: () => Promise<void>;
  /** More writes in the order's transaction (a cart empties itself there). */
  alsoInTransaction?: (trx: Executor) => Promise<void>;
}

export interface PlacedOrder {
  orderId: string;
  number: number;
  checkoutUrl: string;
  totalMinor: number;
  currency: string;
}

export function shippingOptionsOf(options: ShippingOption[]): ShippingOption[] {
  return options.length ? options : [{ name: "Standard shipping", priceMinor: 0, days: null }];
}

/**
 * The one way an order is placed, from a cart or from a shop's widget: the quotes must be the shop's, in
 * the shop's current currency (one currency per order) and unexpired; the shipping option must be the
 * shop's and deliver to the address. Then the order pays exactly the quoted totals plus shipping, with
 * the shop's payment terms, and the payment page opens. Payment state then comes only from webhooks.
 */
export async function placeOrder(
  db: Executor,
  payments: Pick<PaymentsService, "createCheckout" | "platformFeeBps">,
  input: PlaceOrderInput,
  now: Date,
): Promise<PlacedOrder> {
  const { shop, quotes, address } = input;
  if (quotes.length === 0 || quotes.some((q) => q.organizationId !== shop.organizationId)) {
    throw notFound("Quote not found");
  }
  const currency = shop.currency.toUpperCase();
  const foreign = quotes.find((q) => q.currency.toUpperCase() !== currency);
  if (foreign) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${foreign.fileName} was quoted in ${foreign.currency.toUpperCase()}, but ${shop.name} now charges in ` +
        `${currency}: ask for a new quote first`,
    );
  }
  if (quotes.some((q) => q.expired)) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      quotes.length > 1
        ? "A quote in your cart has expired: ask for a new quote first"
        : "This quote has expired: ask for a new quote first",
    );
  }
  const options = shippingOptionsOf(shop.shippingOptions);
  const shipping = options.find((o) => o.name === input.shippingOption);
  if (!shipping)
    throw badRequest("Choose one of the shop's shipping options", { shippingOption: "Not offered" });
  if (!optionDeliversTo(shipping, shop.country, address.country)) {
    const elsewhere = options.filter((o) => optionDeliversTo(o, shop.country, address.country));
    throw badRequest(
      `${shop.name} does not deliver "${shipping.name}" to ${address.country}` +
        (elsewhere.length
          ? `: choose ${elsewhere.map((o) => `"${o.name}"`).join(" or ")}`
          : ": this shop does not ship to that country"),
      { shippingOption: "Not delivered to this country" },
    );
  }
  await input.admit?.();
  const orderId = newId("ord");
  const sum = (f: (q: QuoteView) => number) => quotes.reduce((total, q) => total + f(q), 0);
  const totalMinor = sum((q) => q.totalMinor) + shipping.priceMinor;
  const terms = await orderPaymentTerms(db, payments, shop.organizationId, totalMinor);
  const number = await inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("marketplaceOrder")
      .values({
        id: orderId,
        userId: input.buyer.userId,
        organizationId: shop.organizationId,
        checkoutId: newId("chk"),
        status: "pending_payment",
        currency,
        subtotalMinor: sum((q) => q.breakdown.subtotalMinor),
        shippingMinor: shipping.priceMinor,
        taxMinor: sum((q) => q.breakdown.taxMinor),
        totalMinor,
        ...terms,
        shippingOption: JSON.stringify(shipping),
        shippingAddress: JSON.stringify(address),
        customerName: input.buyer.name,
        customerEmail: input.buyer.email,
        source: input.source,
        guestAccessToken: input.guestAccessToken,
        createdAt: now,
        updatedAt: now,
      })
      .returning("number")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("orderLine")
      .values(
        quotes.map((q, position) => ({
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
          scaleUnit: q.scale.unit,
          scalePercent: q.scale.percent,
        })),
      )
      .execute();
    await recordOrderEvent(trx, orderId, "pending_payment", input.note, now);
    await input.alsoInTransaction?.(trx);
    return row.number;
  });
  const back = input.returnTo(orderId);
  const session = await payments.createCheckout({
    orderId,
    amountMinor: totalMinor,
    currency,
    customerEmail: input.buyer.email,
    ...checkoutTransfer(terms),
    successUrl: new URL(back.success, input.baseUrl).toString(),
    cancelUrl: new URL(back.cancel, input.baseUrl).toString(),
    idempotencyKey: `order-${orderId}`,
  });
  await db
    .updateTable("marketplaceOrder")
    .set({ checkoutSessionId: session.sessionId })
    .where("id", "=", orderId)
    .execute();
  return { orderId, number, checkoutUrl: session.url, totalMinor, currency };
}
