import { router } from "../trpc.ts";

export const shopRouter = router({});
