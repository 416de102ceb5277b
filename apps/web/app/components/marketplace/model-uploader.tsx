import { Alert, Badge, Button } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatBytes, formatMm, formatVolume } from "./format";

interface UploadResult {
  id: string;
  fileName: string;
  sizeBytes: number;
  analysis: { volumeMm3: number; watertight: boolean; bbox: { size: { x: number; y: number; z: number } } };
}

interface Item {
  key: string;
  name: string;
  progress: number;
  result: UploadResult | null;
  error: string | null;
}

/**
 * Drag and drop one or several models; each uploads on its own request with its own progress bar, and
 * its size, volume and printability appear as soon as the server has analysed it. Without scripts the
 * form posts normally.
 */
// The visitor's finished uploads survive leaving the page (this tab only), so coming back to the home
// page shows them again.
const STORAGE_KEY = "ktizo.uploads";

function restoreUploads(): Item[] {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(saved) ? (saved as Item[]).filter((i) => i?.result?.id) : [];
  } catch {
    return [];
  }
}

export function ModelUploader({ error }: { error?: string | null }) {
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const restored = useRef(false);
  // After hydration (the server has no sessionStorage): restore, then keep the finished ones saved.
  useEffect(() => {
    if (!restored.current) {
      restored.current = true;
      const saved = restoreUploads();
      if (saved.length) setItems((all) => [...saved, ...all]);
      return;
    }
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(items.filter((i) => i.result).slice(-20)));
  }, [items]);

  const update = (key: string, patch: Partial<Item>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  function send(file: File): Promise<void> {
    const key = `${file.name}-${Math.random().toString(36).slice(2)}`;
    setItems((all) => [...all, { key, name: file.name, progress: 0, result: null, error: null }]);
    const body = new FormData();
    body.append("file", file);
    const xhr = new XMLHttpRequest();
    const done = new Promise<void>((resolve) => xhr.addEventListener("loadend", () => resolve()));
    xhr.open("POST", "/quote/upload");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) update(key, { progress: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.onload = () => {
      let data: { uploads?: UploadResult[]; error?: string } = {};
      try {
        data = JSON.parse(xhr.responseText) as typeof data;
      } catch {
        data = { error: "The server could not read this file" };
      }
      const result = data.uploads?.[0] ?? null;
      update(key, { progress: 100, result, error: result ? null : (data.error ?? "Upload failed") });
    };
    xhr.onerror = () => update(key, { error: "The upload was interrupted; try again" });
    xhr.send(body);
    return done;
  }

  // A first-time visitor gets their upload session (a cookie) with the first answer: the first file goes
  // alone, the others in parallel after it, so every upload lands in the same session.
  async function onFiles(list: FileList | null) {
    const [first, ...rest] = Array.from(list ?? []);
    if (!first) return;
    await send(first);
    await Promise.all(rest.map(send));
  }

  return (
    <div className="space-y-3 text-left">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <form
        method="post"
        action="/quote/upload"
        encType="multipart/form-data"
        onSubmit={(e) => {
          e.preventDefault();
          void onFiles(input.current?.files ?? null);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void onFiles(e.dataTransfer.files);
        }}
        className={`rounded-lg border-2 border-dashed p-8 text-center ${over ? "border-brand-600 bg-brand-50 dark:bg-brand-950" : "border-slate-300 dark:border-slate-700"}`}
      >
        <p className="font-medium">Drop STL, 3MF or OBJ files here</p>
        <label className="mt-3 block text-sm">
          <span className="sr-only">Model files</span>
          <input
            ref={input}
            type="file"
            name="file"
            multiple
            accept=".stl,.3mf,.obj"
            className="mx-auto block text-sm"
            onChange={(e) => void onFiles(e.currentTarget.files)}
          />
        </label>
        <noscript>
          <Button type="submit" className="mt-3">
            Upload
          </Button>
        </noscript>
      </form>
      <ul className="space-y-2" aria-label="Uploads">
        {items.map((i) => (
          <li key={i.key} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
            <div className="flex items-center justify-between gap-3 text-sm">
              <span className="font-medium">{i.name}</span>
              {i.result ? (
                <Link to={`/quote/${i.result.id}`} className="font-semibold text-brand-600 hover:underline">
                  Compare quotes
                </Link>
              ) : null}
            </div>
            <progress
              className="mt-2 h-2 w-full"
              max={100}
              value={i.progress}
              aria-label={`Upload of ${i.name}`}
            />
            {i.error ? (
              <p role="alert" className="text-sm text-red-600">
                {i.error}
              </p>
            ) : null}
            {i.result ? (
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                {formatBytes(i.result.sizeBytes)} · {formatMm(i.result.analysis.bbox.size.x)} ×{" "}
                {formatMm(i.result.analysis.bbox.size.y)} × {formatMm(i.result.analysis.bbox.size.z)} ·{" "}
                {formatVolume(i.result.analysis.volumeMm3)} ·{" "}
                {i.result.analysis.watertight ? (
                  <Badge tone="green">Printable</Badge>
                ) : (
                  <Badge tone="amber">Not watertight</Badge>
                )}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
