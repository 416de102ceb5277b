import { type Database, newId, recordAudit } from "@ktizo/db";
import { type Clock, type PrinterReportsService, PrinterUnreachableError } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { badRequest, type Executor, idSchema, notFound, type OrgActor } from "../kernel/index.ts";

/**
 * Printers that report their own jobs (issue 14, requirement 7): the shop gives a printer's Moonraker or
 * OctoPrint URL and API key (sealed by the printers service before it is stored, never shown again), a
 * worker polls every connected printer each minute, stores each finished print once and matches it to
 * the job it printed. An unreachable printer is recorded on its connection (the printers page says so);
 * nothing else changes.
 */

const connectionUrl = z
  .string()
  .trim()
  .max(300, "The address is too long")
  .url("Enter the printer's address, like http://192.168.1.50:7125")
  .refine((u) => {
    const url = new URL(u);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash
    );
  }, "Use http(s)://host[:port][/path], with no user name, query or fragment")
  .transform((u) => u.replace(/\/+$/, ""));

export const setPrinterConnectionInput = z
  .object({
    printerId: idSchema,
    kind: z.enum(["moonraker", "octoprint"], { error: "Choose Moonraker (Klipper) or OctoPrint" }),
    url: connectionUrl,
    /** A new API key; absent keeps the stored one, null removes it. */
    apiKey: z.string().trim().min(1, "Enter the API key").max(200).nullable().optional(),
  })
  .strict();

export const printerConnectionInput = z.object({ printerId: idSchema }).strict();

export interface PrinterConnectionView {
  printerId: string;
  kind: "moonraker" | "octoprint";
  url: string;
  hasApiKey: boolean;
  lastPolledAt: Date | null;
  lastOkAt: Date | null;
  /** Why the last poll failed, in plain words; null when it answered. */
  lastError: string | null;
  /** Finished prints reported so far, and how many were matched to jobs. */
  reports: number;
  matched: number;
}

export async function listPrinterConnections(
  db: Executor,
  organizationId: string,
): Promise<PrinterConnectionView[]> {
  const rows = await db
    .selectFrom("printerConnection as c")
    .select((eb) => [
      "c.printerId",
      "c.kind",
      "c.url",
      "c.apiKeyCiphertext",
      "c.lastPolledAt",
      "c.lastOkAt",
      "c.lastError",
      eb
        .selectFrom("printerReport as r")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("r.printerId", "=", "c.printerId")
        .as("reports"),
      eb
        .selectFrom("printerReport as r")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("r.printerId", "=", "c.printerId")
        .where("r.jobId", "is not", null)
        .as("matched"),
    ])
    .where("c.organizationId", "=", organizationId)
    .orderBy("c.printerId")
    .execute();
  return rows.map(({ apiKeyCiphertext, reports, matched, ...r }) => ({
    ...r,
    hasApiKey: apiKeyCiphertext !== null,
    reports: reports ?? 0,
    matched: matched ?? 0,
  }));
}

async function ownPrinter(db: Executor, organizationId: string, printerId: string) {
  const printer = await db
    .selectFrom("printer")
    .select(["id"])
    .where("organizationId", "=", organizationId)
    .where("id", "=", printerId)
    .executeTakeFirst();
  if (!printer) throw notFound("Printer not found");
}

/** Connects (or reconnects) a printer; the API key is sealed before it is stored. */
export async function setPrinterConnection(
  db: Executor,
  printers: Pick<PrinterReportsService, "sealApiKey" | "provider">,
  actor: OrgActor,
  input: z.input<typeof setPrinterConnectionInput>,
  now: Date,
): Promise<PrinterConnectionView[]> {
  const f = setPrinterConnectionInput.parse(input);
  await ownPrinter(db, actor.organizationId, f.printerId);
  if (f.apiKey && printers.provider === "off") {
    throw badRequest("This server cannot store printer API keys (no BETTER_AUTH_SECRET)", {
      apiKey: "Not available on this server",
    });
  }
  const sealed = f.apiKey ? printers.sealApiKey(actor.organizationId, f.apiKey) : f.apiKey;
  // A new address or kind starts over: the last poll's outcome was about the old one.
  const reset = { lastPolledAt: null, lastOkAt: null, lastError: null };
  await db
    .insertInto("printerConnection")
    .values({
      printerId: f.printerId,
      organizationId: actor.organizationId,
      kind: f.kind,
      url: f.url,
      apiKeyCiphertext: sealed ?? null,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.column("printerId").doUpdateSet({
        kind: f.kind,
        url: f.url,
        ...(sealed !== undefined ? { apiKeyCiphertext: sealed } : {}),
        ...reset,
        updatedAt: now,
      }),
    )
    .execute();
  await recordAudit(db, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "printer.connection_set",
    subjectType: "printer",
    subjectId: f.printerId,
    // Never the key itself: only whether it changed.
    data: {
      kind: f.kind,
      url: f.url,
      apiKey: f.apiKey === undefined ? "kept" : f.apiKey ? "set" : "removed",
    },
  });
  return listPrinterConnections(db, actor.organizationId);
}

