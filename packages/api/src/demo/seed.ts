import { hashPassword } from "@ktizo/auth";
import { type Database, newId, type OrganizationRole } from "@ktizo/db";
import type { Clock } from "@ktizo/services";
import { PLANS } from "../browser-safe/plans.ts";
import { ensurePublishedPolicies } from "../privacy/policy-texts.ts";
import { insertMember, insertOrganization, insertUser } from "../testing/builders.ts";
import { seedMarketplace } from "./marketplace.ts";
import { seedShopWorkspace } from "./workspace.ts";

/** The demo logins the README lists. Passwords are only for the local demo data. */
export const DEMO_USERS = {
  admin: {
    email: "admin@ktizo.example",
    name: "Ada Admin",
    password: "ktizo-demo-admin",
    platformRole: "admin",
  },
  northsideOwner: { email: "owner@northside.example", name: "Nora North", password: "ktizo-demo-owner" },
  northsideMember: { email: "maker@northside.example", name: "Milo Maker", password: "ktizo-demo-member" },
  resinOwner: { email: "owner@resinworks.example", name: "Rhea Resin", password: "ktizo-demo-owner" },
  customer: { email: "customer@ktizo.example", name: "Cal Customer", password: "ktizo-demo-customer" },
} as const;

export const DEMO_SHOPS = [
  {
    slug: "northside-print-lab",
    name: "Northside Print Lab",
    kind: "fdm",
    owner: "northsideOwner",
    members: [["northsideMember", "member"]] as const,
    /** Shipping zones of the seeded shipping options (pickup stays local). */
    shipTo: { "USPS Ground": ["US"], "UPS 2nd Day": ["US", "CA"] },
    profile: {
      companyName: "Northside Print Lab LLC",
      phone: "+1 503 555 0142",
      addressLine1: "1200 NW Marshall St",
      city: "Portland",
      region: "OR",
      postalCode: "97209",
      country: "US",
      currency: "USD",
    },
  },
  {
    slug: "resin-works-berlin",
    name: "Resin Works Berlin",
    kind: "resin",
    owner: "resinOwner",
    members: [] as const,
    shipTo: {
      "DHL Paket": ["DE", "AT", "NL", "BE", "FR", "DK", "PL"],
      "DHL Express": ["DE", "AT", "NL", "BE", "FR", "DK", "PL", "IT", "ES", "SE", "CH", "GB", "US", "CA"],
    },
    profile: {
      companyName: "Resin Works Berlin GmbH",
      phone: "+49 30 5550 1234",
      addressLine1: "Oranienstraße 25",
      city: "Berlin",
      region: "Berlin",
      postalCode: "10999",
      country: "DE",
      currency: "EUR",
    },
  },
] as const;

export type DemoUserKey = keyof typeof DEMO_USERS;

export interface SeededDemo {
  users: Record<DemoUserKey, string>;
  shops: { slug: string; organizationId: string; ownerUserId: string }[];
}

/**
 * Creates the demo accounts and shops with a workspace that looks alive (printers, materials, pricing,
 * jobs in every column, a filled schedule) and marketplace reviews. Safe to run on every start: finds
 * what exists by email and slug and leaves it alone.
 */
export async function seedDemo(db: Database, clock: Clock): Promise<SeededDemo> {
  await ensurePublishedPolicies(db, clock);
  const users = {} as Record<DemoUserKey, string>;
  for (const [key, user] of Object.entries(DEMO_USERS) as [DemoUserKey, (typeof DEMO_USERS)[DemoUserKey]][]) {
    users[key] = await ensureUser(db, user);
  }
  const shops: SeededDemo["shops"] = [];
  for (const demo of DEMO_SHOPS) {
    const ownerUserId = users[demo.owner];
    const organizationId = await ensureOrganization(db, demo.slug, demo.name, demo.profile);
    await ensureMember(db, organizationId, ownerUserId, "owner");
    for (const [memberKey, role] of demo.members)
      await ensureMember(db, organizationId, users[memberKey], role);
    await seedShopWorkspace(db, { organizationId, ownerUserId, clock, kind: demo.kind });
    shops.push({ slug: demo.slug, organizationId, ownerUserId });
  }
  await seedMarketplace(db, {
    shopSlugs: shops.map((s) => s.slug),
    shipTo: Object.fromEntries(DEMO_SHOPS.map((d) => [d.slug, d.shipTo])),
  });
  // A shop on a paid plan billed by the platform (issue 16, req. 9); the other is a founding shop.
  const northside = shops.find((s) => s.slug === "northside-print-lab");
  if (northside) await seedPaidPlan(db, northside.organizationId, clock.now());
  return { users, shops };
}

async function ensureUser(
  db: Database,
  user: { email: string; name: string; password: string; platformRole?: string },
): Promise<string> {
  const existing = await db
    .selectFrom("user")
    .select("id")
    .where("email", "=", user.email)
    .executeTakeFirst();
  if (existing) return existing.id;
  const password = await hashPassword(user.password);
  return db.transaction().execute(async (trx) => {
    const id = await insertUser(trx, {
      name: user.name,
      email: user.email,
      role: user.platformRole ?? "user",
      country: "US",
    });
    await trx
      .insertInto("account")
      .values({ id: newId("acc"), accountId: id, providerId: "credential", userId: id, password })
      .execute();
    return id;
  });
}

async function ensureOrganization(
  db: Database,
  slug: string,
  name: string,
  profile: (typeof DEMO_SHOPS)[number]["profile"],
): Promise<string> {
  const existing = await db
    .selectFrom("organization")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (existing) return existing.id;
  return db.transaction().execute((trx) => insertOrganization(trx, { name, slug }, profile));
}

/** Northside Print Lab on Pro, paid monthly (idempotent: a second seed changes nothing). */
async function seedPaidPlan(db: Database, organizationId: string, now: Date) {
  await db
    .insertInto("shopSubscription")
    .values({
      organizationId,
      plan: "pro",
      status: "active",
      stripeCustomerId: "cus_demo_northside",
      stripeSubscriptionId: "sub_demo_northside",
      amountMinor: PLANS.pro.priceMinor,
      currency: PLANS.pro.currency,
      currentPeriodEnd: new Date(now.getTime() + 30 * 86_400_000),
    })
    .onConflict((oc) => oc.column("organizationId").doNothing())
    .execute();
}

async function ensureMember(db: Database, organizationId: string, userId: string, role: OrganizationRole) {
  await insertMember(db, organizationId, userId, role, { ifMissing: true });
}
