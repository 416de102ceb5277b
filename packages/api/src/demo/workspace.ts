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

export interface SeedShopOptions {
  organizationId: string;
  ownerUserId: string;
  clock: Clock;
  /** "fdm": a filament print farm (default); "resin": a resin studio. */
  kind?: "fdm" | "resin";
}

/** Seeds never send email. */
const quietMail = { send: async () => ({ id: "seed" }) };

const HOUR = 3_600_000;

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

interface SeedJob {
  title: string;
  status: JobStatus;
  source: "manual" | "walk_in" | "phone" | "email";
  priority: "low" | "normal" | "high" | "urgent";
  createdHoursAgo: number;
  dueInHours: number;
  /** Where the print sits on the schedule, relative to now. */
  startInHours?: number;
  stepHours?: number;
  printer?: string;
  notes?: string[];
  items: {
    description: string;
    quantity: number;
    material: string;
    color: string;
    unitPriceMinor: number;
    gramsPerUnit: number;
    minutesPerUnit: number;
    sizeMm: { x: number; y: number; z: number };
  }[];
}

const part = (
  description: string,
  material: string,
  quantity: number,
  unitPriceMinor: number,
  gramsPerUnit: number,
  minutesPerUnit: number,
  size: [number, number, number],
  color = "Black",
) => ({
  description,
  material,
  quantity,
  color,
  unitPriceMinor,
  gramsPerUnit,
  minutesPerUnit,
  sizeMm: { x: size[0], y: size[1], z: size[2] },
});

const customersFor = (country: string, city: string) => [
  {
    name: "Priya Shah",
    company: "Shah Robotics",
    email: "priya@shahrobotics.example",
    phone: "+1 503 555 0101",
    addresses: [{ label: "Office", line1: "45 Foundry Way", city, postalCode: "10001", country }],
    notes: "Prefers matte black. Invoices to accounts@shahrobotics.example.",
  },
  {
    name: "Tom Becker",
    email: "tom.becker@example.net",
    phone: "+1 503 555 0119",
    notes: "Walk-in regular.",
  },
  {
    name: "Lena Fischer",
    company: "Atelier Fischer",
    email: "lena@atelierfischer.example",
    addresses: [{ label: "Studio", line1: "8 Canal St", city, postalCode: "10002", country }],
  },
  { name: "Marcus Lee", company: "Lee Drones", email: "marcus@leedrones.example", phone: "+1 503 555 0177" },
  { name: "Sofia Romero", email: "sofia.romero@example.org" },
  {
    name: "Hank Ito",
    company: "Ito Architecture",
    email: "hank@itoarch.example",
    notes: "Scale models, tight deadlines.",
  },
];