export async function removePrinterConnection(
  db: Executor,
  actor: OrgActor,
  input: z.input<typeof printerConnectionInput>,
): Promise<PrinterConnectionView[]> {
  const f = printerConnectionInput.parse(input);
  await ownPrinter(db, actor.organizationId, f.printerId);
  await db
    .deleteFrom("printerConnection")
    .where("printerId", "=", f.printerId)
    .where("organizationId", "=", actor.organizationId)
    .execute();
  await recordAudit(db, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "printer.connection_removed",
    subjectType: "printer",
    subjectId: f.printerId,
  });
  return listPrinterConnections(db, actor.organizationId);
}

/** A report matches the job whose "printing" started closest to it on the same printer, within this. */
const MATCH_WINDOW_MS = 2 * 60 * 60 * 1000;

/**
 * Matches the printer's unmatched completed reports to jobs: the job on that printer whose latest move
 * to "printing" is closest to the report's start (within two hours) and that no other report claimed.
 */
async function matchReports(db: Executor, printerId: string): Promise<number> {
  const reports = await db
    .selectFrom("printerReport")
    .select(["id", "startedAt"])
    .where("printerId", "=", printerId)
    .where("status", "=", "completed")
    .where("jobId", "is", null)
    .orderBy("startedAt")
    .execute();
  let matched = 0;
  for (const r of reports) {
    const started = new Date(r.startedAt);
    const candidate = await db
      .selectFrom("jobStatusChange as c")
      .innerJoin("job as j", "j.id", "c.jobId")
      .select(["j.id"])
      .where("j.printerId", "=", printerId)
      .where("c.toStatus", "=", "printing")
      .where("c.createdAt", ">=", new Date(started.getTime() - MATCH_WINDOW_MS))
      .where("c.createdAt", "<=", new Date(started.getTime() + MATCH_WINDOW_MS))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("printerReport as o").select("o.id").whereRef("o.jobId", "=", "j.id"))),
      )
      .orderBy(sql`abs(extract(epoch from (c.created_at - ${started})))`)
      .limit(1)
      .executeTakeFirst();
    if (!candidate) continue;
    const done = await db
      .updateTable("printerReport")
      .set({ jobId: candidate.id })
      .where("id", "=", r.id)
      .where("jobId", "is", null)
      .executeTakeFirst();
    matched += Number(done.numUpdatedRows);
  }
  return matched;
}

export interface PollReport {
  polled: number;
  unreachable: number;
  stored: number;
  matched: number;
}

/**
 * One poll of every connected printer (the `poll-printers` job, every minute). A printer that does not
 * answer gets its error recorded and the poll goes on with the next one; reports are stored once
 * (unique per printer and the printer's own id), then matched to jobs.
 */
export async function pollPrinters(
  db: Database,
  printers: Pick<PrinterReportsService, "finishedJobs">,
  clock: Clock,
): Promise<PollReport> {
  const result: PollReport = { polled: 0, unreachable: 0, stored: 0, matched: 0 };
  const connections = await db.selectFrom("printerConnection").selectAll().orderBy("printerId").execute();
  for (const c of connections) {
    result.polled++;
    const polledAt = clock.now();
    try {
      const jobs = await printers.finishedJobs({
        organizationId: c.organizationId,
        kind: c.kind,
        url: c.url,
        apiKeyCiphertext: c.apiKeyCiphertext,
      });
      for (const j of jobs) {
        const inserted = await db
          .insertInto("printerReport")
          .values({
            id: newId("prr"),
            organizationId: c.organizationId,
            printerId: c.printerId,
            externalId: j.externalId.slice(0, 300),
            fileName: j.fileName.slice(0, 300),
            status: j.status,
            startedAt: j.startedAt,
            endedAt: j.endedAt,
            printSeconds: j.printSeconds,
            filamentMm: j.filamentMm,
          })
          .onConflict((oc) => oc.columns(["printerId", "externalId"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (inserted) result.stored++;
      }
      result.matched += await matchReports(db, c.printerId);
      await db
        .updateTable("printerConnection")
        .set({ lastPolledAt: polledAt, lastOkAt: polledAt, lastError: null })
        .where("printerId", "=", c.printerId)
        .execute();
    } catch (e) {
      result.unreachable++;
      const message =
        e instanceof PrinterUnreachableError ? e.message : "The printer's answer could not be read";
      await db
        .updateTable("printerConnection")
        .set({ lastPolledAt: polledAt, lastError: message })
        .where("printerId", "=", c.printerId)
        .execute();
    }
  }
  return result;
}

const noData = z.object({});

/** Every minute on any worker: poll the shops' connected printers for finished prints. */
export const pollPrintersJob = {
  name: "poll-printers",
  schema: noData,
  cron: "* * * * *",
  retryLimit: 0,
  run: async (
    _data: z.infer<typeof noData>,
    deps: { db: Database; services: { printers: PrinterReportsService }; clock: Clock },
  ): Promise<void> => {
    await pollPrinters(deps.db, deps.services.printers, deps.clock);
  },
};
