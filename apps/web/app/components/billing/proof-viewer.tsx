import { lazy, Suspense } from "react";

// three.js and the viewer load only when the proof is a model.
const ModelPreview = lazy(() =>
  import("~/components/marketplace/model-preview").then((m) => ({ default: m.ModelPreview })),
);

/**
 * The proof as the customer checks it: an image shown, a model in the 3D viewer, a PDF opened in the
 * browser's own reader; always with a download of the exact file.
 */
export function ProofViewer({
  token,
  fileName,
  viewKind,
}: {
  token: string;
  fileName: string;
  viewKind: "image" | "pdf" | "model" | "other";
}) {
  const src = `/portal/${token}/proof`;
  return (
    <figure className="space-y-2">
      {viewKind === "image" ? (
        <img
          src={src}
          alt={`Proof: ${fileName}`}
          className="max-h-[70vh] w-full rounded-md bg-slate-100 object-contain dark:bg-slate-800"
        />
      ) : viewKind === "model" ? (
        <Suspense
          fallback={<div className="aspect-[4/3] w-full rounded-md bg-slate-100 dark:bg-slate-800" />}
        >
          <ModelPreview uploadId="" src={src} />
        </Suspense>
      ) : null}
      <figcaption className="text-sm">
        <a className="underline" href={src} download={fileName}>
          {viewKind === "pdf" ? `Download the proof (PDF): ${fileName}` : `Download ${fileName}`}
        </a>
      </figcaption>
    </figure>
  );
}
