import { z } from "zod";
import type { Expect, Same } from "../outputs.ts";
import type { InvitationView } from "./invitations.ts";
import type { MembersView, MemberView, PendingInvitationView } from "./members.ts";
import type { OrganizationView } from "./organizations.ts";
import type { MembershipView, MeView } from "./profile.ts";
import { organizationRoleSchema } from "./schemas.ts";
import type { SessionView } from "./sessions.ts";
import type { SupportAccessView, SupportGrantView, SupportLogEntry } from "./support.ts";

/**
 * What the account router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one.
 */

const membershipViewSchema = z
  .object({ organizationId: z.string(), name: z.string(), slug: z.string(), role: organizationRoleSchema })
  .strict();

export const updateProfileOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    country: z.string().nullable(),
    image: z.string().nullable(),
  })
  .strict();

const meViewSchema = z
  .object({
    profile: updateProfileOutput,
    memberships: z.array(membershipViewSchema),
    activeOrganizationId: z.string().nullable(),
  })
  .strict();

const sessionViewSchema = z
  .object({
    id: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
    expiresAt: z.date(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .strict();

const organizationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    createdAt: z.date(),
    role: organizationRoleSchema,
    profile: z
      .object({
        companyName: z.string(),
        phone: z.string().nullable(),
        addressLine1: z.string().nullable(),
        addressLine2: z.string().nullable(),
        city: z.string().nullable(),
        postalCode: z.string().nullable(),
        region: z.string().nullable(),
        country: z.string(),
        currency: z.string(),
      })
      .strict(),
    timeZone: z.string(),
  })
  .strict();

const memberViewSchema = z
  .object({
    memberId: z.string(),
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: organizationRoleSchema,
    joinedAt: z.date(),
  })
  .strict();

const pendingInvitationViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: organizationRoleSchema,
    expired: z.boolean(),
    expiresAt: z.date(),
    invitedBy: z.string(),
    createdAt: z.date(),
  })
  .strict();

const membersViewSchema = z
  .object({
    members: z.array(memberViewSchema),
    invitations: z.array(pendingInvitationViewSchema).nullable(),
  })
  .strict();

const invitationViewSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    organizationName: z.string(),
    inviterName: z.string(),
    email: z.string(),
    role: organizationRoleSchema,
    status: z.enum(["pending", "accepted", "rejected", "canceled", "expired"]),
    expiresAt: z.date(),
  })
  .strict();

export const meOutput = meViewSchema;

export const sessionsListOutput = z.array(sessionViewSchema);

export const sessionsRevokeOutput = z.object({ revoked: z.literal(1), current: z.boolean() }).strict();

export const sessionsRevokeOthersOutput = z.object({ revoked: z.number() }).strict();

export const organizationsListOutput = z.array(membershipViewSchema);

export const organizationsCreateOutput = organizationViewSchema;

export const organizationsSwitchOutput = z
  .object({ activeOrganizationId: z.string(), role: organizationRoleSchema })
  .strict();

export const organizationsLeaveOutput = z.object({ left: z.literal(true) }).strict();

export const organizationGetOutput = organizationViewSchema;

export const membersListOutput = membersViewSchema;

export const membersInviteOutput = z
  .object({ invitationId: z.string(), expiresAt: z.date(), renewed: z.boolean() })
  .strict();

export const membersChangeRoleOutput = z
  .object({ memberId: z.string(), role: organizationRoleSchema, changed: z.boolean() })
  .strict();

export const membersRemoveOutput = z.object({ removed: z.literal(true) }).strict();

export const invitationsGetOutput = invitationViewSchema;

export const invitationsAcceptOutput = z
  .object({ organizationId: z.string(), memberId: z.string(), role: organizationRoleSchema })
  .strict();

export const invitationsDeclineOutput = z.object({ declined: z.literal(true) }).strict();

export const invitationsCancelOutput = z.object({ canceled: z.literal(true) }).strict();

const supportGrantViewSchema = z
  .object({
    id: z.string(),
    grantedByName: z.string(),
    createdAt: z.date(),
    expiresAt: z.date(),
    revokedAt: z.date().nullable(),
    live: z.boolean(),
  })
  .strict();

const supportLogEntrySchema = z
  .object({
    createdAt: z.date(),
    action: z.string(),
    actorName: z.string().nullable(),
    path: z.string().nullable(),
  })
  .strict();

const supportAccessViewSchema = z
  .object({
    live: supportGrantViewSchema.nullable(),
    grants: z.array(supportGrantViewSchema),
    log: z.array(supportLogEntrySchema),
  })
  .strict();

export const supportGetOutput = supportAccessViewSchema;
export const supportGrantOutput = supportAccessViewSchema;
export const supportRevokeOutput = supportAccessViewSchema;

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof membershipViewSchema>, MembershipView>>,
  Expect<Same<z.output<typeof meViewSchema>, MeView>>,
  Expect<Same<z.output<typeof sessionViewSchema>, SessionView>>,
  Expect<Same<z.output<typeof organizationViewSchema>, OrganizationView>>,
  Expect<Same<z.output<typeof memberViewSchema>, MemberView>>,
  Expect<Same<z.output<typeof pendingInvitationViewSchema>, PendingInvitationView>>,
  Expect<Same<z.output<typeof membersViewSchema>, MembersView>>,
  Expect<Same<z.output<typeof invitationViewSchema>, InvitationView>>,
  Expect<Same<z.output<typeof supportGrantViewSchema>, SupportGrantView>>,
  Expect<Same<z.output<typeof supportLogEntrySchema>, SupportLogEntry>>,
  Expect<Same<z.output<typeof supportAccessViewSchema>, SupportAccessView>>,
];
