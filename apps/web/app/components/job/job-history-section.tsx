import { Section, Table, Td, Th } from "@ktizo/ui";
import { STATUS_LABELS } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import type { JobView } from "./types";

/** Every status change of the job: when, from what to what, by whom, with its note. */
export function JobHistorySection({ history }: { history: JobView["history"] }) {
  const { dateTime: formatWhen } = useFormat();
  return (
    <Section id="history-heading" title="Status history">
      <Table caption="Status history">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Change</Th>
            <Th>By</Th>
            <Th>Note</Th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.id}>
              <Td>{formatWhen(h.createdAt)}</Td>
              <Td>
                {h.fromStatus ? `${STATUS_LABELS[h.fromStatus]} → ` : "Created as "}
                {STATUS_LABELS[h.toStatus]}
              </Td>
              <Td>{h.actorName ?? (h.actorUserId ? "A former member" : "Ktizo")}</Td>
              <Td>{h.note ?? ""}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Section>
  );
}