const fdmPlan = {
  website: "https://northside-print-lab.example",
  profile: {
    description:
      "Portland's neighbourhood print farm: functional FDM parts in PLA, PETG, ABS and TPU, from one-offs to short runs. Same-week turnaround.",
    contactEmail: "hello@northside.example",
    timezone: "America/Los_Angeles",
    technologies: ["fdm"],
    standardLeadDays: 5,
    rushLeadDays: 2,
    shippingOptions: [
      { name: "Local pickup", priceMinor: 0, days: 0 },
      { name: "USPS Ground", priceMinor: 895, days: 4 },
      { name: "UPS 2nd Day", priceMinor: 2195, days: 2 },
    ],
    listed: true,
  },
  materials: [
    {
      name: "PLA Basic",
      kind: "PLA",
      technology: "fdm",
      colors: ["Black", "White", "Grey", "Red"],
      finishes: ["Standard", "Matte"],
      densityGramsPerCm3: 1.24,
      costPerKgMinor: 1999,
      reorderThresholdG: 2000,
      initialStockG: 12000,
    },
    {
      name: "PETG",
      kind: "PETG",
      technology: "fdm",
      colors: ["Black", "Clear"],
      finishes: ["Standard"],
      densityGramsPerCm3: 1.27,
      costPerKgMinor: 2399,
      reorderThresholdG: 1500,
      initialStockG: 1700,
    },
    {
      name: "ABS",
      kind: "ABS",
      technology: "fdm",
      colors: ["Black", "White"],
      finishes: ["Standard", "Vapor smoothed"],
      densityGramsPerCm3: 1.04,
      costPerKgMinor: 2199,
      reorderThresholdG: 1000,
      initialStockG: 4000,
    },
    {
      name: "TPU 95A",
      kind: "TPU",
      technology: "fdm",
      colors: ["Black"],
      finishes: ["Standard"],
      densityGramsPerCm3: 1.21,
      costPerKgMinor: 3499,
      reorderThresholdG: 500,
      initialStockG: 400,
    },
  ],
  printers: [
    {
      name: "Prusa MK4 #1",
      make: "Prusa",
      model: "MK4",
      technology: "fdm",
      buildVolumeMm: { x: 250, y: 210, z: 220 },
      layerHeightsMm: [0.1, 0.15, 0.2, 0.3],
      nozzleMm: 0.4,
      hourlyRateMinor: 300,
      status: "available",
      materials: ["PLA Basic", "PETG", "TPU 95A"],
    },
    {
      name: "Prusa MK4 #2",
      make: "Prusa",
      model: "MK4",
      technology: "fdm",
      buildVolumeMm: { x: 250, y: 210, z: 220 },
      layerHeightsMm: [0.1, 0.2],
      nozzleMm: 0.4,
      hourlyRateMinor: 300,
      status: "available",
      materials: ["PLA Basic", "PETG"],
    },
    {
      name: "Bambu X1C",
      make: "Bambu Lab",
      model: "X1 Carbon",
      technology: "fdm",
      buildVolumeMm: { x: 256, y: 256, z: 256 },
      layerHeightsMm: [0.08, 0.12, 0.2],
      nozzleMm: 0.4,
      hourlyRateMinor: 400,
      status: "available",
      materials: ["PLA Basic", "PETG", "ABS"],
    },
    {
      name: "Prusa XL",
      make: "Prusa",
      model: "XL",
      technology: "fdm",
      buildVolumeMm: { x: 360, y: 360, z: 360 },
      layerHeightsMm: [0.2, 0.3],
      nozzleMm: 0.6,
      hourlyRateMinor: 550,
      status: "maintenance",
      notes: "Replacing the hotend on tool 2.",
      materials: ["PLA Basic", "PETG"],
    },
  ],
  pricing: {
    setupFeePerOrderMinor: 500,
    minimumOrderMinor: 1500,
    markupPercent: 35,
    rushMultiplier: 1.6,
    quantityTiers: [
      { minQuantity: 10, discountPercent: 10 },
      { minQuantity: 50, discountPercent: 20 },
    ],
    materials: { "TPU 95A": { markupPercent: 60 } } as Record<
      string,
      { markupPercent?: number; priceMinor?: number }
    >,
    // Flexible TPU runs slowly on the big XL: a higher machine rate for that pair only.
    pairs: [{ material: "TPU 95A", printer: "Prusa XL", machineHourlyMinor: 650 }],
  },
  customers: customersFor("US", "Portland"),
  jobs: [
    {
      title: "Sensor housings, revision C",
      status: "quote",
      source: "email",
      priority: "normal",
      createdHoursAgo: 5,
      dueInHours: 24 * 7,
      items: [
        part("Housing top", "PETG", 12, 850, 38, 95, [80, 60, 25]),
        part("Housing base", "PETG", 12, 700, 31, 80, [80, 60, 18]),
      ],
    },
    {
      title: "Replacement knobs",
      status: "quote",
      source: "phone",
      priority: "low",
      createdHoursAgo: 30,
      dueInHours: 24 * 10,
      items: [part("Knob", "PLA Basic", 6, 350, 9, 25, [30, 30, 20], "Grey")],
    },
    {
      title: "Drone arm brackets",
      status: "approved",
      source: "email",
      priority: "high",
      createdHoursAgo: 20,
      dueInHours: 24 * 3,
      items: [part("Arm bracket", "PETG", 8, 1200, 42, 110, [120, 30, 20])],
    },
    {
      title: "Architectural massing model",
      status: "approved",
      source: "manual",
      priority: "normal",
      createdHoursAgo: 26,
      dueInHours: 24 * 6,
      items: [part("Tower block", "PLA Basic", 1, 6500, 410, 720, [200, 180, 210], "White")],
    },
    {
      title: "Cable clips (batch)",
      status: "scheduled",
      source: "walk_in",
      priority: "normal",
      createdHoursAgo: 48,
      dueInHours: 24 * 2,
      startInHours: 3,
      printer: "Prusa MK4 #2",
      items: [part("Cable clip", "PLA Basic", 40, 120, 4, 9, [25, 12, 8])],
    },
    {
      title: "Gearbox prototype",
      status: "scheduled",
      source: "email",
      priority: "urgent",
      createdHoursAgo: 18,
      dueInHours: 30,
      startInHours: 6,
      printer: "Bambu X1C",
      items: [
        part("Gear housing", "ABS", 2, 2400, 120, 240, [110, 90, 60]),
        part("Spur gear", "ABS", 4, 600, 22, 45, [50, 50, 10]),
      ],
    },
    {
      title: "Shoe insole pair",
      status: "scheduled",
      source: "phone",
      priority: "normal",
      createdHoursAgo: 40,
      dueInHours: 24 * 4,
      startInHours: 26,
      printer: "Prusa MK4 #1",
      items: [part("Insole", "TPU 95A", 2, 2800, 110, 300, [270, 100, 8])],
    },
    {
      title: "Camera mount",
      status: "printing",
      source: "walk_in",
      priority: "high",
      createdHoursAgo: 28,
      dueInHours: 8,
      startInHours: -2,
      stepHours: 0.5,
      printer: "Prusa MK4 #1",
      notes: ["First layer looked good, 20% infill as agreed."],
      items: [part("Mount", "PETG", 2, 1800, 65, 180, [90, 60, 45])],
    },
    {
      title: "Display stand set",
      status: "printing",
      source: "email",
      priority: "normal",
      createdHoursAgo: 50,
      dueInHours: 24,
      startInHours: -1,
      stepHours: 0.5,
      printer: "Bambu X1C",
      items: [part("Stand", "PLA Basic", 3, 1400, 70, 120, [120, 80, 100], "White")],
    },
    {
      title: "Enclosure panels",
      status: "post_processing",
      source: "manual",
      priority: "normal",
      createdHoursAgo: 70,
      dueInHours: 20,
      startInHours: -20,
      printer: "Prusa MK4 #2",
      notes: ["Supports removed, sanding the visible faces."],
      items: [part("Panel", "ABS", 4, 2200, 95, 150, [200, 150, 3])],
    },
    {
      title: "Chess set (pawns)",
      status: "ready",
      source: "walk_in",
      priority: "low",
      createdHoursAgo: 96,
      dueInHours: 12,
      startInHours: -40,
      printer: "Prusa MK4 #1",
      notes: ["Customer will pick up Saturday."],
      items: [part("Pawn", "PLA Basic", 16, 250, 8, 20, [25, 25, 45], "Red")],
    },
    {
      title: "Robot chassis",
      status: "shipped",
      source: "email",
      priority: "normal",
      createdHoursAgo: 140,
      dueInHours: -24,
      startInHours: -90,
      printer: "Bambu X1C",
      items: [part("Chassis", "PETG", 1, 5400, 260, 540, [220, 180, 60])],
    },
    {
      title: "Keycaps",
      status: "picked_up",
      source: "walk_in",
      priority: "low",
      createdHoursAgo: 120,
      dueInHours: -12,
      startInHours: -80,
      printer: "Prusa MK4 #2",
      items: [part("Keycap", "PLA Basic", 20, 150, 3, 10, [18, 18, 12])],
    },
    {
      title: "Trade show signage letters",
      status: "completed",
      source: "email",
      priority: "high",
      createdHoursAgo: 300,
      dueInHours: -200,
      startInHours: -260,
      printer: "Prusa MK4 #1",
      items: [part("Letter", "PLA Basic", 9, 900, 55, 95, [150, 20, 150], "White")],
    },
    {
      title: "Bike light bracket",
      status: "on_hold",
      source: "phone",
      priority: "normal",
      createdHoursAgo: 60,
      dueInHours: -6,
      startInHours: 50,
      printer: "Prusa MK4 #2",
      notes: ["Waiting for the customer to confirm the handlebar diameter."],
      items: [part("Bracket", "PETG", 1, 1500, 40, 90, [70, 40, 30])],
    },
    {
      title: "Planter (cancelled)",
      status: "cancelled",
      source: "email",
      priority: "low",
      createdHoursAgo: 200,
      dueInHours: -100,
      items: [part("Planter", "PLA Basic", 1, 2500, 180, 400, [150, 150, 140], "Grey")],
    },
  ] satisfies SeedJob[],
};

