import { absoluteUrl } from "@ktizo/services";
import { z } from "zod";
import type { ApiContext, SessionInfo } from "../kernel/index.ts";
import { enforceRateLimit, notFound } from "../kernel/index.ts";
import { tracked } from "../privacy/analytics.ts";
import { connectStripe, paymentAccountStatus, refreshPaymentAccount } from "../shop/payouts.ts";
import { orgProcedure, publicProcedure, router, signedInProcedure } from "../trpc.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import {
  cancelOrder,
  confirmDelivery,
  markShipped,
  markShippedInput,
} from "../workflows/order-fulfilment.ts";
import {
  addressInput,
  addToCart,
  checkout,
  checkoutInput,
  deleteAddress,
  getCart,
  listAddresses,
  removeFromCart,
  saveAddress,
} from "./cart.ts";
import { type Customer, type UploadOwner, uploadSessionIdSchema } from "./common.ts";
import { getMyOrder, listMyOrders } from "./customer-orders.ts";
import {
  embedCheckout,
  embedCheckoutInput,
  embedOptions,
  embedOptionsInput,
  embedQuote,
  embedQuoteInput,
  getEmbedShop,
  getGuestOrder,
  guestOrderInput,
} from "./embed.ts";
import { ratesForComparison } from "./exchange-rates.ts";
import { listMessages, sendMessage, sendMessageInput } from "./messages.ts";
import { listNotifications, markNotificationsRead } from "./notifications.ts";
import * as outputs from "./outputs.ts";
import { createQuote, createQuoteInput, getQuote, quoteOptions, quoteOptionsInput } from "./quotes.ts";
import { reorder } from "./reorder.ts";
import { createReview, createReviewInput } from "./reviews.ts";
import { getShopPage, searchShops, searchShopsInput } from "./search.ts";
import { getShopOrder, listShopOrders, shopOrderInput } from "./shop-orders.ts";
import { claimUploads, listUploads } from "./uploads.ts";

const id = z.string().trim().min(1).max(100);
const orderRef = z.object({ orderId: id });
/** Anonymous visitors: the web app passes the id from the signed upload-session cookie. */
const uploadSession = z.object({ uploadSessionId: uploadSessionIdSchema.optional() });

function ownerOf(ctx: Pick<ApiContext, "session">, uploadSessionId: string | undefined): UploadOwner {
  if (ctx.session) return { userId: ctx.session.userId, uploadSessionId: uploadSessionId ?? null };
  if (!uploadSessionId) throw notFound("Upload a model first");
  return { userId: null, uploadSessionId };
}

function customerOf(session: SessionInfo): Customer {
  return { userId: session.userId, email: session.email, name: session.name };
}

const member = orgProcedure("member");

const customerSide = (s: SessionInfo) => ({ side: "customer" as const, userId: s.userId });

/** The marketplace: discovery, uploads and quotes (public), cart, checkout and orders (the customer), and
 * the shop's view of its marketplace orders. Payments are applied by the webhook route (webhooks.ts). */
