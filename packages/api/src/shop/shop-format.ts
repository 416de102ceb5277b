import { shopLocale } from "../browser-safe/locale.ts";
import { formatMoney } from "../browser-safe/money.ts";
import { formatDate, formatDateTime } from "../browser-safe/time.ts";
import type { Executor } from "../kernel/index.ts";

export interface ShopFormat {
  locale: string;
  timeZone: string;
  money: (minor: number, currency: string) => string;
  date: (value: Date) => string;
  /** With the zone's name, since an email is read anywhere. */
  dateTime: (value: Date) => string;
}

/**
 * How a shop's emails and notifications word money and times: its time zone (the shop profile's) and its
 * country's conventions (shopLocale). One query; the shop's texts are written once, so they are worded
 * when they are made.
 */
export async function shopFormat(db: Executor, organizationId: string): Promise<ShopFormat> {
  const row = await db
    .selectFrom("organizationProfile")
    .leftJoin("shopSettings", "shopSettings.organizationId", "organizationProfile.organizationId")
    .select(["organizationProfile.country", "shopSettings.timezone"])
    .where("organizationProfile.organizationId", "=", organizationId)
    .executeTakeFirst();
  const locale = shopLocale(row?.country);
  const timeZone = row?.timezone ?? "UTC";
  return {
    locale,
    timeZone,
    money: (minor, currency) => formatMoney(minor, currency, locale),
    date: (value) => formatDate(value, { timeZone, locale }),
    dateTime: (value) => formatDateTime(value, { timeZone, locale, label: true }),
  };
}
