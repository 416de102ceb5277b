import { dateInputValue, formatDateTime, zonedTimeToUtc } from "@ktizo/api/shared";
import { Alert, actionErrors, Badge, Button, buttonClass, Section, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { formatMinutes, num, STATUS_LABELS } from "~/components/shop/format";
import { MaintenanceRects } from "~/components/shop/plan-gantt";
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

type Conflict = { kind: string; message: string };
const noErrors = { formError: null, fieldErrors: {} as Record<string, string> };

const CONFLICT_LABELS: Record<string, string> = {
  overlap: "Overlap",
  printer_maintenance: "Maintenance",
  printer_offline: "Offline",
  out_of_stock: "Out of stock",
  does_not_fit: "Does not fit",
  material_not_supported: "Material not supported",
  past_due: "Past due",
};

export default function Schedule() {
  const {
    dateInput: dayInput,
    dateTimeInput: dateTimeInputValue,
    dateTime: formatWhen,
    timeZone,
  } = useFormat();
  const { timeline, jobs, days, offers, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as
    | {
        ok: boolean;
        message: string | null;
        conflicts: Conflict[];
        formError: string | null;
        fieldErrors: Record<string, string>;
      }
    | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const from = new Date(timeline.from).getTime();
  const to = new Date(timeline.to).getTime();
  const range = to - from;
  const preselected = params.get("job") ?? "";
  // A suggestion accepted on the job page names the printer similar jobs used.
  const preselectedPrinter = params.get("printer") ?? "";
  const fromDay = dayInput(from);
  // Noon of the day d days on: a day around a DST change is 23 or 25 hours long.
  const shift = (d: number) => `?from=${dayInput(from + d * DAY + DAY / 2)}&days=${days}`;
  const e = data?.fieldErrors ?? {};
  const defaultStart = dateTimeInputValue(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000));
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
      <Section
        id="schedule-form"
        title="Schedule a job"
        description="Conflicts are shown but do not block: you decide."
      >
        <Form method="post" noValidate className="space-y-4">
          {data?.ok ? (
            <Alert tone={data.conflicts.length ? "warning" : "success"}>
              {data.message}
              {data.conflicts.length ? (
                <ul className="mt-1 list-disc pl-5">
                  {data.conflicts.map((c) => (
                    <li key={c.kind + c.message}>
                      <strong>{CONFLICT_LABELS[c.kind] ?? c.kind}:</strong> {c.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          <ErrorSummary result={data?.ok ? undefined : data} />
          <div className="grid gap-4 sm:grid-cols-4">
            <SelectField label="Job" name="jobId" defaultValue={preselected} error={e.jobId}>
              <option value="">Choose a job…</option>
              {jobs.map((j) => (
                <option key={j.id} value={j.id}>
                  #{j.number} {j.title} ({STATUS_LABELS[j.status]})
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Printer"
              name="printerId"
              defaultValue={preselectedPrinter}
              error={e.printerId}
            >
              <option value="">Choose a printer…</option>
              {timeline.lanes.map((l) => (
                <option key={l.printer.id} value={l.printer.id}>
                  {l.printer.name}
                  {l.printer.status !== "available" ? ` (${l.printer.status})` : ""}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Start (${timeZone})`}
              name="startAt"
              type="datetime-local"
              defaultValue={defaultStart}
              error={e.startAt}
            />
            <TextField
              label="Duration (minutes)"
              name="durationMinutes"
              type="number"
              min={1}
              hint="Empty: the job's estimate"
              error={e.durationMinutes}
            />
          </div>
          <div className="flex justify-end gap-3">
            <Button type="submit" name="intent" value="check" variant="secondary" disabled={busy}>
              Check conflicts
            </Button>
            <Button type="submit" name="intent" value="set" disabled={busy}>
              Schedule job
            </Button>
          </div>
        </Form>
      </Section>
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
            <section
              key={lane.printer.id}
              aria-labelledby={`lane-${lane.printer.id}`}
              className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
            >
              <h2 id={`lane-${lane.printer.id}`} className="flex items-center gap-2 font-semibold">
                {lane.printer.name}
                {lane.printer.status !== "available" ? (
                  <Badge tone={lane.printer.status === "maintenance" ? "amber" : "slate"}>
                    {lane.printer.status === "maintenance" ? "In maintenance" : "Offline"}
                  </Badge>
                ) : null}
                <span className="text-xs font-normal text-slate-500">
                  {lane.printer.technology.toUpperCase()} · {lane.printer.buildVolumeMm.x}×
                  {lane.printer.buildVolumeMm.y}×{lane.printer.buildVolumeMm.z} mm
                </span>
              </h2>
              {/* Positions are SVG attributes in percent: the production CSP refuses style attributes. */}
              <svg
                aria-hidden="true"
                className="mt-3 block h-10 w-full rounded-md bg-slate-100 dark:bg-slate-800"
              >
                {Array.from({ length: days - 1 }, (_, i) => (
                  <line
                    key={`d${i + 1}`}
                    x1={`${((i + 1) / days) * 100}%`}
                    x2={`${((i + 1) / days) * 100}%`}
                    y1="0"
                    y2="100%"
                    className="stroke-slate-300 dark:stroke-slate-700"
                  />
                ))}
                <MaintenanceRects windows={lane.maintenance} from={from} to={to} />
                {lane.entries.map((en) => {
                  const s = Math.max(new Date(en.startAt).getTime(), from);
                  const t = Math.min(new Date(en.endAt).getTime(), to);
                  const x = `${((s - from) / range) * 100}%`;
                  const width = `${Math.max(((t - s) / range) * 100, 0.8)}%`;
                  return (
                    // A nested viewport clips the label to its bar.
                    <svg key={en.jobId} x={x} width={width} y="4" height="32" overflow="hidden">
                      <title>{`#${en.number} ${en.title}`}</title>
                      <rect
                        width="100%"
                        height="100%"
                        rx="4"
                        className={en.conflicts.length ? "fill-red-600" : "fill-brand-600"}
                      />
                      <text x="4" y="21" className="fill-white text-xs">
                        #{en.number}
                      </text>
                    </svg>
                  );
                })}
              </svg>
              {lane.maintenance.length ? (
                <ul
                  className="mt-2 space-y-1 text-sm"
                  aria-label={`Planned maintenance on ${lane.printer.name}`}
                >
                  {lane.maintenance.map((w) => (
                    <li key={w.id} className="flex flex-wrap items-center gap-2">
                      <Badge tone="amber">Maintenance</Badge>
                      <span className="text-slate-700 dark:text-slate-300">
                        {formatWhen(w.startAt)} → {formatWhen(w.endAt)}
                        {w.reason ? ` · ${w.reason}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {lane.entries.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Nothing scheduled.</p>
              ) : (
                <ul className="mt-3 divide-y divide-slate-100 text-sm dark:divide-slate-800">
                  {lane.entries.map((en) => (
                    <li key={en.jobId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                      <span>
                        <Link to={`/org/jobs/${en.jobId}`} className={linkClass}>
                          #{en.number} {en.title}
                        </Link>{" "}
                        <span className="text-slate-600 dark:text-slate-400">
                          · {en.customerName} · {formatWhen(en.startAt)} → {formatWhen(en.endAt)} (
                          {formatMinutes(en.durationMinutes)})
                        </span>
                        {en.conflicts.map((c) => (
                          <span key={c.kind + c.message} className="ml-2">
                            <Badge tone="red">{CONFLICT_LABELS[c.kind] ?? c.kind}</Badge>
                            <span className="sr-only">: {c.message}</span>
                          </span>
                        ))}
                      </span>
                      {en.status === "scheduled" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="clear" />
                          <input type="hidden" name="jobId" value={en.jobId} />
                          <button
                            type="submit"
                            className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                            aria-label={`Unschedule job #${en.number}`}
                          >
                            Unschedule
                          </button>
                        </Form>
                      ) : (
                        <Badge tone="amber">{STATUS_LABELS[en.status]}</Badge>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
    </ShopPage>
  );
}
