import type { Database, JobStatus } from "@ktizo/db";
import type { Clock } from "@ktizo/services";
import { createJob, createJobInput } from "../job/create-job.ts";
import { createCustomer, createCustomerInput } from "../job/customers.ts";
import { addJobNote } from "../job/notes.ts";
import { scheduleJob } from "../job/schedule.ts";
import { changeJobStatus } from "../job/status.ts";
import { inTransaction, type MemberActor } from "../kernel/index.ts";
import { addMaintenance } from "../shop/maintenance.ts";
import { createMaterial, createMaterialInput } from "../shop/materials.ts";
import { updateShopPricing } from "../shop/pricing.ts";
import { shopPricingRulesSchema } from "../shop/pricing-model.ts";
import { createPrinter, createPrinterInput } from "../shop/printers.ts";
import { updateShopProfile, updateShopProfileInput } from "../shop/profile.ts";
import { updateWidgetSettings, widgetSettingsSchema } from "../shop/widget.ts";
import { fdmPlan } from "./workspace-fdm-plan.ts";
import { HOUR } from "./workspace-plan-parts.ts";
import { resinPlan } from "./workspace-resin-plan.ts";

export interface SeedShopOptions {
  organizationId: string;
  ownerUserId: string;
  clock: Clock;
  /** "fdm": a filament print farm (default); "resin": a resin studio. */
  kind?: "fdm" | "resin";
}

/** Seeds never send email. */
const quietMail = { send: async () => ({ id: "seed" }) };

/**
 * Fills a shop's workspace so it looks alive on first start: profile, printers, materials (some low on
 * stock), pricing rules, widget, customers, jobs in every column of the board with history and notes,
 * and a filled schedule around "now". Idempotent: a shop that already has printers is left alone.
 * Runs in one transaction; sends no email.
 */
export async function seedShopWorkspace(
  db: Database,
  options: SeedShopOptions,
): Promise<{ created: boolean }> {
  const existing = await db
    .selectFrom("printer")
    .select("id")
    .where("organizationId", "=", options.organizationId)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { created: false };
  const kind = options.kind ?? "fdm";
  const actor: MemberActor = { organizationId: options.organizationId, userId: options.ownerUserId };
  const now = new Date(Math.floor(options.clock.now().getTime() / HOUR) * HOUR);
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
  const plan = kind === "resin" ? resinPlan : fdmPlan;

  await inTransaction(db, async (trx) => {
    const org = await trx
      .selectFrom("organization")
      .select("slug")
      .where("id", "=", options.organizationId)
      .executeTakeFirstOrThrow();
    await updateShopProfile(
      trx,
      actor,
      updateShopProfileInput.parse({ ...plan.profile, slug: org.slug }),
      at(-24 * 30),
    );

    const materials: Record<string, string> = {};
    for (const m of plan.materials) {
      const created = await createMaterial(trx, actor, createMaterialInput.parse(m), at(-24 * 30));
      materials[m.name] = created.id;
    }
    const printers: Record<string, string> = {};
    for (const p of plan.printers) {
      const created = await createPrinter(
        trx,
        actor,
        createPrinterInput.parse({ ...p, materialIds: p.materials.map((name) => materials[name]) }),
      );
      printers[p.name] = created.id;
    }
    // Planned maintenance four days out (issue 15): the planner keeps it free, the schedule shows it.
    const serviced = plan.printers[0]?.name;
    if (serviced && printers[serviced]) {
      await addMaintenance(
        trx,
        actor,
        {
          printerId: printers[serviced],
          startsAt: at(96),
          endsAt: at(99),
          reason: "Nozzle change and bed levelling",
        },
        now,
      );
    }
    await updateShopPricing(
      trx,
      actor,
      shopPricingRulesSchema.parse({
        ...plan.pricing,
        materials: Object.fromEntries(
          Object.entries(plan.pricing.materials).map(([name, rule]) => [materials[name], rule]),
        ),
        pairs: ("pairs" in plan.pricing ? plan.pricing.pairs : []).map(({ material, printer, ...rule }) => ({
          ...rule,
          materialId: materials[material],
          printerId: printers[printer],
        })),
      }),
      at(-24 * 29),
    );
    await updateWidgetSettings(
      trx,
      actor,
      widgetSettingsSchema.parse({
        enabled: true,
        allowedOrigins: [plan.website],
        defaultMaterialId: materials[plan.materials[0]?.name ?? ""] ?? null,
      }),
      at(-24 * 29),
    );

    const customers: string[] = [];
    for (const c of plan.customers) {
      customers.push((await createCustomer(trx, actor, createCustomerInput.parse(c), at(0))).id);
    }

    for (const [index, j] of plan.jobs.entries()) {
      const created = at(j.createdHoursAgo * -1);
      const job = await createJob(
        trx,
        quietMail,
        actor,
        createJobInput.parse({
          title: j.title,
          customerId: customers[index % customers.length],
          source: j.source,
          status: j.status === "quote" ? "quote" : "approved",
          priority: j.priority,
          rush: j.priority === "urgent",
          dueAt: at(j.dueInHours),
          items: j.items.map((i) => ({ ...i, materialId: materials[i.material] ?? null })),
        }),
        created,
      );
      let t = created.getTime();
      const step = (hours = 1) => {
        t += hours * HOUR;
        return new Date(Math.min(t, now.getTime()));
      };
      const printerId = printers[j.printer ?? plan.printers[0]?.name ?? ""];
      const path = STATUS_PATH[j.status];
      if (path.includes("scheduled") && printerId) {
        await scheduleJob(
          trx,
          quietMail,
          actor,
          { jobId: job.id, printerId, startAt: at(j.startInHours ?? 0) },
          step(),
        );
      }
      for (const to of path.filter((s) => s !== "scheduled" && s !== "approved" && s !== "quote")) {
        await changeJobStatus(trx, quietMail, actor, { jobId: job.id, to }, step(j.stepHours ?? 2));
      }
      for (const body of j.notes ?? []) await addJobNote(trx, actor, { jobId: job.id, body }, step(0.5));
    }

    // Older "new job" notifications have been seen; the latest few and the stock alerts are unread.
    const recent = await trx
      .selectFrom("notification")
      .select("id")
      .where("organizationId", "=", options.organizationId)
      .where("kind", "=", "job.new")
      .orderBy("createdAt", "desc")
      .offset(3)
      .limit(1000)
      .execute();
    if (recent.length > 0) {
      await trx
        .updateTable("notification")
        .set({ readAt: now })
        .where(
          "id",
          "in",
          recent.map((r) => r.id),
        )
        .execute();
    }
  });
  return { created: true };
}

/** The statuses a seeded job walks through to reach its column. */
const STATUS_PATH: Record<JobStatus, JobStatus[]> = {
  quote: [],
  approved: [],
  scheduled: ["scheduled"],
  printing: ["scheduled", "printing"],
  post_processing: ["scheduled", "printing", "post_processing"],
  ready: ["scheduled", "printing", "ready"],
  shipped: ["scheduled", "printing", "ready", "shipped"],
  picked_up: ["scheduled", "printing", "ready", "picked_up"],
  completed: ["scheduled", "printing", "ready", "shipped", "completed"],
  on_hold: ["scheduled", "on_hold"],
  cancelled: ["cancelled"],
};
