import { router } from "../trpc.ts";

export const marketplaceRouter = router({});
