import { type Database, recordAudit } from "@ktizo/db";
import type { AiScope, AnalyticsService, AnalyticsValue, IsAiAllowed } from "@ktizo/services";
import { z } from "zod";
import { deletionScheduled } from "./deletion.ts";

/**
 * Privacy settings (P13, P14, P19, P28): a user's switches for analytics, AI and marketing email, and
 * restriction of / objection to processing, which analytics, AI and marketing all honour. No row means
 * the defaults: analytics per cookie consent, AI on, marketing off, nothing restricted.
 */
export interface PrivacySettings {
  analyticsOff: boolean;
  aiOff: boolean;
  marketingOff: boolean;
  restrictProcessing: boolean;
  objectProcessing: boolean;
}

export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = {
  analyticsOff: false,
  aiOff: false,
  marketingOff: true,
  restrictProcessing: false,
  objectProcessing: false,
};

export const updatePrivacySettingsInput = z
  .object({
    analyticsOff: z.boolean(),
    aiOff: z.boolean(),
    marketingOff: z.boolean(),
    restrictProcessing: z.boolean(),
    objectProcessing: z.boolean(),
  })
  .partial()
  .strict();
export type UpdatePrivacySettingsInput = z.infer<typeof updatePrivacySettingsInput>;

export async function getPrivacySettings(db: Database, userId: string): Promise<PrivacySettings> {
  const row = await db
    .selectFrom("privacySettings")
    .select(["analyticsOff", "aiOff", "marketingOff", "restrictProcessing", "objectProcessing"])
    .where("userId", "=", userId)
    .executeTakeFirst();
  return row ?? { ...DEFAULT_PRIVACY_SETTINGS };
}

export async function updatePrivacySettings(
  db: Database,
  userId: string,
  input: UpdatePrivacySettingsInput,
  now: Date,
): Promise<PrivacySettings> {
  const current = await getPrivacySettings(db, userId);
  const next: PrivacySettings = { ...current, ...input };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("privacySettings")
      .values({ userId, ...next, updatedAt: now })
      .onConflict((oc) => oc.column("userId").doUpdateSet({ ...next, updatedAt: now }))
      .execute();
    const changed = Object.fromEntries(
      (Object.keys(next) as (keyof PrivacySettings)[])
        .filter((k) => next[k] !== current[k])
        .map((k) => [k, next[k]]),
    );
    if (Object.keys(changed).length > 0) {
      await recordAudit(trx, {
        actorUserId: userId,
        action: "privacy.settings.updated",
        subjectType: "user",
        subjectId: userId,
        data: changed,
        at: now,
      });
    }
  });
  return next;
}

/** True when the user restricted or objected to processing: optional processing stops. */
export function processingRestricted(settings: PrivacySettings): boolean {
  return settings.restrictProcessing || settings.objectProcessing;
}

export async function getOrganizationAiOff(db: Database, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom("organizationPrivacy")
    .select("aiOff")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return row?.aiOff ?? false;
}

export async function setOrganizationAiOff(
  db: Database,
  actor: { organizationId: string; userId: string },
  aiOff: boolean,
  now: Date,
): Promise<{ aiOff: boolean }> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("organizationPrivacy")
      .values({ organizationId: actor.organizationId, aiOff, updatedAt: now })
      .onConflict((oc) => oc.column("organizationId").doUpdateSet({ aiOff, updatedAt: now }))
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: aiOff ? "privacy.ai.switched_off" : "privacy.ai.switched_on",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { aiOff },
      at: now,
    });
  });
  return { aiOff };
}

/**
 * The AI switch for `createServices({ isAiAllowed })` (P13, P28): allowed only when the organization's
 * switch and the user's switch are both on, the user has not restricted or objected to processing, the
 * user is a member of the organization, and no deletion is scheduled for the account.
 */
export function createIsAiAllowed(db: Database): IsAiAllowed {
  return async (scope: AiScope) => {
    const row = await db
      .selectFrom("member")
      .leftJoin("organizationPrivacy", "organizationPrivacy.organizationId", "member.organizationId")
      .leftJoin("privacySettings", "privacySettings.userId", "member.userId")
      .select([
        "organizationPrivacy.aiOff as orgAiOff",
        "privacySettings.aiOff as userAiOff",
        "privacySettings.restrictProcessing",
        "privacySettings.objectProcessing",
      ])
      .where("member.organizationId", "=", scope.organizationId)
      .where("member.userId", "=", scope.userId)
      .executeTakeFirst();
    if (!row) return false;
    if (row.orgAiOff || row.userAiOff || row.restrictProcessing || row.objectProcessing) return false;
    return !(await deletionScheduled(db, scope.userId));
  };
}

/**
 * Whether marketing email may go to this user (P19, P28): only with marketing switched on, processing
 * not restricted, and no deletion scheduled. Service notifications never ask this.
 */
export async function canSendMarketing(db: Database, userId: string): Promise<boolean> {
  const settings = await getPrivacySettings(db, userId);
  if (settings.marketingOff || processingRestricted(settings)) return false;
  return !(await deletionScheduled(db, userId));
}

export interface ServerCaptureInput {
  event: string;
  /** The signed-in user, or null for an anonymous visitor. */
  userId: string | null;
  properties?: Record<string, AnalyticsValue>;
  /** The visitor's cookie choice (see `readConsent`): only `true` can send. */
  consent: boolean | null | undefined;
}

/**
 * Server-side analytics (P14, P28): the cookie consent must be "accepted", and a signed-in user must
 * not have switched analytics off, restricted or objected to processing. Returns whether it was queued.
 */
export async function captureAnalytics(
  db: Database,
  analytics: AnalyticsService,
  input: ServerCaptureInput,
): Promise<boolean> {
  if (input.consent !== true) return false;
  if (input.userId) {
    const settings = await getPrivacySettings(db, input.userId);
    if (settings.analyticsOff || processingRestricted(settings)) return false;
  }
  return analytics.capture({
    event: input.event,
    userId: input.userId,
    properties: input.properties,
    consent: true,
  });
}
