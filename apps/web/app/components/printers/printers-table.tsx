import { Badge, Table, Td, Th } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ConnectionStatus } from "~/components/shop/printer-connection";
import { useFormat } from "~/lib/format";
import { PRINTER_STATUS_TONE, PRINTER_STATUSES } from "./printer-fields";
import type { PrinterConnectionView, PrinterMaterialOption, PrinterView } from "./types";

/** Every printer with its technology, volume, layers, rate, materials and status; edit and remove links. */
export function PrintersTable({
  printers,
  materials,
  connections,
  currency,
}: {
  printers: PrinterView[];
  materials: PrinterMaterialOption[];
  connections: PrinterConnectionView[];
  currency: string;
}) {
  const { money: formatMoney } = useFormat();
  const connectionOf = new Map(connections.map((c) => [c.printerId, c]));
  const materialName = new Map(materials.map((m) => [m.id, m.name]));
  return (
    <Table caption="Printers">
      <thead>
        <tr>
          <Th>Printer</Th>
          <Th>Technology</Th>
          <Th>Build volume</Th>
          <Th>Layers / nozzle</Th>
          <Th className="text-right">Hourly rate</Th>
          <Th>Materials</Th>
          <Th>Status</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {printers.map((p) => (
          <tr key={p.id}>
            <Td>
              <span className="font-medium">{p.name}</span>
              <span className="block text-xs text-slate-500">
                {[p.make, p.model].filter(Boolean).join(" ")}
              </span>
            </Td>
            <Td className="uppercase">{p.technology}</Td>
            <Td className="tabular-nums">
              {p.buildVolumeMm.x} × {p.buildVolumeMm.y} × {p.buildVolumeMm.z} mm
            </Td>
            <Td>
              {p.layerHeightsMm.length ? `${p.layerHeightsMm.join(", ")} mm` : "—"}
              {p.nozzleMm ? ` · ⌀ ${p.nozzleMm} mm` : ""}
            </Td>
            <Td className="text-right tabular-nums">{formatMoney(p.hourlyRateMinor, currency)}/h</Td>
            <Td>
              {p.materialIds.length ? p.materialIds.map((id) => materialName.get(id) ?? "?").join(", ") : "—"}
            </Td>
            <Td>
              <Badge tone={PRINTER_STATUS_TONE[p.status]}>
                {PRINTER_STATUSES.find(([v]) => v === p.status)?.[1] ?? p.status}
              </Badge>
              <ConnectionStatus connection={connectionOf.get(p.id)} />
            </Td>
            <Td>
              <div className="flex items-center gap-3">
                <Link to={`?edit=${p.id}`} className={linkClass} aria-label={`Edit ${p.name}`}>
                  Edit
                </Link>
                <Form
                  method="post"
                  onSubmit={(event) => {
                    if (
                      !confirm(
                        `Remove ${p.name}? Its scheduled jobs go back to approved; jobs keep their history.`,
                      )
                    )
                      event.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="id" value={p.id} />
                  <button
                    type="submit"
                    className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                    aria-label={`Remove ${p.name}`}
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
