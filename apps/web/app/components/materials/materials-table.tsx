import { Badge, Table, Td, Th } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { formatGrams } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import type { MaterialView } from "./types";

/** Every material with its stock (on hand, reserved, available), reorder point and cost; its actions. */
export function MaterialsTable({ materials, currency }: { materials: MaterialView[]; currency: string }) {
  const { money: formatMoney } = useFormat();
  return (
    <Table caption="Materials">
      <thead>
        <tr>
          <Th>Material</Th>
          <Th className="text-right">On hand</Th>
          <Th className="text-right">Reserved</Th>
          <Th className="text-right">Available</Th>
          <Th className="text-right">Reorder at</Th>
          <Th className="text-right">Cost / kg</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {materials.map((m) => (
          <tr key={m.id}>
            <Td>
              <span className="font-medium">{m.name}</span>{" "}
              {m.lowStock ? <Badge tone="red">Low stock</Badge> : null}
              <span className="block text-xs text-slate-500">
                {m.kind} · {m.technology.toUpperCase()}
                {m.colors.length ? ` · ${m.colors.join(", ")}` : ""}
              </span>
            </Td>
            <Td className="text-right tabular-nums">{formatGrams(m.onHandG)}</Td>
            <Td className="text-right tabular-nums">{formatGrams(m.reservedG)}</Td>
            <Td className="text-right tabular-nums">{formatGrams(m.availableG)}</Td>
            <Td className="text-right tabular-nums">{formatGrams(m.reorderThresholdG)}</Td>
            <Td className="text-right tabular-nums">{formatMoney(m.costPerKgMinor, currency)}</Td>
            <Td>
              <div className="flex flex-wrap items-center gap-3 text-sm">
                <Link to={`?adjust=${m.id}`} className={linkClass} aria-label={`Adjust stock of ${m.name}`}>
                  Adjust stock
                </Link>
                <Link to={`?history=${m.id}`} className={linkClass} aria-label={`Stock history of ${m.name}`}>
                  History
                </Link>
                <Link to={`?edit=${m.id}`} className={linkClass} aria-label={`Edit ${m.name}`}>
                  Edit
                </Link>
                <Form
                  method="post"
                  onSubmit={(event) => {
                    if (!confirm(`Remove ${m.name}? A material with history is archived, not deleted.`))
                      event.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="id" value={m.id} />
                  <input type="hidden" name="name" value={m.name} />
                  <button
                    type="submit"
                    className="font-semibold text-red-700 hover:underline dark:text-red-400"
                    aria-label={`Remove ${m.name}`}
                  >
                    Remove
                  </button>
                </Form>
              </div>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