export const marketplaceRouter = router({
  searchShops: publicProcedure
    .input(searchShopsInput)
    .output(outputs.searchShopsOutput)
    .query(({ ctx, input }) => searchShops(ctx.db, input)),
  shopPage: publicProcedure
    .input(z.object({ slug: id }))
    .output(outputs.shopPageOutput)
    .query(({ ctx, input }) => getShopPage(ctx.db, input.slug)),

  uploads: router({
    list: publicProcedure
      .input(uploadSession)
      .output(outputs.uploadsListOutput)
      .query(({ ctx, input }) =>
        ctx.session || input.uploadSessionId ? listUploads(ctx.db, ownerOf(ctx, input.uploadSessionId)) : [],
      ),
    claim: signedInProcedure
      .input(z.object({ uploadSessionId: uploadSessionIdSchema }))
      .output(outputs.uploadsClaimOutput)
      .mutation(({ ctx, input }) => claimUploads(ctx.db, ctx.session.userId, input.uploadSessionId)),
  }),

  quotes: router({
    options: publicProcedure
      .input(quoteOptionsInput.extend(uploadSession.shape))
      .output(outputs.quotesOptionsOutput)
      .query(async ({ ctx, input }) => {
        await enforceRateLimit(ctx.db, "marketplaceQuote", [ctx.clientIp], ctx.clock.now());
        const rates = input.currency
          ? await ratesForComparison(ctx.db, ctx.services.exchangeRates, ctx.clock.now())
          : undefined;
        return tracked(
          ctx,
          "quote_viewed",
          await quoteOptions(ctx.db, ownerOf(ctx, input.uploadSessionId), input, rates),
        );
      }),
    create: publicProcedure
      .input(createQuoteInput.extend(uploadSession.shape))
      .output(outputs.quotesCreateOutput)
      .mutation(async ({ ctx, input }) => {
        await enforceRateLimit(ctx.db, "marketplaceQuote", [ctx.clientIp], ctx.clock.now());
        return createQuote(ctx.db, ownerOf(ctx, input.uploadSessionId), input, ctx.clock.now());
      }),
    get: publicProcedure
      .input(z.object({ quoteId: id }).extend(uploadSession.shape))
      .output(outputs.quotesGetOutput)
      .query(({ ctx, input }) =>
        getQuote(ctx.db, ownerOf(ctx, input.uploadSessionId), input.quoteId, ctx.clock.now()),
      ),
  }),

  cart: router({
    get: signedInProcedure
      .output(outputs.cartGetOutput)
      .query(({ ctx }) => getCart(ctx.db, customerOf(ctx.session), ctx.clock.now())),
    add: signedInProcedure
      .input(z.object({ quoteId: id }))
      .output(outputs.cartAddOutput)
      .mutation(({ ctx, input }) => addToCart(ctx.db, customerOf(ctx.session), input.quoteId)),
    remove: signedInProcedure
      .input(z.object({ quoteId: id }))
      .output(outputs.cartRemoveOutput)
      .mutation(({ ctx, input }) => removeFromCart(ctx.db, customerOf(ctx.session), input.quoteId)),
  }),

  addresses: router({
    list: signedInProcedure
      .output(outputs.addressesListOutput)
      .query(({ ctx }) => listAddresses(ctx.db, customerOf(ctx.session))),
    save: signedInProcedure
      .input(addressInput)
      .output(outputs.addressesSaveOutput)
      .mutation(({ ctx, input }) => saveAddress(ctx.db, customerOf(ctx.session), input)),
    delete: signedInProcedure
      .input(z.object({ id }))
      .output(outputs.addressesDeleteOutput)
      .mutation(({ ctx, input }) => deleteAddress(ctx.db, customerOf(ctx.session), input.id)),
  }),

  checkout: signedInProcedure
    .input(checkoutInput)
    .output(outputs.checkoutOutput)
    .mutation(async ({ ctx, input }) =>
      tracked(
        ctx,
        "order_placed",
        await checkout(
          ctx.db,
          ctx.services.payments,
          customerOf(ctx.session),
          input,
          absoluteUrl(ctx.baseUrl, "/"),
          ctx.clock.now(),
        ),
      ),
    ),

  orders: router({
    list: signedInProcedure
      .output(outputs.ordersListOutput)
      .query(({ ctx }) => listMyOrders(ctx.db, customerOf(ctx.session))),
    get: signedInProcedure
      .input(orderRef)
      .output(outputs.ordersGetOutput)
      .query(({ ctx, input }) =>
        getMyOrder(ctx.db, notifying(ctx.services), customerOf(ctx.session), input.orderId, ctx.clock.now()),
      ),
    cancel: signedInProcedure
      .input(orderRef)
      .output(outputs.ordersCancelOutput)
      .mutation(({ ctx, input }) =>
        cancelOrder(ctx.db, ctx.services, customerOf(ctx.session), input.orderId, ctx.clock.now()),
      ),
    confirmDelivery: signedInProcedure
      .input(orderRef)
      .output(outputs.ordersConfirmDeliveryOutput)
      .mutation(({ ctx, input }) =>
        confirmDelivery(ctx.db, ctx.services, customerOf(ctx.session), input.orderId, ctx.clock.now()),
      ),
    reorder: signedInProcedure
      .input(orderRef)
      .output(outputs.ordersReorderOutput)
      .mutation(({ ctx, input }) => reorder(ctx.db, customerOf(ctx.session), input.orderId, ctx.clock.now())),
    messages: signedInProcedure
      .input(orderRef)
      .output(outputs.ordersMessagesOutput)
      .query(({ ctx, input }) =>
        listMessages(ctx.db, customerSide(ctx.session), input.orderId, ctx.clock.now()),
      ),
    sendMessage: signedInProcedure
      .input(sendMessageInput)
      .output(outputs.ordersSendMessageOutput)
      .mutation(({ ctx, input }) =>
        sendMessage(ctx.db, notifying(ctx.services), customerSide(ctx.session), input, ctx.clock.now()),
      ),
    review: signedInProcedure
      .input(createReviewInput)
      .output(outputs.ordersReviewOutput)
      .mutation(({ ctx, input }) => createReview(ctx.db, customerOf(ctx.session), input, ctx.clock.now())),
  }),

  notifications: router({
    list: signedInProcedure
      .output(outputs.notificationsListOutput)
      .query(({ ctx }) => listNotifications(ctx.db, ctx.session.userId)),
    markRead: signedInProcedure
      .output(outputs.notificationsMarkReadOutput)
      .mutation(({ ctx }) => markNotificationsRead(ctx.db, ctx.session.userId, ctx.clock.now())),
  }),

  /** A shop's quote widget on its own site: guests, no session; rate limited per shop and client IP. */
  embed: router({
    shop: publicProcedure
      .input(z.object({ slug: id }))
      .output(outputs.embedShopOutput)
      .query(({ ctx, input }) => getEmbedShop(ctx.db, input.slug, ctx.clock.now())),
    options: publicProcedure
      .input(embedOptionsInput)
      .output(outputs.embedOptionsOutput)
      .query(({ ctx, input }) => embedOptions(ctx.db, input, ctx.clientIp, ctx.clock.now())),
    quote: publicProcedure
      .input(embedQuoteInput)
      .output(outputs.embedQuoteOutput)
      .mutation(({ ctx, input }) => embedQuote(ctx.db, input, ctx.clientIp, ctx.clock.now())),
    checkout: publicProcedure
      .input(embedCheckoutInput)
      .output(outputs.embedCheckoutOutput)
      .mutation(({ ctx, input }) =>
        embedCheckout(
          ctx.db,
          ctx.services.payments,
          input,
          ctx.clientIp,
          absoluteUrl(ctx.baseUrl, "/"),
          ctx.clock.now(),
        ),
      ),
    order: publicProcedure
      .input(guestOrderInput)
      .output(outputs.embedOrderOutput)
      .query(({ ctx, input }) => getGuestOrder(ctx.db, notifying(ctx.services), input, ctx.clock.now())),
  }),

  /** The fulfilling shop's side: only its own paid orders, through an allow-listed projection. */
  shop: router({
    orders: member.output(outputs.shopOrdersOutput).query(({ ctx }) => listShopOrders(ctx.db, ctx.org.id)),
    order: member
      .input(shopOrderInput)
      .output(outputs.shopOrderOutput)
      .query(({ ctx, input }) => getShopOrder(ctx.db, ctx.org.id, input.orderId)),
    markShipped: member
      .input(markShippedInput)
      .output(outputs.shopMarkShippedOutput)
      .mutation(({ ctx, input }) =>
        markShipped(
          ctx.db,
          ctx.services,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
    messages: member
      .input(orderRef)
      .output(outputs.shopMessagesOutput)
      .query(({ ctx, input }) =>
        listMessages(
          ctx.db,
          { side: "shop", organizationId: ctx.org.id, userId: ctx.session.userId },
          input.orderId,
          ctx.clock.now(),
        ),
      ),
    sendMessage: member
      .input(sendMessageInput)
      .output(outputs.shopSendMessageOutput)
      .mutation(({ ctx, input }) =>
        sendMessage(
          ctx.db,
          notifying(ctx.services),
          { side: "shop", organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
    paymentAccount: orgProcedure("admin")
      .output(outputs.shopPaymentAccountOutput)
      .query(({ ctx }) => paymentAccountStatus(ctx.db, ctx.services.payments, ctx.org.id)),
    refreshStripeAccount: orgProcedure("admin")
      .output(outputs.shopRefreshStripeAccountOutput)
      .mutation(({ ctx }) =>
        refreshPaymentAccount(
          ctx.db,
          ctx.services.payments,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          ctx.clock.now(),
        ),
      ),
    connectStripe: orgProcedure("owner")
      .output(outputs.shopConnectStripeOutput)
      .mutation(({ ctx }) =>
        connectStripe(
          ctx.db,
          ctx.services.payments,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          { baseUrl: absoluteUrl(ctx.baseUrl, "/") },
          ctx.clock.now(),
        ),
      ),
  }),
});
