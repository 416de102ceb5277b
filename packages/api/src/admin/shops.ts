import { type Database, type OrderStatus, type PrintTechnology, recordAudit } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";
import { sql } from "kysely";
import {
  conflict,
  type Executor,
  inTransaction,
  likePattern,
  notFound,
  type Page,
  pageRows,
  toPage,
} from "../kernel/index.ts";
import { cancelShop } from "../privacy/shop-cancellation.ts";
import { emailShopManagers, recordNotification } from "../shop/notifications.ts";
import type { CancelShopInput, ListShopsInput, ModerateShopInput, VerifyShopInput } from "./schemas.ts";

export interface AdminShopSummary {
  id: string;
  name: string;
  slug: string;
  listed: boolean;
  /** Unlisted by the platform, with the reason (the shop cannot list itself again). */
  holdReason: string | null;
  chargesEnabled: boolean;
  verified: boolean;
  /** The shop asked to be cancelled (its deletion is scheduled). */
  cancelling: boolean;
  memberCount: number;
  orderCount: number;
  createdAt: Date;
}

const CANCELLING = sql<boolean>`exists (select 1 from privacy_request r where r.organization_id = o.id
  and r.kind = 'shop_deletion' and r.status in ('pending', 'ready', 'scheduled'))`;

function shops(db: Executor) {
  return db
    .selectFrom("organization as o")
    .innerJoin("shopSettings as s", "s.organizationId", "o.id")
    .leftJoin("shopPaymentAccount as pa", "pa.organizationId", "o.id");
}

const summaryColumns = [
  "o.id",
  "o.name",
  "o.slug",
  "s.listed",
  "s.moderationHoldReason as holdReason",
  "s.moderationHoldAt",
  "s.verifiedAt",
  "pa.chargesEnabled",
  "o.createdAt",
  CANCELLING.as("cancelling"),
  sql<number>`(select count(*)::int from member m where m.organization_id = o.id)`.as("memberCount"),
  sql<number>`(select count(*)::int from marketplace_order mo where mo.organization_id = o.id)`.as(
    "orderCount",
  ),
] as const;

type SummaryRow = {
  id: string;
  name: string;
  slug: string;
  listed: boolean;
  holdReason: string | null;
  moderationHoldAt: Date | null;
  verifiedAt: Date | null;
  chargesEnabled: boolean | null;
  createdAt: Date;
  cancelling: boolean;
  memberCount: number;
  orderCount: number;
};

function summary(r: SummaryRow): AdminShopSummary {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    listed: r.listed,
    holdReason: r.moderationHoldAt ? (r.holdReason ?? "") : null,
    chargesEnabled: r.chargesEnabled === true,
    verified: r.verifiedAt !== null,
    cancelling: r.cancelling === true,
    memberCount: Number(r.memberCount),
    orderCount: Number(r.orderCount),
    createdAt: r.createdAt,
  };
}

