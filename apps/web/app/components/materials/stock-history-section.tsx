import { Pagination, pageHref, Section, Table, Td, Th } from "@ktizo/ui";
import { Link, useSearchParams } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { formatGrams } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import type { MaterialView, StockMovementsPage } from "./types";

/** The stock movements, of every material or of one (`historyOf`), a page at a time. */
export function StockHistorySection({
  movements,
  historyOf,
}: {
  movements: StockMovementsPage | null;
  historyOf: MaterialView | undefined;
}) {
  const { dateTime: formatWhen } = useFormat();
  const [params] = useSearchParams();
  return (
    <Section
      id="movements"
      title={historyOf ? `Stock history: ${historyOf.name}` : "Stock history"}
      description="Every change of stock: adjustments with their reason, reservations and use by jobs."
    >
      {historyOf ? (
        <p className="mb-3 text-sm">
          <Link to="/org/materials" className={linkClass}>
            Show all materials' history
          </Link>
        </p>
      ) : null}
      {!movements || movements.items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No stock changes yet.</p>
      ) : (
        <>
          <Table caption="Stock movements">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Material</Th>
                <Th>Change</Th>
                <Th className="text-right">Grams</Th>
                <Th className="text-right">On hand after</Th>
                <Th>Reason</Th>
                <Th>By</Th>
              </tr>
            </thead>
            <tbody>
              {movements.items.map((s) => (
                <tr key={s.id}>
                  <Td>{formatWhen(s.createdAt)}</Td>
                  <Td>{s.materialName}</Td>
                  <Td className="capitalize">{s.kind}</Td>
                  <Td className="text-right tabular-nums">
                    {s.grams > 0 ? "+" : ""}
                    {s.grams}
                  </Td>
                  <Td className="text-right tabular-nums">{formatGrams(s.onHandAfterG)}</Td>
                  <Td>
                    {s.reason ?? ""}
                    {s.jobNumber ? (
                      <Link to={`/org/jobs/${s.jobId}`} className={linkClass}>
                        {" "}
                        job #{s.jobNumber}
                      </Link>
                    ) : null}
                  </Td>
                  <Td>{s.actorName ?? "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination
            page={movements.page}
            pageCount={movements.pageCount}
            total={movements.total}
            href={(p) => pageHref(params, p)}
          />
        </>
      )}
    </Section>
  );
}
