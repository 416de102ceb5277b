import type { ModelAnalysis } from "@ktizo/quote";
import { Badge, Card } from "@ktizo/ui";
import { formatSize, formatVolume } from "~/components/marketplace/format";
import { ModelPreview } from "~/components/marketplace/model-preview";

/** The model's preview and facts as it will be made (`a`: in the chosen unit and scale; `raw`: the file's). */
export function ModelFactsCard({
  uploadId,
  a,
  raw,
  scaleNote,
}: {
  uploadId: string;
  a: Pick<ModelAnalysis, "bbox" | "volumeMm3" | "watertight">;
  raw: Pick<ModelAnalysis, "bbox">;
  scaleNote: string | null;
}) {
  return (
    <Card>
      <ModelPreview
        uploadId={uploadId}
        caption={`${formatSize(a.bbox.size)}${scaleNote ? ` · ${scaleNote}` : ""}`}
      />
      <dl className="mt-3 grid grid-cols-2 gap-2 text-sm" aria-label="Model facts">
        <dt>Size</dt>
        <dd data-testid="model-size">
          {formatSize(a.bbox.size)}
          {scaleNote ? (
            <span className="block text-xs text-slate-600 dark:text-slate-400">
              {scaleNote} (file: {formatSize(raw.bbox.size)})
            </span>
          ) : null}
        </dd>
        <dt>Volume</dt>
        <dd>{formatVolume(a.volumeMm3)}</dd>
        <dt>Printability</dt>
        <dd>
          {a.watertight ? (
            <Badge tone="green">Watertight</Badge>
          ) : (
            <Badge tone="amber">Not watertight: the shop may need to repair it</Badge>
          )}
        </dd>
      </dl>
    </Card>
  );
}
