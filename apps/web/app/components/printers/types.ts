import type { RouterOutputs, Served } from "~/lib/api-types";

/** A printer as the printers page receives it (shop.printers.list). */
export type PrinterView = Served<RouterOutputs["shop"]["printers"]["list"]>[number];
/** A material a printer can run, as the page lists it. */
export type PrinterMaterialOption = Pick<
  Served<RouterOutputs["shop"]["materials"]["list"]>[number],
  "id" | "name" | "kind" | "technology"
>;
/** A planned maintenance window (shop.maintenance.list). */
export type MaintenanceWindow = Served<RouterOutputs["shop"]["maintenance"]["list"]>[number];
/** A printer's connection to its own software (shop.printerConnections.list). */
export type PrinterConnectionView = Served<RouterOutputs["shop"]["printerConnections"]["list"]>[number];
