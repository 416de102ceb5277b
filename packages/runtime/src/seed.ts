import { hashPassword } from "@ktizo/auth";
import { type Database, newId, type OrganizationRole } from "@ktizo/db";

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
    owner: "northsideOwner",
    members: [["northsideMember", "member"]] as const,
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
    owner: "resinOwner",
    members: [] as const,
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

/** Creates the demo accounts and shops; safe to run on every start (finds what exists by email/slug). */
export async function seedDemo(db: Database): Promise<SeededDemo> {
  const users = {} as Record<DemoUserKey, string>;
  for (const [key, user] of Object.entries(DEMO_USERS) as [DemoUserKey, (typeof DEMO_USERS)[DemoUserKey]][]) {
    users[key] = await ensureUser(db, user);
  }
  const shops: SeededDemo["shops"] = [];
  for (const shop of DEMO_SHOPS) {
    const ownerUserId = users[shop.owner];
    const organizationId = await ensureOrganization(db, shop.slug, shop.name, shop.profile);
    await ensureMember(db, organizationId, ownerUserId, "owner");
    for (const [memberKey, role] of shop.members)
      await ensureMember(db, organizationId, users[memberKey], role);
    shops.push({ slug: shop.slug, organizationId, ownerUserId });
  }
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
  const id = newId("usr");
  const password = await hashPassword(user.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("user")
      .values({
        id,
        name: user.name,
        email: user.email,
        emailVerified: true,
        role: user.platformRole ?? "user",
        country: "US",
      })
      .execute();
    await trx
      .insertInto("account")
      .values({ id: newId("acc"), accountId: id, providerId: "credential", userId: id, password })
      .execute();
  });
  return id;
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
  const id = newId("org");
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("organization").values({ id, name, slug }).execute();
    await trx
      .insertInto("organizationProfile")
      .values({ organizationId: id, ...profile })
      .execute();
  });
  return id;
}

async function ensureMember(db: Database, organizationId: string, userId: string, role: OrganizationRole) {
  await db
    .insertInto("member")
    .values({ id: newId("mem"), organizationId, userId, role })
    .onConflict((oc) => oc.columns(["organizationId", "userId"]).doNothing())
    .execute();
}
