/** What the web app's resource routes use directly (everything else goes through the router). */
export { handleStripeWebhook } from "./payment-events.ts";
export { handleTwilioWebhook } from "./sms-inbound.ts";
export { completeTestPayment } from "./test-payment.ts";
