import type { Database } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";
import { z } from "zod";
import { purgeDueAccounts } from "./deletion.ts";
import { runPendingExports } from "./export.ts";
import { announcePendingPolicies } from "./policies.ts";
import { pruneExpiredRecords } from "./retention.ts";
import { purgeDueShops } from "./shop-cancellation.ts";

/** What the privacy jobs receive: the runtime's JobDeps. */
export interface PrivacyJobDeps {
  db: Database;
  services: Pick<Services, "storage" | "mail" | "google">;
  clock: Clock;
}

const noData = z.object({});

/**
 * Background work of the privacy domain, in the shape `defineJob` / `registerJobs` (@ktizo/jobs)
 * accept. Neither job carries personal data in its payload: each reads the open requests from the
 * database, so pg-boss's own job table never holds a user id.
 */
export const privacyPurgeJob = {
  name: "privacy-purge",
  schema: noData,
  /**
   * Daily, 03:30 UTC: accounts and shops whose 30-day grace period has ended (P21), and expired
   * sessions, tokens and rate-limit counters (P16).
   */
  cron: "30 3 * * *",
  retryLimit: 5,
  run: async (_data: z.infer<typeof noData>, deps: PrivacyJobDeps): Promise<void> => {
    const deps2 = { storage: deps.services.storage, clock: deps.clock };
    await pruneExpiredRecords(deps.db, deps.clock.now());
    await purgeDueShops(deps.db, deps2);
    await purgeDueAccounts(deps.db, { ...deps2, google: deps.services.google });
  },
};

export const privacyExportJob = {
  name: "privacy-export",
  schema: noData,
  /** Every minute: pending exports are built, expired ones lose their file (P24, P27). */
  cron: "* * * * *",
  retryLimit: 3,
  run: async (_data: z.infer<typeof noData>, deps: PrivacyJobDeps): Promise<void> => {
    await runPendingExports(deps.db, { storage: deps.services.storage, clock: deps.clock });
  },
};

export const privacyPolicyAnnounceJob = {
  name: "privacy-policy-announce",
  schema: noData,
  /** Every minute: a newly published policy version is emailed to every account (P31). */
  cron: "* * * * *",
  retryLimit: 3,
  run: async (_data: z.infer<typeof noData>, deps: PrivacyJobDeps): Promise<void> => {
    await announcePendingPolicies(deps.db, deps.services.mail, deps.clock.now());
  },
};

export const PRIVACY_JOBS = [privacyPurgeJob, privacyExportJob, privacyPolicyAnnounceJob];
