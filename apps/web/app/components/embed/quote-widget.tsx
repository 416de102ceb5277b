import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from "react";
import { AccentStyle, accentClass, type Message, type UploadResult, type WidgetShop } from "./widget-ui";

export type { WidgetShop } from "./widget-ui";

// three.js and the viewer load only once there is a model to show (not in the page's first scripts),
// and so does everything after the price (breakdown, guest checkout, payment).
const loadQuoteSteps = () => import("./quote-steps");
const QuoteSteps = lazy(() => loadQuoteSteps().then((m) => ({ default: m.QuoteSteps })));

/** Posts to the host page, and only to the origin the server checked against the shop's allowed sites. */
function useHost(host: string) {
  return useCallback(
    (message: Message) => {
      if (window.parent !== window) window.parent.postMessage(message, host);
    },
    [host],
  );
}

/**
 * The shop's instant-quote form inside its own website: drop a model → progress → 3D preview and size →
 * the shop's materials, colors and quantity → the server's price → guest checkout (or continue on Ktizo).
 * No cookies: the guest's upload session lives in this page's memory and goes with every request.
 */
export function QuoteWidget({
  shop,
  host,
  locale,
  testMode,
  maxUploadMb,
  countries,
  defaultCountry,
}: {
  shop: WidgetShop;
  host: string;
  locale: string;
  testMode: boolean;
  maxUploadMb: number;
  countries: { value: string; label: string }[];
  defaultCountry: string;
}) {
  const post = useHost(host);
  const root = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [session, setSession] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [upload, setUpload] = useState<UploadResult | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  // Size the frame to the content, on every change of height.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const send = () =>
      post({ type: "ktizo:resize", height: Math.ceil(el.getBoundingClientRect().height) + 2 });
    send();
    const observer = new ResizeObserver(send);
    observer.observe(el);
    return () => observer.disconnect();
  }, [post]);

  // The loader forwards the host page's color-scheme changes; only from the parent, only from the host.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || event.origin !== host) return;
      const data = event.data as { type?: unknown; scheme?: unknown } | null;
      if (data?.type === "ktizo:color-scheme" && (data.scheme === "dark" || data.scheme === "light")) {
        document.documentElement.classList.toggle("dark", data.scheme === "dark");
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [host]);

  function send(picked: File) {
    void loadQuoteSteps(); // the next steps' code loads while the file uploads
    setFile(picked);
    setUpload(null);
    setUploadError(null);
    setProgress(0);
    const body = new FormData();
    body.append("file", picked);
    if (session) body.append("session", session);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/embed/upload/${shop.slug}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data: { upload?: UploadResult; uploadSessionId?: string; error?: string } = {};
      try {
        data = JSON.parse(xhr.responseText) as typeof data;
      } catch {
        data = { error: "The server could not read this file" };
      }
      setProgress(null);
      if (data.upload && data.uploadSessionId) {
        setSession(data.uploadSessionId);
        setUpload(data.upload);
      } else {
        setUploadError(data.error ?? "Upload failed");
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setUploadError("The upload was interrupted; try again");
    };
    xhr.send(body);
  }

  function onFiles(list: FileList | null) {
    const picked = list?.[0];
    if (picked) send(picked);
  }

  const logo = shop.logo && /^(data:image\/|\/)/.test(shop.logo) ? shop.logo : null;

  return (
    <div ref={root} className="ktizo-widget space-y-5 p-4 text-slate-900 dark:text-slate-100">
      <AccentStyle selector=".ktizo-widget" accent={shop.accentColor} />
      <header className="flex items-center gap-3">
        {logo ? (
          <img src={logo} alt="" className="h-10 w-10 rounded object-contain" />
        ) : (
          <span
            aria-hidden="true"
            className={`flex h-10 w-10 items-center justify-center rounded font-bold ${accentClass}`}
          >
            {shop.name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <h1 className="text-lg font-bold">{shop.name}: instant 3D printing quote</h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">{shop.greeting}</p>
        </div>
      </header>

      {testMode ? (
        <p className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Test mode: payments are simulated. No card is charged.
        </p>
      ) : null}

      <section aria-labelledby={`${ids}-step1`} className="space-y-2">
        <h2 id={`${ids}-step1`} className="font-semibold">
          1. Your model
        </h2>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target wraps a real, labelled file input */}
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            onFiles(e.dataTransfer.files);
          }}
          className={`rounded-lg border-2 border-dashed p-4 text-center ${over ? "border-slate-900 dark:border-white" : "border-slate-400"}`}
        >
          <input
            ref={fileInput}
            id={`${ids}-file`}
            name="file"
            type="file"
            accept=".stl,.3mf,.obj"
            className="peer sr-only"
            aria-describedby={uploadError ? `${ids}-upload-error` : undefined}
            onChange={(e) => onFiles(e.currentTarget.files)}
          />
          {/* The input is visually hidden; its label shows the keyboard focus instead. */}
          <label
            htmlFor={`${ids}-file`}
            className="cursor-pointer rounded font-medium underline outline-offset-2 peer-focus-visible:outline peer-focus-visible:outline-2"
          >
            Choose a model file
          </label>{" "}
          <span className="text-slate-700 dark:text-slate-300">
            or drop it here (STL, 3MF or OBJ, up to {maxUploadMb} MB)
          </span>
        </div>
        <div aria-live="polite">
          {progress !== null ? (
            <div>
              <p className="text-sm">
                {progress < 100 ? `Uploading ${file?.name ?? ""}…` : "Checking the model…"}
              </p>
              <progress
                aria-label="Upload progress"
                max={100}
                value={progress}
                className="mt-1 block h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700 [&::-moz-progress-bar]:bg-[var(--ktizo-accent)] [&::-webkit-progress-bar]:bg-slate-200 dark:[&::-webkit-progress-bar]:bg-slate-700 [&::-webkit-progress-value]:bg-[var(--ktizo-accent)]"
              />
            </div>
          ) : null}
          {uploadError ? (
            <p id={`${ids}-upload-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
              {uploadError}
            </p>
          ) : null}
        </div>
      </section>

      {upload && session ? (
        <Suspense fallback={<p className="text-sm">Preparing your model…</p>}>
          <QuoteSteps
            key={upload.id}
            upload={upload}
            file={file}
            session={session}
            shop={shop}
            locale={locale}
            countries={countries}
            defaultCountry={defaultCountry}
            post={post}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
