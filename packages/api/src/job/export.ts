import type { z } from "zod";
import { minorToDecimal } from "../browser-safe/money.ts";
import type { Executor } from "../kernel/index.ts";
import { toCsv } from "./csv.ts";
import { listCustomers, type listCustomersInput } from "./customers.ts";
import { type jobFiltersSchema, listJobs } from "./job-lists.ts";
import { STATUS_LABELS } from "./status.ts";

const MAX_ROWS = 10_000;

/** The jobs matching the list's filters as CSV text (at most 10,000 rows). */
export async function exportJobsCsv(
  db: Executor,
  organizationId: string,
  filters: z.infer<typeof jobFiltersSchema>,
  now: Date,
): Promise<{ fileName: string; csv: string; rows: number }> {
  const rows = [];
  for (let page = 1; rows.length < MAX_ROWS; page++) {
    const p = await listJobs(db, organizationId, { ...filters, sort: "number", page, pageSize: 100 }, now);
    rows.push(...p.items);
    if (page >= p.pageCount) break;
  }
  const csv = toCsv(
    [
      "Number",
      "Title",
      "Customer",
      "Status",
      "Priority",
      "Rush",
      "Due",
      "Overdue",
      "Printer",
      "Scheduled start",
      "Items",
      "Total",
      "Currency",
      "Source",
      "Created",
    ],
    rows.map((j) => [
      j.number,
      j.title,
      j.customerName,
      STATUS_LABELS[j.status],
      j.priority,
      j.rush ? "yes" : "no",
      j.dueAt,
      j.overdue ? "yes" : "no",
      j.printerName,
      j.scheduledStartAt,
      j.itemCount,
      minorToDecimal(j.totalMinor, j.currency),
      j.currency,
      j.source,
      j.createdAt,
    ]),
  );
  return { fileName: `jobs-${now.toISOString().slice(0, 10)}.csv`, csv, rows: rows.length };
}

/** The customers matching the search as CSV text (at most 10,000 rows). */
export async function exportCustomersCsv(
  db: Executor,
  organizationId: string,
  filters: Pick<z.infer<typeof listCustomersInput>, "search">,
  now: Date,
): Promise<{ fileName: string; csv: string; rows: number }> {
  const rows = [];
  for (let page = 1; rows.length < MAX_ROWS; page++) {
    const p = await listCustomers(db, organizationId, {
      search: filters.search,
      sort: "name",
      page,
      pageSize: 100,
    });
    rows.push(...p.items);
    if (page >= p.pageCount) break;
  }
  const csv = toCsv(
    ["Name", "Company", "Email", "Phone", "Address", "Jobs", "Last job", "Notes", "Created"],
    rows.map((c) => {
      const a = c.addresses[0];
      return [
        c.name,
        c.company,
        c.email,
        c.phone,
        a
          ? [a.line1, a.line2, `${a.postalCode} ${a.city}`.trim(), a.region, a.country]
              .filter(Boolean)
              .join(", ")
          : null,
        c.jobCount,
        c.lastJobAt,
        c.notes,
        c.createdAt,
      ];
    }),
  );
  return { fileName: `customers-${now.toISOString().slice(0, 10)}.csv`, csv, rows: rows.length };
}
