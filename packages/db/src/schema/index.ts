import type { AdminTables } from "./admin.ts";
import type { AiTables } from "./ai.ts";
import type { BillingTables } from "./billing.ts";
import type { CalibrationTables } from "./calibration.ts";
import type { ConversationTables } from "./conversations.ts";
import type { FoundationTables } from "./foundation.ts";
import type { MarketplaceTables } from "./marketplace.ts";
import type { PlanningTables } from "./planning.ts";
import type { PrivacyTables } from "./privacy.ts";
import type { ServicesTables } from "./services.ts";
import type { ShopTables } from "./shop.ts";
import type { SlicerTables } from "./slicer.ts";

export * from "./admin.ts";
export * from "./ai.ts";
export * from "./billing.ts";
export * from "./calibration.ts";
export * from "./conversations.ts";
export * from "./foundation.ts";
export * from "./marketplace.ts";
export * from "./planning.ts";
export * from "./privacy.ts";
export * from "./services.ts";
export * from "./shop.ts";
export * from "./slicer.ts";

/**
 * The whole database as Kysely sees it (camelCase; the database itself is snake_case).
 * Each domain adds its tables in its own file and extends this interface.
 */
export interface DB
  extends FoundationTables,
    ShopTables,
    ServicesTables,
    MarketplaceTables,
    PrivacyTables,
    SlicerTables,
    BillingTables,
    CalibrationTables,
    ConversationTables,
    AdminTables,
    PlanningTables,
    AiTables {}