const resinPlan = {
  website: "https://resin-works-berlin.example",
  profile: {
    description:
      "High-detail resin printing in Kreuzberg: miniatures, dental and jewellery masters, translucent prototypes. Hand-finished.",
    contactEmail: "studio@resinworks.example",
    timezone: "Europe/Berlin",
    technologies: ["resin"],
    standardLeadDays: 6,
    rushLeadDays: 3,
    shippingOptions: [
      { name: "Abholung im Studio", priceMinor: 0, days: 0 },
      { name: "DHL Paket", priceMinor: 549, days: 2 },
      { name: "DHL Express", priceMinor: 1990, days: 1 },
    ],
    listed: true,
  },
  materials: [
    {
      name: "Standard Grey Resin",
      kind: "Resin",
      technology: "resin",
      colors: ["Grey"],
      finishes: ["Raw", "Primed"],
      densityGramsPerCm3: 1.15,
      costPerKgMinor: 4900,
      reorderThresholdG: 1000,
      initialStockG: 5000,
    },
    {
      name: "Tough 2000",
      kind: "Resin",
      technology: "resin",
      colors: ["Grey"],
      finishes: ["Raw"],
      densityGramsPerCm3: 1.18,
      costPerKgMinor: 8900,
      reorderThresholdG: 1000,
      initialStockG: 1100,
    },
    {
      name: "Clear Resin",
      kind: "Resin",
      technology: "resin",
      colors: ["Clear"],
      finishes: ["Raw", "Polished"],
      densityGramsPerCm3: 1.12,
      costPerKgMinor: 6900,
      reorderThresholdG: 800,
      initialStockG: 2500,
    },
    {
      name: "Castable Wax",
      kind: "Wax resin",
      technology: "resin",
      colors: ["Purple"],
      finishes: ["Raw"],
      densityGramsPerCm3: 1.1,
      costPerKgMinor: 29900,
      reorderThresholdG: 300,
      initialStockG: 250,
    },
  ],
  printers: [
    {
      name: "Form 3+ (Anna)",
      make: "Formlabs",
      model: "Form 3+",
      technology: "resin",
      buildVolumeMm: { x: 145, y: 145, z: 185 },
      layerHeightsMm: [0.025, 0.05, 0.1],
      nozzleMm: null,
      hourlyRateMinor: 600,
      status: "available",
      materials: ["Standard Grey Resin", "Tough 2000", "Clear Resin", "Castable Wax"],
    },
    {
      name: "Form 3+ (Bruno)",
      make: "Formlabs",
      model: "Form 3+",
      technology: "resin",
      buildVolumeMm: { x: 145, y: 145, z: 185 },
      layerHeightsMm: [0.05, 0.1],
      nozzleMm: null,
      hourlyRateMinor: 600,
      status: "available",
      materials: ["Standard Grey Resin", "Clear Resin"],
    },
    {
      name: "Saturn 3 Ultra",
      make: "Elegoo",
      model: "Saturn 3 Ultra",
      technology: "resin",
      buildVolumeMm: { x: 218, y: 123, z: 260 },
      layerHeightsMm: [0.03, 0.05],
      nozzleMm: null,
      hourlyRateMinor: 450,
      status: "available",
      materials: ["Standard Grey Resin", "Tough 2000"],
    },
    {
      name: "Form 3L",
      make: "Formlabs",
      model: "Form 3L",
      technology: "resin",
      buildVolumeMm: { x: 335, y: 200, z: 300 },
      layerHeightsMm: [0.05, 0.1],
      nozzleMm: null,
      hourlyRateMinor: 900,
      status: "offline",
      notes: "Tank replacement ordered.",
      materials: ["Standard Grey Resin"],
    },
  ],
  pricing: {
    materialUnit: "cm3" as const,
    setupFeePerOrderMinor: 900,
    minimumOrderMinor: 2500,
    markupPercent: 40,
    rushMultiplier: 1.8,
    taxRatePercent: 19,
    quantityTiers: [{ minQuantity: 20, discountPercent: 12 }],
    materials: { "Castable Wax": { markupPercent: 80 } } as Record<
      string,
      { markupPercent?: number; priceMinor?: number }
    >,
  },
  customers: customersFor("DE", "Berlin"),
  jobs: [
    {
      title: "Tabletop miniatures, wave 3",
      status: "quote",
      source: "email",
      priority: "normal",
      createdHoursAgo: 4,
      dueInHours: 24 * 8,
      items: [part("Miniature", "Standard Grey Resin", 24, 450, 6, 40, [30, 30, 40], "Grey")],
    },
    {
      title: "Ring masters",
      status: "quote",
      source: "phone",
      priority: "high",
      createdHoursAgo: 22,
      dueInHours: 24 * 5,
      items: [part("Ring master", "Castable Wax", 3, 1800, 2, 60, [25, 25, 10], "Purple")],
    },
    {
      title: "Lens holder prototype",
      status: "approved",
      source: "email",
      priority: "normal",
      createdHoursAgo: 30,
      dueInHours: 24 * 4,
      items: [part("Lens holder", "Clear Resin", 2, 2400, 30, 180, [60, 60, 40], "Clear")],
    },
    {
      title: "Snap-fit clips test",
      status: "approved",
      source: "manual",
      priority: "low",
      createdHoursAgo: 44,
      dueInHours: 24 * 6,
      items: [part("Clip", "Tough 2000", 10, 350, 5, 30, [30, 10, 8], "Grey")],
    },
    {
      title: "Dental models",
      status: "scheduled",
      source: "email",
      priority: "urgent",
      createdHoursAgo: 16,
      dueInHours: 28,
      startInHours: 2,
      printer: "Form 3+ (Anna)",
      items: [part("Arch model", "Standard Grey Resin", 4, 1900, 35, 150, [70, 60, 30], "Grey")],
    },
    {
      title: "Light pipe set",
      status: "scheduled",
      source: "email",
      priority: "normal",
      createdHoursAgo: 36,
      dueInHours: 24 * 3,
      startInHours: 8,
      printer: "Form 3+ (Bruno)",
      items: [part("Light pipe", "Clear Resin", 8, 700, 8, 60, [40, 10, 10], "Clear")],
    },
    {
      title: "Drone canopy",
      status: "scheduled",
      source: "phone",
      priority: "normal",
      createdHoursAgo: 40,
      dueInHours: 24 * 4,
      startInHours: 20,
      printer: "Saturn 3 Ultra",
      items: [part("Canopy", "Tough 2000", 1, 4200, 120, 420, [180, 110, 60], "Grey")],
    },
    {
      title: "Figurine commission",
      status: "printing",
      source: "walk_in",
      priority: "high",
      createdHoursAgo: 26,
      dueInHours: 10,
      startInHours: -3,
      stepHours: 0.5,
      printer: "Saturn 3 Ultra",
      notes: ["Supports placed away from the face."],
      items: [part("Figurine", "Standard Grey Resin", 1, 5500, 90, 480, [80, 70, 180], "Grey")],
    },
    {
      title: "Watch case prototypes",
      status: "printing",
      source: "email",
      priority: "normal",
      createdHoursAgo: 30,
      dueInHours: 30,
      startInHours: -1,
      stepHours: 0.5,
      printer: "Form 3+ (Anna)",
      items: [part("Case", "Tough 2000", 3, 2100, 18, 140, [45, 45, 15], "Grey")],
    },
    {
      title: "Jewellery samples",
      status: "post_processing",
      source: "email",
      priority: "normal",
      createdHoursAgo: 72,
      dueInHours: 18,
      startInHours: -20,
      printer: "Form 3+ (Bruno)",
      notes: ["In the UV cure chamber, 60 °C for 30 min."],
      items: [part("Pendant", "Standard Grey Resin", 6, 900, 4, 50, [30, 20, 5], "Grey")],
    },
    {
      title: "Scale car body",
      status: "ready",
      source: "walk_in",
      priority: "low",
      createdHoursAgo: 90,
      dueInHours: 12,
      startInHours: -40,
      printer: "Saturn 3 Ultra",
      items: [part("Body", "Standard Grey Resin", 1, 3800, 110, 360, [200, 80, 50], "Grey")],
    },
    {
      title: "Museum replica",
      status: "shipped",
      source: "email",
      priority: "high",
      createdHoursAgo: 160,
      dueInHours: -30,
      startInHours: -110,
      printer: "Form 3+ (Anna)",
      items: [part("Replica", "Standard Grey Resin", 1, 7200, 140, 600, [120, 100, 160], "Grey")],
    },
    {
      title: "Cosplay gems",
      status: "picked_up",
      source: "walk_in",
      priority: "low",
      createdHoursAgo: 130,
      dueInHours: -20,
      startInHours: -90,
      printer: "Form 3+ (Bruno)",
      items: [part("Gem", "Clear Resin", 12, 400, 6, 35, [30, 20, 10], "Clear")],
    },
    {
      title: "Microfluidics chips",
      status: "completed",
      source: "email",
      priority: "urgent",
      createdHoursAgo: 320,
      dueInHours: -250,
      startInHours: -290,
      printer: "Form 3+ (Bruno)",
      items: [part("Chip", "Clear Resin", 5, 3200, 12, 120, [75, 25, 5], "Clear")],
    },
    {
      title: "Board game tokens",
      status: "on_hold",
      source: "phone",
      priority: "normal",
      createdHoursAgo: 55,
      dueInHours: -8,
      startInHours: 40,
      printer: "Form 3+ (Anna)",
      notes: ["Waiting for the final artwork."],
      items: [part("Token", "Standard Grey Resin", 30, 200, 3, 12, [25, 25, 4], "Grey")],
    },
    {
      title: "Vase (cancelled)",
      status: "cancelled",
      source: "email",
      priority: "low",
      createdHoursAgo: 210,
      dueInHours: -120,
      items: [part("Vase", "Clear Resin", 1, 4500, 160, 500, [100, 100, 180], "Clear")],
    },
  ] satisfies SeedJob[],
};
