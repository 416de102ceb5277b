import type { Services } from "@ktizo/services";
import { z } from "zod";
import { type Executor, idSchema } from "../kernel/index.ts";
import { orgProcedure, router } from "../trpc.ts";
import {
  completeTestPlanCheckout,
  openPlanPortal,
  planChoiceInput,
  startPlanCheckout,
  testPlanCheckout,
  testPortalAction,
  testPortalInput,
} from "../workflows/plan-billing.ts";
import { deletePrinter } from "../workflows/printer-removal.ts";
import { getCalibration, updateCalibration, updateCalibrationInput } from "./calibration.ts";
import {
  addMaintenance,
  addMaintenanceInput,
  listMaintenance,
  listMaintenanceInput,
  removeMaintenance,
} from "./maintenance.ts";
import {
  createMaterial,
  createMaterialInput,
  deleteMaterial,
  getMaterial,
  listMaterials,
  listMaterialsInput,
  updateMaterial,
  updateMaterialInput,
} from "./materials.ts";
import {
  listNotifications,
  listNotificationsInput,
  markNotificationsRead,
  markNotificationsReadInput,
} from "./notifications.ts";
import {
  calibrationGetOutput,
  calibrationUpdateOutput,
  maintenanceListOutput,
  maintenanceRemoveOutput,
  maintenanceWindowOutput,
  materialOutput,
  materialsDeleteOutput,
  materialsOutput,
  notificationsListOutput,
  notificationsMarkReadOutput,
  planCompleteTestCheckoutOutput,
  planGetOutput,
  planRedirectOutput,
  planTestCheckoutOutput,
  planTestPortalOutput,
  pricingGetOutput,
  pricingPreviewOutput,
  pricingSlicePreviewOutput,
  pricingUpdateOutput,
  printerConnectionsOutput,
  printersCreateOutput,
  printersDeleteOutput,
  printersGetOutput,
  printersListOutput,
  printersUpdateOutput,
  shopProfileOutput,
  smsSettingsOutput,
  stockAdjustOutput,
  stockMovementsOutput,
  widgetGetOutput,
  widgetUpdateOutput,
} from "./outputs.ts";
import { shopPlan } from "./plans.ts";
import {
  getShopPricing,
  pricePreviewInput,
  quoteForShop,
  updatePricingInput,
  updateShopPricing,
} from "./pricing.ts";
import {
  listPrinterConnections,
  printerConnectionInput,
  removePrinterConnection,
  setPrinterConnection,
  setPrinterConnectionInput,
} from "./printer-connections.ts";
import {
  createPrinter,
  createPrinterInput,
  getPrinter,
  listPrinters,
  listPrintersInput,
  updatePrinter,
  updatePrinterInput,
} from "./printers.ts";
import { getShopProfile, updateShopProfile, updateShopProfileInput } from "./profile.ts";
import { slicePreview, slicePreviewInput } from "./slice-preview.ts";
import { getSmsSettings, updateSmsSettings, updateSmsSettingsInput } from "./sms-settings.ts";
import { adjustStock, adjustStockInput, listStockMovements, listStockMovementsInput } from "./stock.ts";
import { getWidgetSettings, updateWidgetSettings, widgetSettingsSchema } from "./widget.ts";

