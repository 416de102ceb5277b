import { describe, expect, it } from "vitest";
import {
  dateInputValue,
  dateTimeInputValue,
  formatDate,
  formatDateTime,
  isTimeZone,
  zonedTimeToUtc,
  zoneOffsetMs,
} from "./time.ts";

const AKL = "Pacific/Auckland";
const LA = "America/Los_Angeles";
const H = 3_600_000;

describe("formatting in a zone", () => {
  // 2026-12-06 11:30 UTC is already the 7th in Auckland (UTC+13, summer) and still the 6th in LA (UTC−8).
  const instant = new Date("2026-12-06T11:30:00Z");

  it("shows the wall clock and the calendar day of the zone, around midnight", () => {
    expect(formatDateTime(instant, { timeZone: AKL, locale: "en-GB" })).toBe("7 Dec 2026, 00:30");
    expect(formatDateTime(instant, { timeZone: LA, locale: "en-GB" })).toBe("6 Dec 2026, 03:30");
    expect(formatDate(instant, { timeZone: AKL, locale: "en-GB" })).toBe("7 Dec 2026");
    expect(formatDate("2026-12-06T10:59:00Z", { timeZone: AKL, locale: "en-GB" })).toBe("6 Dec 2026");
    expect(formatDate("2026-12-07T07:59:00Z", { timeZone: LA, locale: "en-US" })).toBe("Dec 6, 2026");
    expect(formatDate("2026-12-07T08:00:00Z", { timeZone: LA, locale: "en-US" })).toBe("Dec 7, 2026");
  });

  it("labels UTC (and other zones on request), and shows a dash for no value", () => {
    expect(formatDateTime(instant, { locale: "en-GB" })).toBe("6 Dec 2026, 11:30 UTC");
    expect(formatDateTime(instant, { timeZone: AKL, locale: "en-GB", label: true })).toBe(
      "7 Dec 2026, 00:30 (Pacific/Auckland)",
    );
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
  });

  it("follows daylight saving time", () => {
    // Auckland leaves summer time on 2026-04-05 (03:00 NZDT → 02:00 NZST); LA starts it 2026-03-08.
    expect(zoneOffsetMs("2026-04-04T12:00:00Z", AKL)).toBe(13 * H);
    expect(zoneOffsetMs("2026-04-05T12:00:00Z", AKL)).toBe(12 * H);
    expect(zoneOffsetMs("2026-03-08T09:00:00Z", LA)).toBe(-8 * H);
    expect(zoneOffsetMs("2026-03-08T11:00:00Z", LA)).toBe(-7 * H);
    expect(formatDateTime("2026-03-08T09:59:00Z", { timeZone: LA, locale: "en-GB" })).toBe(
      "8 Mar 2026, 01:59",
    );
    expect(formatDateTime("2026-03-08T10:00:00Z", { timeZone: LA, locale: "en-GB" })).toBe(
      "8 Mar 2026, 03:00",
    );
  });

  it("falls back to UTC for an unknown zone rather than failing the page", () => {
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone(AKL)).toBe(true);
    expect(formatDateTime(instant, { timeZone: "Mars/Olympus", locale: "en-GB" })).toBe(
      "6 Dec 2026, 11:30 UTC",
    );
  });
});

describe("date inputs in a zone", () => {
  it("writes the zone's day and wall time", () => {
    expect(dateInputValue("2026-12-06T11:30:00Z", AKL)).toBe("2026-12-07");
    expect(dateInputValue("2026-12-06T11:30:00Z", LA)).toBe("2026-12-06");
    expect(dateTimeInputValue("2026-12-06T11:30:00Z", AKL)).toBe("2026-12-07T00:30");
    expect(dateTimeInputValue("2027-01-01T07:59:00Z", LA)).toBe("2026-12-31T23:59");
    expect(dateInputValue(null, AKL)).toBe("");
  });

  it("reads a wall time as the zone's instant, around midnight", () => {
    expect(zonedTimeToUtc("2026-12-07T00:30", AKL)?.toISOString()).toBe("2026-12-06T11:30:00.000Z");
    expect(zonedTimeToUtc("2026-12-31T23:59", LA)?.toISOString()).toBe("2027-01-01T07:59:00.000Z");
    expect(zonedTimeToUtc("2026-12-07", AKL)?.toISOString()).toBe("2026-12-06T11:00:00.000Z");
    expect(zonedTimeToUtc("2026-12-07T17:00", "UTC")?.toISOString()).toBe("2026-12-07T17:00:00.000Z");
  });

  it("reads wall times across DST: the skipped hour moves forward, the repeated hour is the first", () => {
    // LA 2026-03-08 02:30 does not exist: shown as 03:30 PDT.
    expect(zonedTimeToUtc("2026-03-08T02:30", LA)?.toISOString()).toBe("2026-03-08T10:30:00.000Z");
    expect(zonedTimeToUtc("2026-03-08T03:30", LA)?.toISOString()).toBe("2026-03-08T10:30:00.000Z");
    // LA 2026-11-01 01:30 happens twice: the PDT one.
    expect(zonedTimeToUtc("2026-11-01T01:30", LA)?.toISOString()).toBe("2026-11-01T08:30:00.000Z");
    // Auckland 2026-04-05 02:30 happens twice (NZDT first); 2026-09-27 02:30 does not exist.
    expect(zonedTimeToUtc("2026-04-05T02:30", AKL)?.toISOString()).toBe("2026-04-04T13:30:00.000Z");
    expect(zonedTimeToUtc("2026-09-27T02:30", AKL)?.toISOString()).toBe("2026-09-26T14:30:00.000Z");
    expect(dateTimeInputValue(zonedTimeToUtc("2026-09-27T02:30", AKL), AKL)).toBe("2026-09-27T03:30");
  });

  it("round-trips every hour of a year in both zones; only the repeated hour reads as its first pass", () => {
    for (const zone of [AKL, LA]) {
      let repeated = 0;
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += H) {
        const wall = dateTimeInputValue(t, zone);
        const back = zonedTimeToUtc(wall, zone)?.getTime();
        expect(dateTimeInputValue(back, zone), `${zone} ${wall}`).toBe(wall);
        if (back !== t) {
          expect(back, `${zone} ${wall}`).toBe(t - H);
          repeated++;
        }
      }
      expect(repeated, zone).toBe(1);
    }
  });

  it("refuses text that is not a date-time", () => {
    for (const bad of [
      "",
      "2026-02-30",
      "2026-13-01",
      "2026-12-07T24:00",
      "7 Dec 2026",
      "2026-12-07T10:60",
    ]) {
      expect(zonedTimeToUtc(bad, AKL), bad).toBeNull();
    }
  });
});
