import type { z } from "zod";
import type { SteeredConstraint, SteerResult, steerAnswerSchema, steerInputSchema } from "./types.ts";

type SteerData = z.output<typeof steerInputSchema>;
type Job = SteerData["jobs"][number];
type Printer = SteerData["printers"][number];
type Day = SteerData["days"][number];

/**
 * What any backend proposes is checked against what the shop has: a constraint naming a job or printer
 * not in the input, or a time window that is empty, is dropped with a message saying so; the rest is
 * returned as it came.
 */
export function keepKnown(
  input: SteerData,
  answer: z.output<typeof steerAnswerSchema>,
): Omit<SteerResult, "source"> {
  const jobs = new Set(input.jobs.map((j) => j.id));
  const printers = new Set(input.printers.map((p) => p.id));
  const messages = [...answer.notUnderstood];
  const constraints: SteeredConstraint[] = [];
  for (const c of answer.constraints) {
    const jobIds = c.kind === "first" ? c.jobIds : "jobId" in c ? [c.jobId] : [];
    const unknownJobs = jobIds.filter((id) => !jobs.has(id));
    if (unknownJobs.length > 0) {
      messages.push(`Left out "${c.explanation}": it names a job that is not open for planning.`);
      continue;
    }
    if ("printerId" in c && !printers.has(c.printerId)) {
      messages.push(`Left out "${c.explanation}": it names a printer this shop does not have.`);
      continue;
    }
    if (c.kind === "keep_free" && Date.parse(c.to) <= Date.parse(c.from)) {
      messages.push(`Left out "${c.explanation}": its time window is empty.`);
      continue;
    }
    constraints.push(c);
  }
  return { constraints, messages };
}

const STOP = /\b(the|a|an|order|orders|job|jobs|print|prints|please|all|of|for|'s)\b/g;
const FIRST = /\b(first|before (?:anything|everything)(?: else)?|asap|as soon as possible|urgently)\b/;

function clean(text: string): string {
  return text.replace(STOP, " ").replace(/\s+/g, " ").trim();
}

/** Jobs a phrase names: "#1042", a customer ("Acme") or words of the title; none when ambiguous-empty. */
function jobsNamed(phrase: string, jobs: readonly Job[]): Job[] {
  const number = /#\s*(\d+)/.exec(phrase)?.[1];
  if (number) return jobs.filter((j) => j.label.startsWith(`#${number} `) || j.label === `#${number}`);
  const term = clean(phrase.toLowerCase().replace(/^(do|print|start|make|run|put|plan|schedule)\s+/, ""));
  if (term.length < 2) return [];
  const byCustomer = jobs.filter((j) => j.customer?.toLowerCase().includes(term));
  if (byCustomer.length > 0) return byCustomer;
  return jobs.filter((j) => j.label.toLowerCase().includes(term));
}

/** The printer whose name the text mentions (the longest name wins: "Prusa XL" over "Prusa"). */
function printerNamed(text: string, printers: readonly Printer[]): Printer | null {
  const lower = text.toLowerCase();
  const found = printers
    .filter((p) => lower.includes(p.name.toLowerCase()))
    .sort((a, b) => b.name.length - a.name.length);
  return found[0] ?? null;
}

/** A day the text names: today, tomorrow, a weekday (the next one, today included) or YYYY-MM-DD. */
function dayNamed(text: string, days: readonly Day[]): Day | null {
  const lower = text.toLowerCase();
  if (/\btoday\b/.test(lower)) return days[0] ?? null;
  if (/\btomorrow\b/.test(lower)) return days[1] ?? null;
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(lower)?.[1];
  if (iso) return days.find((d) => d.date === iso) ?? null;
  const weekday = days.find((d) => new RegExp(`\\b${d.weekday.toLowerCase()}\\b`).test(lower));
  return weekday ?? null;
}

const label = (j: Job) => j.label;

/**
 * The local stand-in for steering: a few sentence shapes, enough for the phrases people type most
 * ("Acme first", "keep the Prusa XL free on Friday", "#1042 not before Monday", "#1042 on the Prusa
 * XL"). Several may be joined with "and" or a full stop; what it cannot read it says so.
 */
export function steerByRules(input: SteerData): Omit<SteerResult, "source"> {
  const constraints: SteeredConstraint[] = [];
  const notUnderstood: string[] = [];
  const clauses = input.sentence
    .split(/[.;\n]|,\s*(?:and\s+)?|\s+and\s+(?=(?:keep|do|print|put|run|start|make|#)\b)/i)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  for (const clause of clauses) {
    const lower = clause.toLowerCase();
    const keep = /\bkeep\b(.*)\bfree\b(.*)/.exec(lower);
    if (keep) {
      const printer = printerNamed(clause, input.printers);
      const day = dayNamed(keep[2] ?? "", input.days);
      if (!printer) notUnderstood.push(`"${clause}": no printer of this shop is named.`);
      else if (!day) notUnderstood.push(`"${clause}": say which day (a weekday, today, tomorrow or a date).`);
      else
        constraints.push({
          kind: "keep_free",
          printerId: printer.id,
          from: day.start,
          to: day.end,
          explanation: `Nothing is planned on ${printer.name} on ${day.weekday} ${day.date}.`,
        });
      continue;
    }
    const notBefore = /^(.*?)\s+(?:not before|not until|no earlier than|after)\s+(.*)$/.exec(lower);
    if (notBefore) {
      const jobs = jobsNamed(notBefore[1] ?? "", input.jobs);
      const day = dayNamed(notBefore[2] ?? "", input.days);
      if (jobs.length === 0) notUnderstood.push(`"${clause}": no open job matches.`);
      else if (!day) notUnderstood.push(`"${clause}": say which day (a weekday, tomorrow or a date).`);
      else
        for (const job of jobs)
          constraints.push({
            kind: "not_before",
            jobId: job.id,
            at: day.start,
            explanation: `${job.label} does not start before ${day.weekday} ${day.date}.`,
          });
      continue;
    }
    const printer = printerNamed(clause, input.printers);
    const onPrinter = printer ? /^(.*?)\s+on\s+(?:the\s+)?/.exec(lower) : null;
    if (printer && onPrinter && !FIRST.test(lower)) {
      const jobs = jobsNamed(onPrinter[1] ?? "", input.jobs);
      if (jobs.length === 0) notUnderstood.push(`"${clause}": no open job matches.`);
      for (const job of jobs)
        constraints.push({
          kind: "on_printer",
          jobId: job.id,
          printerId: printer.id,
          explanation: `${job.label} is printed on ${printer.name}.`,
        });
      continue;
    }
    if (FIRST.test(lower)) {
      const jobs = jobsNamed(lower.replace(FIRST, " "), input.jobs);
      if (jobs.length === 0) notUnderstood.push(`"${clause}": no open job matches.`);
      else
        constraints.push({
          kind: "first",
          jobIds: jobs.map((j) => j.id).slice(0, 50),
          explanation: `${jobs.map(label).join(", ")} ${jobs.length === 1 ? "goes" : "go"} before other work.`,
        });
      continue;
    }
    notUnderstood.push(
      `"${clause}": not understood. Try "Acme first", "keep <printer> free on Friday", "<job> not before Monday" or "<job> on <printer>".`,
    );
  }
  return keepKnown(input, { constraints, notUnderstood });
}
