import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation.ts";
import * as m0002 from "./0002_services.ts";
import * as m0010 from "./0010_shop.ts";
import * as m0020 from "./0020_marketplace.ts";
import * as m0030 from "./0030_privacy.ts";
import * as m0040 from "./0040_guest_orders.ts";
import * as m0050 from "./0050_shop_cancellation.ts";
import * as m0051 from "./0051_no_deleted_user_placeholder.ts";
import * as m0052 from "./0052_policy_announcement.ts";
import * as m0060 from "./0060_order_platform_fee.ts";
import * as m0070 from "./0070_workspace_links.ts";
import * as m0071 from "./0071_material_archive.ts";
import * as m0072 from "./0072_shop_logo.ts";
import * as m0080 from "./0080_stock_reservations.ts";
import * as m0081 from "./0081_stock_from_ledger.ts";
import * as m0090 from "./0090_order_payment_state.ts";
import * as m0100 from "./0100_sign_in_source_lockout.ts";
import * as m0120 from "./0120_slicer.ts";
import * as m0121 from "./0121_slicer_profiles.ts";
import * as m0130 from "./0130_billing.ts";
import * as m0131 from "./0131_billing_reminders.ts";
import * as m0132 from "./0132_proofs.ts";
import * as m0140 from "./0140_outbox_attachments.ts";
import * as m0141 from "./0141_proof_reminders.ts";
import * as m0150 from "./0150_calibration.ts";
import * as m0151 from "./0151_printer_connections.ts";
import * as m0160 from "./0160_admin_console.ts";
import * as m0161 from "./0161_shop_moderation.ts";
import * as m0180 from "./0180_shared_job_files.ts";
import * as m0190 from "./0190_planning.ts";
import * as m0200 from "./0200_conversations.ts";
import * as m0201 from "./0201_sms_conversations.ts";
import * as m0205 from "./0205_google_accounts.ts";
import * as m0210 from "./0210_ai_audit.ts";
import * as m0215 from "./0215_maintenance_suggestions.ts";
import * as m0220 from "./0220_support_access.ts";
import * as m0221 from "./0221_shop_plans.ts";
import * as m0222 from "./0222_plan_event_order.ts";
import * as m0240 from "./0240_model_scale_exchange_rates.ts";
import * as m0270 from "./0270_test_payment_sessions.ts";

/**
 * Every migration, by name. Names sort in the order they run; add a new file and list it here
 * (static imports keep migrations inside server bundles).
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_services": m0002,
  "0010_shop": m0010,
  "0020_marketplace": m0020,
  "0030_privacy": m0030,
  "0040_guest_orders": m0040,
  "0050_shop_cancellation": m0050,
  "0051_no_deleted_user_placeholder": m0051,
  "0052_policy_announcement": m0052,
  "0060_order_platform_fee": m0060,
  "0070_workspace_links": m0070,
  "0071_material_archive": m0071,
  "0072_shop_logo": m0072,
  "0080_stock_reservations": m0080,
  "0090_order_payment_state": m0090,
  "0120_slicer": m0120,
  "0130_billing": m0130,
  "0100_sign_in_source_lockout": m0100,
  "0121_slicer_profiles": m0121,
  "0131_billing_reminders": m0131,
  "0081_stock_from_ledger": m0081,
  "0132_proofs": m0132,
  "0180_shared_job_files": m0180,
  "0190_planning": m0190,
  "0200_conversations": m0200,
  "0201_sms_conversations": m0201,
  "0205_google_accounts": m0205,
  "0150_calibration": m0150,
  "0151_printer_connections": m0151,
  "0160_admin_console": m0160,
  "0161_shop_moderation": m0161,
  "0140_outbox_attachments": m0140,
  "0141_proof_reminders": m0141,
  "0240_model_scale_exchange_rates": m0240,
  "0215_maintenance_suggestions": m0215,
  "0210_ai_audit": m0210,
  "0220_support_access": m0220,
  "0221_shop_plans": m0221,
  "0222_plan_event_order": m0222,
  "0270_test_payment_sessions": m0270,
};
