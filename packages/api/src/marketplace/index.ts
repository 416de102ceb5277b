/** What the web app's resource routes and the start-up seed use directly (everything else goes through the router). */
export { ORDER_STATUS_LABELS, type UploadOwner, uploadSessionIdSchema } from "./common.ts";
export {
  admitEmbedUpload,
  canonicalOrigin,
  copyEmbedUpload,
  type EmbedShopView,
  frameAncestors,
  isAllowedHost,
  newEmbedSession,
  storeEmbedUpload,
} from "./embed.ts";
export {
  convertForComparison,
  exchangeRatesJob,
  ratesForComparison,
  refreshExchangeRates,
  storedRates,
} from "./exchange-rates.ts";
export { getMessageAttachment } from "./messages.ts";
export { quoteOptions } from "./quotes.ts";
export { getShopPage, searchShops } from "./search.ts";
export { optionDeliversTo } from "./shipping.ts";
export {
  admitMarketplaceUpload,
  claimUploads,
  createModelUpload,
  getUploadFile,
  type ModelUploadDeps,
  type NewUpload,
  type UploadView,
} from "./uploads.ts";