/** Shops (organizations with shop settings), newest first, by name or slug and one filter. */
export async function listShops(db: Executor, input: ListShopsInput): Promise<Page<AdminShopSummary>> {
  let base = shops(db);
  if (input.q) {
    const p = likePattern(input.q);
    base = base.where((eb) => eb.or([eb("o.name", "ilike", p), eb("o.slug", "ilike", p)]));
  }
  if (input.filter === "listed") base = base.where("s.listed", "=", true);
  if (input.filter === "unlisted") base = base.where("s.listed", "=", false);
  if (input.filter === "flagged") base = base.where("s.moderationHoldAt", "is not", null);
  if (input.filter === "stripe_ready") base = base.where("pa.chargesEnabled", "=", true);
  if (input.filter === "verified") base = base.where("s.verifiedAt", "is not", null);
  if (input.filter === "cancelled") base = base.where(CANCELLING);
  const [rows, total] = await pageRows(
    base.select(summaryColumns).orderBy("o.createdAt", "desc").orderBy("o.id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(rows.map(summary), total, input);
}

export interface AdminShopView extends AdminShopSummary {
  stripeAccountId: string | null;
  members: { name: string; email: string; role: string }[];
  printers: { name: string; technology: PrintTechnology }[];
  orders: {
    id: string;
    number: number;
    status: OrderStatus;
    currency: string;
    totalMinor: number;
    createdAt: Date;
  }[];
  reviews: { rating: number; authorName: string; body: string; createdAt: Date }[];
  audit: { action: string; actorName: string | null; createdAt: Date }[];
}

/** One shop for the platform team: members, printers, recent orders, reviews, payouts and its audit. */
export async function getShop(db: Executor, organizationId: string): Promise<AdminShopView> {
  const row = await shops(db)
    .select([...summaryColumns, "pa.stripeAccountId"])
    .where("o.id", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("No such shop");
  const [members, printers, orders, reviews, audit] = await Promise.all([
    db
      .selectFrom("member as m")
      .innerJoin("user as u", "u.id", "m.userId")
      .select(["u.name", "u.email", "m.role"])
      .where("m.organizationId", "=", organizationId)
      .orderBy("m.createdAt")
      .execute(),
    db
      .selectFrom("printer")
      .select(["name", "technology"])
      .where("organizationId", "=", organizationId)
      .orderBy("name")
      .execute(),
    db
      .selectFrom("marketplaceOrder")
      .select(["id", "number", "status", "currency", "totalMinor", "createdAt"])
      .where("organizationId", "=", organizationId)
      .orderBy("createdAt", "desc")
      .limit(20)
      .execute(),
    db
      .selectFrom("shopReview")
      .select(["rating", "authorName", "body", "createdAt"])
      .where("organizationId", "=", organizationId)
      .orderBy("createdAt", "desc")
      .limit(20)
      .execute(),
    db
      .selectFrom("auditLog as a")
      .leftJoin("user as u", "u.id", "a.actorUserId")
      .select(["a.action", "u.name as actorName", "a.createdAt"])
      .where("a.organizationId", "=", organizationId)
      .orderBy("a.createdAt", "desc")
      .limit(30)
      .execute(),
  ]);
  const { stripeAccountId, ...rest } = row;
  return {
    ...summary(rest),
    stripeAccountId: stripeAccountId ?? null,
    members,
    printers,
    orders,
    reviews,
    audit,
  };
}

/**
 * Unlists a shop with a reason (a hold: it cannot list itself again) or relists it, conditionally (a
 * second click changes nothing and says so). Audited; the shop is told in the workspace and by email.
 */
export async function moderateShop(
  db: Executor,
  services: Pick<Services, "mail">,
  input: ModerateShopInput,
  actorUserId: string,
  now: Date,
): Promise<AdminShopSummary> {
  const changed = await inTransaction(db, async (trx) => {
    const exists = await trx
      .selectFrom("shopSettings")
      .select("organizationId")
      .where("organizationId", "=", input.organizationId)
      .executeTakeFirst();
    if (!exists) throw notFound("No such shop");
    const row =
      input.action === "unlist"
        ? await trx
            .updateTable("shopSettings")
            .set({ listed: false, moderationHoldReason: input.reason, moderationHoldAt: now, updatedAt: now })
            .where("organizationId", "=", input.organizationId)
            .where("moderationHoldAt", "is", null)
            .returning("organizationId")
            .executeTakeFirst()
        : await trx
            .updateTable("shopSettings")
            .set({ listed: true, moderationHoldReason: null, moderationHoldAt: null, updatedAt: now })
            .where("organizationId", "=", input.organizationId)
            .where("moderationHoldAt", "is not", null)
            .returning("organizationId")
            .executeTakeFirst();
    if (!row) {
      throw conflict(
        input.action === "unlist"
          ? "The shop is already unlisted by the platform"
          : "The shop is not unlisted by the platform",
      );
    }
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId,
      action: input.action === "unlist" ? "admin.shop.unlisted" : "admin.shop.relisted",
      subjectType: "organization",
      subjectId: input.organizationId,
      data: { reason: input.reason },
    });
    const title =
      input.action === "unlist" ? "Your shop was unlisted from the marketplace" : "Your shop is listed again";
    await recordNotification(trx, {
      organizationId: input.organizationId,
      kind: "shop.moderated",
      title,
      body: input.reason,
      link: null,
    });
    return title;
  });
  await emailShopManagers(db, services.mail, [
    {
      organizationId: input.organizationId,
      kind: "shop.moderated",
      subject: changed,
      text:
        input.action === "unlist"
          ? `The Ktizo team unlisted your shop from the marketplace. Reason: ${input.reason}\n\nYour workspace and existing orders keep working. Reply to this email to be listed again.`
          : `The Ktizo team listed your shop on the marketplace again. Note: ${input.reason}`,
    },
  ]);
  return shopSummaryOf(db, input.organizationId);
}

/** A shop's list entry (its page without the lists), as the console shows it after a change. */
async function shopSummaryOf(db: Executor, organizationId: string): Promise<AdminShopSummary> {
  const {
    stripeAccountId: _s,
    members: _m,
    printers: _p,
    orders: _o,
    reviews: _r,
    audit: _a,
    ...shop
  } = await getShop(db, organizationId);
  return shop;
}

/**
 * Cancels a shop for the platform (moderation; the admin typed its URL name and a reason): the shop's own
 * cancellation (`privacy/shop-cancellation.ts`) with the platform as the one who did it. It stops taking
 * orders at once (unlisted, widget off, open quotes expired, out of carts), its data is deleted after the
 * grace period, every member is emailed the reason, the owner cannot undo it, and it is audited.
 */
export async function cancelShopForPlatform(
  db: Database,
  services: Pick<Services, "mail">,
  clock: Clock,
  input: CancelShopInput,
  actorUserId: string,
): Promise<AdminShopSummary> {
  const exists = await db
    .selectFrom("shopSettings")
    .select("organizationId")
    .where("organizationId", "=", input.organizationId)
    .executeTakeFirst();
  if (!exists) throw notFound("No such shop");
  await cancelShop(
    db,
    services.mail,
    clock,
    { organizationId: input.organizationId, userId: actorUserId },
    { confirmSlug: input.confirmSlug },
    { reason: input.reason },
  );
  return shopSummaryOf(db, input.organizationId);
}

/** Marks a shop verified (its Stripe account must take charges) or takes the mark away. Audited. */
export async function verifyShop(
  db: Executor,
  input: VerifyShopInput,
  actorUserId: string,
  now: Date,
): Promise<{ organizationId: string; verified: boolean }> {
  return inTransaction(db, async (trx) => {
    const shop = await trx
      .selectFrom("shopSettings as s")
      .leftJoin("shopPaymentAccount as pa", "pa.organizationId", "s.organizationId")
      .select(["s.organizationId", "pa.chargesEnabled"])
      .where("s.organizationId", "=", input.organizationId)
      .forUpdate("s")
      .executeTakeFirst();
    if (!shop) throw notFound("No such shop");
    if (input.verified && shop.chargesEnabled !== true) {
      throw conflict("Only a shop whose Stripe account takes charges can be verified");
    }
    await trx
      .updateTable("shopSettings")
      .set(
        input.verified
          ? { verifiedAt: now, verifiedBy: actorUserId }
          : { verifiedAt: null, verifiedBy: null },
      )
      .where("organizationId", "=", input.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId,
      action: input.verified ? "admin.shop.verified" : "admin.shop.unverified",
      subjectType: "organization",
      subjectId: input.organizationId,
    });
    return { organizationId: input.organizationId, verified: input.verified };
  });
}
