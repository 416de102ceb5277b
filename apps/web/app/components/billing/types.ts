import type { SerializeFrom } from "@remix-run/node";
import type { loadJobBilling } from "./job-billing.server";

/** The job page's billing data as the page receives it. */
export type JobBillingData = SerializeFrom<typeof loadJobBilling>;
