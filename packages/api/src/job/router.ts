import { router } from "../trpc.ts";

export const jobRouter = router({});
