import type { ColumnType, Generated, JSONColumnType } from "kysely";

/** A timestamptz column: Date when read; Date or ISO string when written; database default on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: ColumnType<boolean, boolean | undefined, boolean>;
  image: string | null;
  role: string | null;
  banned: boolean | null;
  banReason: string | null;
  banExpires: NullableTimestamp;
  country: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionTable {
  id: string;
  expiresAt: Timestamp;
  token: string;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
  impersonatedBy: string | null;
  activeOrganizationId: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AccountTable {
  id: string;
  accountId: string;
  providerId: string;
  userId: string;
  accessToken: string | null;
  refreshToken: string | null;
  idToken: string | null;
  accessTokenExpiresAt: NullableTimestamp;
  refreshTokenExpiresAt: NullableTimestamp;
  scope: string | null;
  password: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface VerificationTable {
  id: string;
  identifier: string;
  value: string;
  expiresAt: Timestamp;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OrganizationTable {
  id: string;
  name: string;
  slug: string;
  logo: string | null;
  metadata: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedAt: NullableTimestamp;
}

export type OrganizationRole = "owner" | "admin" | "member";

export interface MemberTable {
  id: string;
  organizationId: string;
  userId: string;
  role: string;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InvitationTable {
  id: string;
  organizationId: string;
  email: string;
  role: string | null;
  status: string;
  expiresAt: Timestamp;
  inviterId: string;
  createdAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RateLimitTable {
  id: string;
  key: string;
  count: number;
  lastRequest: number;
}

export interface OrganizationProfileTable {
  organizationId: string;
  companyName: string;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  postalCode: string | null;
  region: string | null;
  country: string;
  currency: string;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SignInLockoutTable {
  userId: string;
  failures: number;
  windowStartedAt: Timestamp;
  lockedUntil: NullableTimestamp;
}

/** Failed sign-ins per account and source (`ip:<address>` or `device:<id>`). */
export interface SignInFailureTable {
  userId: string;
  source: string;
  failures: number;
  windowStartedAt: Timestamp;
  lockedUntil: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  organizationId: string | null;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  createdAt: CreatedAt;
}

export type OutboxChannel = "email" | "sms";
export type MessageCategory = "service" | "marketing";

export interface OutboxMessageTable {
  id: Generated<string>;
  channel: OutboxChannel;
  category: MessageCategory;
  template: string;
  recipient: string;
  subject: string | null;
  bodyText: string;
  bodyHtml: string | null;
  provider: string;
  providerMessageId: string | null;
  status: "stored" | "sent" | "failed";
  error: string | null;
  userId: string | null;
  organizationId: string | null;
  /** What the message carried (base64 bytes); null without attachments. */
  attachments: JSONColumnType<OutboxAttachment[] | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
}

/** A file sent with a message, as the outbox keeps it. */
export interface OutboxAttachment {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  contentBase64: string;
}

export interface FoundationTables {
  user: UserTable;
  session: SessionTable;
  account: AccountTable;
  verification: VerificationTable;
  organization: OrganizationTable;
  member: MemberTable;
  invitation: InvitationTable;
  rateLimit: RateLimitTable;
  organizationProfile: OrganizationProfileTable;
  signInLockout: SignInLockoutTable;
  signInFailure: SignInFailureTable;
  auditLog: AuditLogTable;
  outboxMessage: OutboxMessageTable;
}
