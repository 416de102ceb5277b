import { Badge } from "@ktizo/ui";
import { type JobStatus, STATUS_LABELS, STATUS_TONES } from "./format";

export function StatusBadge({ status }: { status: JobStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
