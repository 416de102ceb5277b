import {
  dateInputValue,
  dateTimeInputValue,
  formatDate,
  formatDateTime,
  formatMoney,
  moneyInputValue,
  rateInputValue,
} from "@ktizo/api/shared";
import { useMatches, useRouteLoaderData } from "@remix-run/react";
import { useSyncExternalStore } from "react";

/**
 * How the web app's pages show money and times: the one module (`@ktizo/api/shared`) bound to the
 * visitor's locale (root loader, from Accept-Language) and a time zone. Workspace pages (their loader
 * data carries the shop's `organization.timeZone`, see shellData) show the shop's zone, on the server and
 * in the browser alike. Customer pages show the visitor's own zone: the server renders UTC (labelled) and
 * the browser switches to its zone right after hydration (useSyncExternalStore's server snapshot), so
 * hydration never sees a mismatch.
 */

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const serverZone = () => "UTC";

export function useLocale(): string {
  return useRouteLoaderData<{ locale?: string }>("root")?.locale ?? "en";
}

/** The shop's zone when the page is a workspace page (the deepest route whose data names one). */
function useShopZone(): string | null {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { organization?: { timeZone?: unknown } } | null | undefined;
    const zone = data?.organization?.timeZone;
    if (typeof zone === "string") return zone;
  }
  return null;
}

export interface Formatters {
  locale: string;
  timeZone: string;
  money: (minor: number, currency: string) => string;
  /** The amount as a money input's value in the visitor's locale (parseMoney reads it back exactly). */
  moneyInput: (minor: number, currency: string) => string;
  /** A per-gram or per-hour rate (fractional minor units) as an input's value; "" for none. */
  rateInput: (minor: number | null | undefined, currency: string) => string;
  date: (value: Date | string | null | undefined) => string;
  dateTime: (value: Date | string | null | undefined) => string;
  /** A calendar day ("2026-05-31": an invoice's issue or due date) as it is, in no zone ("" for none). */
  day: (value: string | null | undefined) => string;
  /** Values of <input type="date"> / <input type="datetime-local"> in the page's zone ("" for none). */
  dateInput: (value: Date | string | number | null | undefined) => string;
  dateTimeInput: (value: Date | string | number | null | undefined) => string;
}

export function useFormat(): Formatters {
  const locale = useLocale();
  const shopZone = useShopZone();
  const ownZone = useSyncExternalStore(noSubscription, browserZone, serverZone);
  const timeZone = shopZone ?? ownZone;
  return {
    locale,
    timeZone,
    money: (minor, currency) => formatMoney(minor, currency, locale),
    moneyInput: (minor, currency) => moneyInputValue(minor, currency, locale),
    rateInput: (minor, currency) => rateInputValue(minor, currency, locale),
    date: (value) => formatDate(value, { timeZone, locale }),
    dateTime: (value) => formatDateTime(value, { timeZone, locale }),
    day: (value) => (value ? formatDate(`${value}T00:00:00Z`, { timeZone: "UTC", locale }) : ""),
    dateInput: (value) => dateInputValue(value, timeZone),
    dateTimeInput: (value) => dateTimeInputValue(value, timeZone),
  };
}
