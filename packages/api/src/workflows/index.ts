/** What the web app's resource routes use directly (everything else goes through the router). */
export { handleStripeWebhook } from "./payment-events.ts";
export { completeTestPayment } from "./test-payment.ts";
