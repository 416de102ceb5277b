import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail, fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyOverdueJobs } from "../job/overdue.ts";
import { callerFor, createTestOrganization, createTestUser } from "../testing/index.ts";
import { dateInputValue, formatDate, formatMoney, parseMoney, zonedTimeToUtc } from "./index.ts";

/**
 * Money and times from the workspace form through the database to the API's output, the shop's email and
 * the CSV export, for a currency without decimals (JPY) and one with three (KWD), in a shop on each side of
 * the date line, on the day each changes its clocks.
 */
let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const CASES = [
  {
    currency: "JPY",
    country: "JP",
    timeZone: "Pacific/Auckland",
    locale: "ja-JP",
    typedPrice: "￥1,200",
    typedShipping: "800",
    priceMinor: 1200,
    shippingMinor: 800,
    // NZ leaves summer time on 2026-04-05: 17:00 that day is NZST (UTC+12).
    dueDay: "2026-04-05",
    dueUtc: "2026-04-05T05:00:00.000Z",
    page: { total: "￥2,400", shipping: "￥800" },
    email: {
      total: "Total ¥2,400, due Apr 5, 2026.",
      overdue: /was due Apr 5, 2026, 17:00 \(Pacific\/Auckland\)/,
    },
    csvTotal: ",2400,JPY,",
  },
  {
    currency: "KWD",
    country: "KW",
    timeZone: "America/Los_Angeles",
    locale: "en-US",
    typedPrice: "KWD 1.250",
    typedShipping: "0.5",
    priceMinor: 1250,
    shippingMinor: 500,
    // LA starts summer time on 2026-03-08; 17:00 PDT that day is already the 9th in UTC.
    dueDay: "2026-03-08",
    dueUtc: "2026-03-09T00:00:00.000Z",
    page: { total: "KWD\u00a02.500", shipping: "KWD\u00a00.500" },
    email: {
      total: "Total KWD\u00a02.500, due Mar 8, 2026.",
      // ICU versions differ in the space before PM.
      overdue: /was due Mar 8, 2026, 5:00\sPM \(America\/Los_Angeles\)/,
    },
    csvTotal: ",2.500,KWD,",
  },
] as const;

describe.each(CASES)("$currency shop in $timeZone", (c) => {
  it("keeps the amount in the currency's digits and the due day in the shop's zone, everywhere", async () => {
    const db = handle.db;
    const clock = fixedClock("2026-03-01T00:00:00Z");
    const user = await createTestUser(db, { name: `${c.currency} Owner` });
    const { organizationId, owner } = await createTestOrganization(db, user, {
      name: `${c.currency} Prints`,
      country: c.country,
      currency: c.currency,
    });
    const api = callerFor(handle, owner, { clock });

    // The shop profile form: time zone and a shipping price typed in the visitor's locale.
    await api.shop.profile.update({
      timezone: c.timeZone,
      shippingOptions: [
        {
          name: "Post",
          priceMinor: parseMoney(c.typedShipping, c.currency, c.locale),
          days: 3,
          countries: [],
        },
      ],
    });
    expect((await api.account.organization.get()).timeZone).toBe(c.timeZone);

    // The new-job form: a unit price as typed, the due day read in the shop's zone (end of its day).
    const dueAt = zonedTimeToUtc(`${c.dueDay}T17:00`, c.timeZone);
    expect(dueAt?.toISOString()).toBe(c.dueUtc);
    const created = await api.job.create({
      title: "Gear set",
      newCustomer: { name: "Kai", email: `kai-${c.currency.toLowerCase()}@example.test` },
      source: "walk_in",
      status: "approved",
      dueAt,
      items: [
        { description: "Gear", quantity: 2, unitPriceMinor: parseMoney(c.typedPrice, c.currency, c.locale) },
      ],
    });

    // The database holds integer minor units of the currency and the UTC instant.
    const row = await db
      .selectFrom("job")
      .innerJoin("jobItem", "jobItem.jobId", "job.id")
      .select(["job.totalMinor", "job.currency", "job.dueAt", "jobItem.unitPriceMinor"])
      .where("job.id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      totalMinor: 2 * c.priceMinor,
      currency: c.currency,
      dueAt: new Date(c.dueUtc),
      unitPriceMinor: c.priceMinor,
    });
    const settings = await db
      .selectFrom("shopSettings")
      .select("shippingOptions")
      .where("organizationId", "=", organizationId)
      .executeTakeFirstOrThrow();
    expect(settings.shippingOptions[0]?.priceMinor).toBe(c.shippingMinor);

    // The API's output, as the page shows it; the due date input shows the day that was typed.
    const job = await api.job.get({ id: created.id });
    expect(formatMoney(job.totalMinor, job.currency, c.locale)).toBe(c.page.total);
    expect(dateInputValue(job.dueAt, c.timeZone)).toBe(c.dueDay);
    expect(formatDate(job.dueAt, { timeZone: c.timeZone, locale: "en-US" })).toBe(
      c.dueDay === "2026-04-05" ? "Apr 5, 2026" : "Mar 8, 2026",
    );
    const profile = await api.shop.profile.get();
    expect(formatMoney(profile.shippingOptions[0]?.priceMinor ?? -1, profile.currency, c.locale)).toBe(
      c.page.shipping,
    );

    // The shop's emails: the new job's total in its currency, and the overdue notice in its zone.
    const newJobMail = await db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("organizationId", "=", organizationId)
      .where("template", "=", "shop-job-new")
      .executeTakeFirstOrThrow();
    expect(newJobMail.bodyText).toContain(c.email.total);
    await notifyOverdueJobs(db, createOutboxMail(db), fixedClock("2026-04-06T00:00:00Z"));
    const overdueMail = await db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("organizationId", "=", organizationId)
      .where("template", "=", "shop-job-overdue")
      .executeTakeFirstOrThrow();
    expect(overdueMail.bodyText).toMatch(c.email.overdue);
    const notice = await db
      .selectFrom("notification")
      .select("body")
      .where("organizationId", "=", organizationId)
      .where("kind", "=", "job.overdue")
      .executeTakeFirstOrThrow();
    expect(notice.body).toMatch(c.email.overdue);

    // The CSV export: the amount in the currency's digits, never as cents.
    const { csv } = await api.job.exportCsv({});
    expect(csv).toContain(c.csvTotal);
  });
});
