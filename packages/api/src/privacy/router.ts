import { router } from "../trpc.ts";

export const privacyRouter = router({});
