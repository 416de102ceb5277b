import type { Interval, WorkingHours } from "./types.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Minutes the zone is ahead of UTC at `t` (negative west of Greenwich). */
function offsetMinutes(formatter: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(t))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour! % 24,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / MINUTE);
}

/** Reads an instant's wall-clock parts in a zone (24-hour clock). */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
}

/** Epoch ms of a wall-clock time in the zone (DST-correct: the offset is checked at the result). */
function zonedToUtc(formatter: Intl.DateTimeFormat, y: number, m: number, d: number, minute: number): number {
  const naive = Date.UTC(y, m, d) + minute * MINUTE;
  let t = naive - offsetMinutes(formatter, naive) * MINUTE;
  t = naive - offsetMinutes(formatter, t) * MINUTE;
  return t;
}

/**
 * The shop's working windows between `from` and `to` as absolute intervals, sorted and merged
 * (a window ending at 24:00 joins the next day's starting at 00:00).
 */
export function workingWindows(hours: WorkingHours, from: number, to: number): Interval[] {
  const formatter = zoneFormatter(hours.timeZone);
  const windows: Interval[] = [];
  // Walk local calendar days from the day before `from` (a window may have started yesterday).
  const startLocal = new Date(from + offsetMinutes(formatter, from) * MINUTE - DAY);
  for (
    let day = Date.UTC(startLocal.getUTCFullYear(), startLocal.getUTCMonth(), startLocal.getUTCDate());
    ;
    day += DAY
  ) {
    const date = new Date(day);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth();
    const d = date.getUTCDate();
    if (zonedToUtc(formatter, y, m, d, 0) > to) break;
    for (const [startMinute, endMinute] of hours.days[date.getUTCDay()] ?? []) {
      const start = zonedToUtc(formatter, y, m, d, startMinute);
      const end = zonedToUtc(formatter, y, m, d, endMinute);
      if (end <= from || start >= to || end <= start) continue;
      const last = windows.at(-1);
      if (last && start <= last.end) last.end = Math.max(last.end, end);
      else windows.push({ start, end });
    }
  }
  return windows;
}

/** Index of the first window that ends after `t` (binary search), or windows.length. */
export function windowAfter(windows: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = windows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (windows[mid]!.end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** One calendar day in a time zone: its date, weekday and the instants it starts and ends. */
export interface LocalDay {
  /** YYYY-MM-DD in the zone. */
  date: string;
  weekday: (typeof WEEKDAYS)[number];
  start: number;
  end: number;
}

/**
 * `count` calendar days in `timeZone` from the one containing `from` (DST-correct: a day may last 23
 * or 25 hours). Steering ("keep the Prusa free on Friday") names days; this says when they are.
 */
export function localDays(from: number, count: number, timeZone: string): LocalDay[] {
  const formatter = zoneFormatter(timeZone);
  const local = new Date(from + offsetMinutes(formatter, from) * MINUTE);
  const days: LocalDay[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + i));
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth();
    const d = date.getUTCDate();
    days.push({
      date: date.toISOString().slice(0, 10),
      weekday: WEEKDAYS[date.getUTCDay()]!,
      start: zonedToUtc(formatter, y, m, d, 0),
      end: zonedToUtc(formatter, y, m, d + 1, 0),
    });
  }
  return days;
}
