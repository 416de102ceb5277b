import { Form } from "@remix-run/react";

export interface PolicyNotice {
  kind: "privacy" | "terms";
  title: string;
  summary: string;
  effectiveAt: string;
}

/** P31: announced policy changes, shown to signed-in users until they acknowledge them. */
export function PolicyBanner({ notices }: { notices: PolicyNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <div
      role="status"
      className="border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm dark:border-amber-900 dark:bg-amber-950"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3">
        <ul className="space-y-1">
          {notices.map((n) => (
            <li key={n.kind}>
              Our{" "}
              <a href={`/policies/${n.kind}?upcoming=1`} className="font-semibold underline">
                {n.title.toLowerCase()}
              </a>{" "}
              changes on {n.effectiveAt.slice(0, 10)}.{n.summary ? ` ${n.summary}` : ""}
            </li>
          ))}
        </ul>
        <Form method="post" action="/policies">
          <button
            type="submit"
            className="rounded-md bg-white px-3 py-1.5 font-semibold ring-1 ring-amber-300 dark:bg-slate-900"
          >
            Got it
          </button>
        </Form>
      </div>
    </div>
  );
}
