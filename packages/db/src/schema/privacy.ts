import type { ColumnType, JSONColumnType } from "kysely";
import type { NullableTimestamp, Timestamp } from "./foundation.ts";

type Flag = ColumnType<boolean, boolean | undefined, boolean>;
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

/** One row per user who changed a privacy setting; no row means the defaults. */
export interface PrivacySettingsTable {
  userId: string;
  /** Analytics switched off inside the app (P14), whatever the cookie says. */
  analyticsOff: Flag;
  /** The user's AI switch (P13). */
  aiOff: Flag;
  /** Marketing email opt-out (P19); service notifications have no switch. Defaults to off (no marketing). */
  marketingOff: Flag;
  /** Restriction of processing and objection (P28): analytics, AI and marketing honour both. */
  restrictProcessing: Flag;
  objectProcessing: Flag;
  updatedAt: Touched;
}

export interface OrganizationPrivacyTable {
  organizationId: string;
  /** The organization's AI switch (P13). */
  aiOff: Flag;
  updatedAt: Touched;
}

/** "shop_deletion": a shop (organization) cancelled by its owner, purged after the same grace period. */
export type PrivacyRequestKind = "export" | "deletion" | "shop_deletion";
export type PrivacyRequestStatus =
  | "pending"
  | "ready"
  | "scheduled"
  | "completed"
  | "cancelled"
  | "expired"
  | "failed";

export interface PrivacyRequestTable {
  id: string;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  /** null once a deletion is carried out: the row stays as proof the request was answered. */
  userId: string | null;
  requestedAt: Timestamp;
  /** Deletions: when the grace period ends and the purge may run. */
  dueAt: NullableTimestamp;
  completedAt: NullableTimestamp;
  /** Exports: the stored JSON file. */
  fileKey: string | null;
  /** Exports: when the download link stops working. */
  expiresAt: NullableTimestamp;
  error: string | null;
  /** Shop deletions: the organization while the request is open (null once purged). */
  organizationId: string | null;
  /** Shop deletions: what undo restores (listing and widget switches). */
  data: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export type PolicyKind = "privacy" | "terms";

export interface PolicyVersionTable {
  id: string;
  kind: PolicyKind;
  version: number;
  title: string;
  body: string;
  summary: ColumnType<string, string | undefined, string>;
  effectiveAt: Timestamp;
  publishedAt: Timestamp;
  publishedBy: string | null;
  /** When every user was emailed about this version (the first version needs no notice). */
  announcedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The last user id emailed so far, while the announcement job works through the users. */
  announceCursor: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PolicyAcceptanceTable {
  userId: string;
  policyVersionId: string;
  acceptedAt: Timestamp;
  context: "sign-up" | "sign-in" | "banner";
}

export interface PrivacyTables {
  privacySettings: PrivacySettingsTable;
  organizationPrivacy: OrganizationPrivacyTable;
  privacyRequest: PrivacyRequestTable;
  policyVersion: PolicyVersionTable;
  policyAcceptance: PolicyAcceptanceTable;
}
