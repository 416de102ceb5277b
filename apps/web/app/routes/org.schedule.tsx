import { dateInputValue, formatDateTime, zonedTimeToUtc } from "@ktizo/api/shared";
import { Alert, actionErrors, buttonClass } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PrinterLane } from "~/components/schedule/printer-lane";
import { ScheduleJobSection } from "~/components/schedule/schedule-job-section";
import type { Conflict, ScheduleActionResult } from "~/components/schedule/types";
import { linkClass } from "~/components/shop/controls";
import { formatMinutes, num } from "~/components/shop/format";
import { ReplanOffers } from "~/components/shop/replan-offers";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { formText } from "~/lib/forms";
import { visitorLocale } from "~/lib/locale.server";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Schedule · Ktizo" }];

const DAY = 86_400_000;

/** Midnight, in the shop's zone, of the day an instant falls on there. */
function startOfDay(d: Date, timeZone: string) {
  return zonedTimeToUtc(dateInputValue(d, timeZone), timeZone) ?? d;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const fromParam = params.get("from");
  const { timeZone } = org.organization;
  const parsed = fromParam ? zonedTimeToUtc(fromParam, timeZone) : null;
  const from = parsed ?? startOfDay(new Date(), timeZone);
  const days = Math.min(Math.max(Number(params.get("days")) || 7, 1), 31);
  const to = new Date(from.getTime() + days * DAY);
  const [timeline, waiting, active, offers] = await Promise.all([
    org.api.job.schedule.timeline({ from, to }),
    org.api.job.list({ status: ["approved"], sort: "dueAt", page: 1, pageSize: 100, overdueOnly: false }),
    org.api.job.list({
      status: ["scheduled", "printing", "on_hold"],
      sort: "dueAt",
      page: 1,
      pageSize: 100,
      overdueOnly: false,
    }),
    org.api.job.plan.offers(),
  ]);
  return json({
    ...shellData(org),
    timeline,
    offers: offers.offers,
    days,
    jobs: [...waiting.items, ...active.items].map((j) => ({
      id: j.id,
      number: j.number,
      title: j.title,
      status: j.status,
      printerId: j.printerId,
      scheduledStartAt: j.scheduledStartAt,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const when = (at: Date) =>
    formatDateTime(at, { timeZone: org.organization.timeZone, locale: visitorLocale(request) });
  const form = await request.formData();
  const intent = formText(form, "intent");
  const start = formText(form, "startAt");
  const slot = {
    jobId: formText(form, "jobId"),
    printerId: formText(form, "printerId"),
    startAt: (read.dateTime(start) ?? "") as Date,
    durationMinutes: num(form.get("durationMinutes")),
  };
  try {
    if (intent === "clear") {
      await api.job.schedule.clear({ jobId: slot.jobId });
      return json({
        intent,
        ok: true,
        message: "Taken off the schedule.",
        conflicts: [] as Conflict[],
        ...noErrors,
      });
    }
    const result = intent === "check" ? await api.job.schedule.check(slot) : await api.job.schedule.set(slot);
    return json({
      intent,
      ok: true,
      message:
        intent === "check"
          ? result.conflicts.length
            ? "This slot has conflicts:"
            : "No conflicts: the slot is free."
          : `Scheduled for ${formatMinutes(result.durationMinutes)}, ${when(result.startAt)} to ${when(result.endAt)}.`,
      conflicts: result.conflicts.map((c) => ({ kind: c.kind, message: c.message })),
      ...noErrors,
    });
  } catch (error) {
    return json(
      {
        intent,
        ok: false,
        message: null,
        conflicts: [],
        ...actionErrors(error, "The job could not be scheduled."),
      },
      { status: 400 },
    );
  }
}

const noErrors = { formError: null, fieldErrors: {} as Record<string, string> };

export default function Schedule() {
  const { dateInput: dayInput, timeZone } = useFormat();
  const { timeline, jobs, days, offers, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ScheduleActionResult | undefined;
  const [params] = useSearchParams();
  const from = new Date(timeline.from).getTime();
  const to = new Date(timeline.to).getTime();
  const fromDay = dayInput(from);
  // Noon of the day d days on: a day around a DST change is 23 or 25 hours long.
  const shift = (d: number) => `?from=${dayInput(from + d * DAY + DAY / 2)}&days=${days}`;
  return (
    <ShopPage
      shell={shell}
      title="Schedule"
      description={`Printers and their jobs from ${fromDay} for ${days} days (times in ${timeZone}).`}
      actions={
        <>
          <Link to={shift(-days)} className={buttonClass("secondary")}>
            ← Earlier
          </Link>
          <Link to="?" className={buttonClass("secondary")}>
            Today
          </Link>
          <Link to={shift(days)} className={buttonClass("secondary")}>
            Later →
          </Link>
          <Link to="/org/schedule/plan" className={buttonClass("primary")}>
            Plan automatically
          </Link>
        </>
      }
    >
      {params.get("planned") ? (
        <Alert tone="success">Plan accepted: {params.get("planned")} jobs scheduled.</Alert>
      ) : null}
      <ReplanOffers offers={offers} />
      <ScheduleJobSection jobs={jobs} lanes={timeline.lanes} data={data} />
      {timeline.lanes.length === 0 ? (
        <Alert tone="info">
          No printers yet.{" "}
          <Link to="/org/printers?new=1" className={linkClass}>
            Add a printer
          </Link>{" "}
          to schedule jobs.
        </Alert>
      ) : (
        <div className="space-y-4">
          {timeline.lanes.map((lane) => (
            <PrinterLane key={lane.printer.id} lane={lane} days={days} from={from} to={to} />
          ))}
        </div>
      )}
    </ShopPage>
  );
}
