import { type Database, newId } from "@ktizo/db";

/** Tests of calibration and printer reports: a walk-in customer and jobs with a printing history. */
export async function walkInCustomer(db: Database, organizationId: string): Promise<string> {
  const id = newId("cus");
  await db
    .insertInto("customer")
    .values({
      id,
      organizationId,
      userId: null,
      name: "Walk-in",
      company: null,
      email: null,
      phone: null,
      addresses: JSON.stringify([]),
    })
    .execute();
  return id;
}

/**
 * A one-item job on a printer, priced with `estimateMinutes`, that went to "printing" at `printingAt`
 * and on to post-processing `actualMinutes` later (no next status when `actualMinutes` is null).
 */
export async function printedJob(
  db: Database,
  job: {
    organizationId: string;
    customerId: string;
    number: number;
    printerId: string;
    materialId: string;
    estimateMinutes: number;
    printingAt: Date;
    actualMinutes: number | null;
  },
): Promise<string> {
  const jobId = newId("job");
  await db
    .insertInto("job")
    .values({
      id: jobId,
      organizationId: job.organizationId,
      number: job.number,
      title: `Job ${job.number}`,
      customerId: job.customerId,
      source: "manual",
      status: job.actualMinutes === null ? "printing" : "post_processing",
      currency: "USD",
      totalMinor: 1000,
      printerId: job.printerId,
    })
    .execute();
  await db
    .insertInto("jobItem")
    .values({
      id: newId("jit"),
      organizationId: job.organizationId,
      jobId,
      position: 0,
      description: "Part",
      quantity: 1,
      materialId: job.materialId,
      unitPriceMinor: 1000,
      gramsPerUnit: 10,
      minutesPerUnit: job.estimateMinutes,
    })
    .execute();
  const changes: ["printing" | "post_processing", Date][] = [["printing", job.printingAt]];
  if (job.actualMinutes !== null) {
    changes.push(["post_processing", new Date(job.printingAt.getTime() + job.actualMinutes * 60_000)]);
  }
  for (const [toStatus, createdAt] of changes) {
    await db
      .insertInto("jobStatusChange")
      .values({
        id: newId("jsc"),
        organizationId: job.organizationId,
        jobId,
        fromStatus: null,
        toStatus,
        createdAt,
      })
      .execute();
  }
  return jobId;
}
