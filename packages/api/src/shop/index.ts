/**
 * What other modules (marketplace, web routes, runtime) use from the shop workspace. Procedures are in
 * router.ts; these are the plain domain functions behind them.
 */
export type { Executor, MemberActor, OrgActor, Page } from "../kernel/index.ts";
export { MAX_LOGO_BYTES, readShopLogo, removeShopLogo, setShopLogo, sniffImageType } from "./logo.ts";
export { getMaterial, listMaterials, type MaterialView } from "./materials.ts";
export { listNotifications, markNotificationsRead } from "./notifications.ts";
export { getShopPricing, pricePreviewInput, quoteForShop } from "./pricing.ts";
export {
  defaultPricingRules,
  effectivePricingModel,
  type ShopPricingRules,
  shopPricingRulesSchema,
} from "./pricing-model.ts";
export { type PollReport, pollPrinters, pollPrintersJob } from "./printer-connections.ts";
export { getPrinter, listPrinters, type PrinterView } from "./printers.ts";
export { getShopProfile, type ShopProfile } from "./profile.ts";
export {
  getPublicShop,
  getPublicWidget,
  type PublicShop,
  type PublicShopSummary,
} from "./public.ts";
export { modelAnalysisInput, quoteModel, type ShopQuote } from "./quote.ts";
export { getWidgetSettings, type WidgetSettings } from "./widget.ts";
