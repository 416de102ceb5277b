import { describe, expect, it } from "vitest";
import { keepKnown, steerByRules } from "./steer.ts";

// Monday 7 December 2026 in Berlin (UTC+1): each day starts at 23:00 UTC the day before.
const days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map(
  (weekday, i) => ({
    date: `2026-12-${String(7 + i).padStart(2, "0")}`,
    weekday,
    start: new Date(Date.UTC(2026, 11, 6 + i, 23)).toISOString(),
    end: new Date(Date.UTC(2026, 11, 7 + i, 23)).toISOString(),
  }),
);
const input = (sentence: string) => ({
  sentence,
  jobs: [
    { id: "job_a", label: "#1042 Brackets", customer: "Acme Robotics", due: null },
    { id: "job_b", label: "#1043 Housing", customer: "Acme Robotics", due: null },
    { id: "job_c", label: "#1044 Gears", customer: "Bolt Ltd", due: null },
  ],
  printers: [
    { id: "prn_mk4", name: "Prusa" },
    { id: "prn_xl", name: "Prusa XL" },
  ],
  now: "2026-12-07T09:00:00Z",
  timeZone: "Europe/Berlin",
  days,
});

describe("steering by local rules", () => {
  it("reads 'X first' as the customer's jobs first", () => {
    const { constraints, messages } = steerByRules(input("do the Acme order first"));
    expect(messages).toEqual([]);
    expect(constraints).toEqual([
      {
        kind: "first",
        jobIds: ["job_a", "job_b"],
        explanation: "#1042 Brackets, #1043 Housing go before other work.",
      },
    ]);
  });

  it("reads 'keep <printer> free on <weekday>' as the shop's whole day on the longest-named printer", () => {
    const { constraints } = steerByRules(input("keep the Prusa XL free on Friday"));
    expect(constraints).toEqual([
      {
        kind: "keep_free",
        printerId: "prn_xl",
        from: "2026-12-10T23:00:00.000Z",
        to: "2026-12-11T23:00:00.000Z",
        explanation: "Nothing is planned on Prusa XL on Friday 2026-12-11.",
      },
    ]);
  });

  it("reads 'not before' and 'on <printer>', joined with 'and'", () => {
    const { constraints, messages } = steerByRules(
      input("#1044 not before Wednesday and #1042 on the Prusa XL"),
    );
    expect(messages).toEqual([]);
    expect(constraints).toMatchObject([
      { kind: "not_before", jobId: "job_c", at: "2026-12-08T23:00:00.000Z" },
      { kind: "on_printer", jobId: "job_a", printerId: "prn_xl" },
    ]);
  });

  it("says what it could not read instead of guessing", () => {
    const { constraints, messages } = steerByRules(input("make everything faster"));
    expect(constraints).toEqual([]);
    expect(messages[0]).toMatch(/not understood/);
    expect(steerByRules(input("Zeta Corp first")).messages[0]).toMatch(/no open job matches/);
    expect(steerByRules(input("keep the Ender free on Friday")).messages[0]).toMatch(/no printer/);
  });

  it("drops a constraint naming an unknown job or printer, or an empty window, with a message", () => {
    const { constraints, messages } = keepKnown(input("x"), {
      constraints: [
        { kind: "first", jobIds: ["job_a"], explanation: "Brackets first" },
        { kind: "first", jobIds: ["job_zz"], explanation: "Ghost first" },
        { kind: "on_printer", jobId: "job_a", printerId: "prn_zz", explanation: "On the ghost" },
        {
          kind: "keep_free",
          printerId: "prn_xl",
          from: "2026-12-11T23:00:00Z",
          to: "2026-12-10T23:00:00Z",
          explanation: "Backwards",
        },
      ],
      notUnderstood: ["faster"],
    });
    expect(constraints).toHaveLength(1);
    expect(messages).toEqual([
      "faster",
      'Left out "Ghost first": it names a job that is not open for planning.',
      'Left out "On the ghost": it names a printer this shop does not have.',
      'Left out "Backwards": its time window is empty.',
    ]);
  });
});
