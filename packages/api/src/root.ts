import { accountRouter } from "./account/router.ts";
import { adminRouter } from "./admin/router.ts";
import { aiRouter } from "./ai/router.ts";
import { billingRouter } from "./billing/router.ts";
import { inboxRouter } from "./inbox/router.ts";
import { jobRouter } from "./job/router.ts";
import { marketplaceRouter } from "./marketplace/router.ts";
import { privacyRouter } from "./privacy/router.ts";
import { shopRouter } from "./shop/router.ts";
import { createCallerFactory, router } from "./trpc.ts";

/** One router per domain, merged here; routes and /api/trpc use this. */
export const appRouter = router({
  account: accountRouter,
  shop: shopRouter,
  job: jobRouter,
  marketplace: marketplaceRouter,
  admin: adminRouter,
  privacy: privacyRouter,
  ai: aiRouter,
  billing: billingRouter,
  inbox: inboxRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