const member = orgProcedure("member");
const admin = orgProcedure("admin");
const owner = orgProcedure("owner");
const planDeps = (ctx: { db: Executor; services: Services; clock: { now(): Date }; baseUrl: string }) => ({
  db: ctx.db,
  services: ctx.services,
  now: ctx.clock.now(),
  baseUrl: ctx.baseUrl,
});
const byId = z.object({ id: idSchema });
const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** The shop workspace: profile, printers, materials and stock, pricing, team, widget, notifications. */
export const shopRouter = router({
  /** The shop's SMS sender: its Twilio number and optional Messaging Service (issue 13). */
  sms: router({
    get: member.output(smsSettingsOutput).query(({ ctx }) => getSmsSettings(ctx.db, ctx.org.id)),
    update: admin
      .input(updateSmsSettingsInput)
      .output(smsSettingsOutput)
      .mutation(({ ctx, input }) => updateSmsSettings(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  profile: router({
    get: member.output(shopProfileOutput).query(({ ctx }) => getShopProfile(ctx.db, ctx.org.id)),
    update: admin
      .input(updateShopProfileInput)
      .output(shopProfileOutput)
      .mutation(({ ctx, input }) => updateShopProfile(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  printers: router({
    list: member
      .input(listPrintersInput)
      .output(printersListOutput)
      .query(({ ctx, input }) => listPrinters(ctx.db, ctx.org.id, input)),
    get: member
      .input(byId)
      .output(printersGetOutput)
      .query(({ ctx, input }) => getPrinter(ctx.db, ctx.org.id, input.id)),
    create: admin
      .input(createPrinterInput)
      .output(printersCreateOutput)
      .mutation(({ ctx, input }) => createPrinter(ctx.db, actorOf(ctx), input, { now: ctx.clock.now() })),
    update: admin
      .input(updatePrinterInput)
      .output(printersUpdateOutput)
      .mutation(({ ctx, input }) => updatePrinter(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Unschedules the printer's scheduled jobs (stock released); refused while one is in progress. */
    delete: admin
      .input(byId)
      .output(printersDeleteOutput)
      .mutation(({ ctx, input }) =>
        deletePrinter(ctx.db, ctx.services.mail, actorOf(ctx), input.id, ctx.clock.now()),
      ),
  }),
  // Planned maintenance per printer (issue 15): the planner keeps it free, the schedule shows it.
  maintenance: router({
    list: member
      .input(listMaintenanceInput)
      .output(maintenanceListOutput)
      .query(({ ctx, input }) => listMaintenance(ctx.db, ctx.org.id, input, ctx.clock.now())),
    add: admin
      .input(addMaintenanceInput)
      .output(maintenanceWindowOutput)
      .mutation(({ ctx, input }) => addMaintenance(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    remove: admin
      .input(byId)
      .output(maintenanceRemoveOutput)
      .mutation(({ ctx, input }) => removeMaintenance(ctx.db, actorOf(ctx), input.id)),
  }),
  materials: router({
    list: member
      .input(listMaterialsInput)
      .output(materialsOutput)
      .query(({ ctx, input }) => listMaterials(ctx.db, ctx.org.id, input)),
    get: member
      .input(byId)
      .output(materialOutput)
      .query(({ ctx, input }) => getMaterial(ctx.db, ctx.org.id, input.id)),
    create: admin
      .input(createMaterialInput)
      .output(materialOutput)
      .mutation(({ ctx, input }) => createMaterial(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    update: admin
      .input(updateMaterialInput)
      .output(materialOutput)
      .mutation(({ ctx, input }) => updateMaterial(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Archives a material with history, deletes one without. */
    delete: admin
      .input(byId)
      .output(materialsDeleteOutput)
      .mutation(({ ctx, input }) => deleteMaterial(ctx.db, actorOf(ctx), input.id, ctx.clock.now())),
  }),
  stock: router({
    adjust: admin
      .input(adjustStockInput)
      .output(stockAdjustOutput)
      .mutation(({ ctx, input }) =>
        adjustStock(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now()),
      ),
    movements: member
      .input(listStockMovementsInput)
      .output(stockMovementsOutput)
      .query(({ ctx, input }) => listStockMovements(ctx.db, ctx.org.id, input)),
  }),
  pricing: router({
    // Costs and margins are for owners and admins; members quote through `preview`.
    get: admin.output(pricingGetOutput).query(({ ctx }) => getShopPricing(ctx.db, ctx.org.id)),
    update: admin
      .input(updatePricingInput)
      .output(pricingUpdateOutput)
      .mutation(({ ctx, input }) => updateShopPricing(ctx.db, actorOf(ctx), input.pricing, ctx.clock.now())),
    preview: member
      .input(pricePreviewInput)
      .output(pricingPreviewOutput)
      .query(({ ctx, input }) => quoteForShop(ctx.db, ctx.org.id, input)),
    slicePreview: member
      .input(slicePreviewInput)
      .output(pricingSlicePreviewOutput)
      .query(({ ctx, input }) => slicePreview(ctx.db, ctx.org.id, ctx.session.userId, input)),
  }),
  // Printers that report their own jobs (issue 14): the key is sealed, and never part of an answer.
  printerConnections: router({
    list: member
      .output(printerConnectionsOutput)
      .query(({ ctx }) => listPrinterConnections(ctx.db, ctx.org.id)),
    set: admin
      .input(setPrinterConnectionInput)
      .output(printerConnectionsOutput)
      .mutation(({ ctx, input }) =>
        setPrinterConnection(ctx.db, ctx.services.printers, actorOf(ctx), input, ctx.clock.now()),
      ),
    remove: admin
      .input(printerConnectionInput)
      .output(printerConnectionsOutput)
      .mutation(({ ctx, input }) => removePrinterConnection(ctx.db, actorOf(ctx), input)),
  }),
  // Calibration from actual print times (issue 14): costs and margins, so owners and admins.
  calibration: router({
    get: admin.output(calibrationGetOutput).query(({ ctx }) => getCalibration(ctx.db, ctx.org.id)),
    update: admin
      .input(updateCalibrationInput)
      .output(calibrationUpdateOutput)
      .mutation(({ ctx, input }) => updateCalibration(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  /** The shop's plan billed by the platform (issue 16, req. 9): owners subscribe and change it. */
  plan: router({
    get: member.output(planGetOutput).query(({ ctx }) => shopPlan(ctx.db, ctx.org.id, ctx.clock.now())),
    checkout: owner
      .input(planChoiceInput)
      .output(planRedirectOutput)
      .mutation(({ ctx, input }) => startPlanCheckout(planDeps(ctx), actorOf(ctx), input)),
    portal: owner.output(planRedirectOutput).mutation(({ ctx }) => openPlanPortal(planDeps(ctx), ctx.org.id)),
    /** Local test mode only (NOT_FOUND with Stripe): the stand-in's checkout and portal pages. */
    testCheckout: owner
      .input(z.object({ sessionId: z.string().regex(/^cs_\w+$/, "Not a checkout") }))
      .output(planTestCheckoutOutput)
      .query(({ ctx, input }) => testPlanCheckout(planDeps(ctx), ctx.org.id, input.sessionId)),
    completeTestCheckout: owner
      .input(z.object({ sessionId: z.string().regex(/^cs_\w+$/, "Not a checkout") }))
      .output(planCompleteTestCheckoutOutput)
      .mutation(({ ctx, input }) => completeTestPlanCheckout(planDeps(ctx), ctx.org.id, input.sessionId)),
    testPortal: owner
      .input(testPortalInput)
      .output(planTestPortalOutput)
      .mutation(({ ctx, input }) => testPortalAction(planDeps(ctx), ctx.org.id, input)),
  }),
  widget: router({
    get: member.output(widgetGetOutput).query(({ ctx }) => getWidgetSettings(ctx.db, ctx.org.id)),
    update: admin
      .input(widgetSettingsSchema)
      .output(widgetUpdateOutput)
      .mutation(({ ctx, input }) => updateWidgetSettings(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  notifications: router({
    list: member
      .input(listNotificationsInput)
      .output(notificationsListOutput)
      .query(({ ctx, input }) => listNotifications(ctx.db, actorOf(ctx), input)),
    markRead: member
      .input(markNotificationsReadInput)
      .output(notificationsMarkReadOutput)
      .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
});
