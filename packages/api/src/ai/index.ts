export { type DraftJob, type DraftJobItem, intakePurchaseOrder, intakePurchaseOrderInput } from "./intake.ts";
export { aiRouter } from "./router.ts";
