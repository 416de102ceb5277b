import type { RouterOutputs, Served } from "~/lib/api-types";

/** The shop's profile as the profile page receives it (shop.profile.get). */
export type ShopProfileView = Served<RouterOutputs["shop"]["profile"]["get"]>;
