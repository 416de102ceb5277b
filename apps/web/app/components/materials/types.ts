import type { RouterOutputs, Served } from "~/lib/api-types";

/** A material with its stock as the materials page receives it (shop.materials.list). */
export type MaterialView = Served<RouterOutputs["shop"]["materials"]["list"]>[number];
/** A page of stock movements (shop.stock.movements). */
export type StockMovementsPage = Served<RouterOutputs["shop"]["stock"]["movements"]>;
