/**
 * Dates and times, the one way: instants are stored in UTC and shown in a named IANA time zone (the
 * shop's for its workspace and its emails, the visitor's own on customer pages). What a shop types into
 * a date or time field means its own wall-clock time. Browser-safe: no server imports.
 */

import { safeLocale } from "./locale.ts";

export interface ZoneFormat {
  /** IANA zone name, e.g. "Pacific/Auckland". Default UTC. */
  timeZone?: string;
  /** BCP 47 locale for the wording. Default English. */
  locale?: string;
  /** Append the zone ("… UTC", "… (Pacific/Auckland)"). Default: only for UTC, so it is never mistaken. */
  label?: boolean;
}

type Instant = Date | string | number;

/** Zone names already checked (a board page checks its zone for every date it shows). */
const checkedZones = new Map<string, boolean>();

/** True for a zone name the runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  let known = checkedZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      known = zone.length > 0;
    } catch {
      known = false;
    }
    // Names come from settings and input: the memory stays bounded whatever is asked.
    if (checkedZones.size >= 1_000) checkedZones.clear();
    checkedZones.set(zone, known);
  }
  return known;
}

const safeZone = (zone: string | undefined) => (zone && isTimeZone(zone) ? zone : "UTC");

const formats = new Map<string, Intl.DateTimeFormat>();

const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
const DATE: Intl.DateTimeFormatOptions = { dateStyle: "medium" };

/** One formatter per locale, zone and style (`style` names `options`: no key is built from them per call). */
function cached(
  locale: string,
  timeZone: string,
  style: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

function zoneSuffix(timeZone: string, label: boolean | undefined): string {
  if (label === false) return "";
  if (timeZone === "UTC") return " UTC";
  return label ? ` (${timeZone})` : "";
}

/** "6 Dec 2026, 17:00" / "Dec 6, 2026, 5:00 PM" in the zone; "—" for no value. */
export function formatDateTime(value: Instant | null | undefined, zone: ZoneFormat = {}): string {
  if (value === null || value === undefined) return "—";
  const timeZone = safeZone(zone.timeZone);
  const text = cached(safeLocale(zone.locale), timeZone, "date-time", DATE_TIME).format(new Date(value));
  return text + zoneSuffix(timeZone, zone.label);
}

/** The calendar day in the zone: "6 Dec 2026"; "—" for no value. Never labelled (a day has no zone). */
export function formatDate(value: Instant | null | undefined, zone: ZoneFormat = {}): string {
  if (value === null || value === undefined) return "—";
  return cached(safeLocale(zone.locale), safeZone(zone.timeZone), "date", DATE).format(new Date(value));
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const PARTS: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
};

export function wallTime(value: Instant, timeZone: string): WallTime {
  const parts = cached("en-US", safeZone(timeZone), "parts", PARTS).formatToParts(new Date(value));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (+13 h for Auckland in summer). */
export function zoneOffsetMs(value: Instant, timeZone: string): number {
  const date = new Date(value);
  const w = wallTime(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (date.getTime() - date.getUTCMilliseconds());
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The day in the zone as the value of `<input type="date">` ("2026-12-06"); "" for no value. */
export function dateInputValue(value: Instant | null | undefined, timeZone: string): string {
  if (value === null || value === undefined) return "";
  const w = wallTime(value, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall-clock time in the zone as the value of `<input type="datetime-local">`; "" for no value. */
export function dateTimeInputValue(value: Instant | null | undefined, timeZone: string): string {
  if (value === null || value === undefined) return "";
  const w = wallTime(value, timeZone);
  return `${dateInputValue(value, timeZone)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant a wall-clock time in a zone names ("2026-04-05T02:30" in Pacific/Auckland). A time that
 * occurs twice (clocks turned back) is the first of the two; a time skipped by clocks going forward is
 * moved forward by the gap, as a wall clock would show it. Returns null for text that is not a date-time.
 */
export function zonedTimeToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  const zone = safeZone(timeZone);
  // Candidates: the wall time read with the offsets in force a day either side of it. Of those that map
  // back to the same wall time, the earliest; if none does (a skipped hour), the later offset's reading.
  const offsets = new Set([zoneOffsetMs(wall - 86_400_000, zone), zoneOffsetMs(wall + 86_400_000, zone)]);
  const candidates = [...offsets].map((o) => wall - o).sort((a, b) => a - b);
  const exact = candidates.filter((t) => t + zoneOffsetMs(t, zone) === wall);
  if (exact.length > 0) return new Date(exact[0] as number);
  const before = zoneOffsetMs(wall - 86_400_000, zone);
  return new Date(wall - before);
}
