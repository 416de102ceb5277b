import { Form } from "@remix-run/react";

export interface PolicyNotice {
  id: string;
  kind: "privacy" | "terms";
  title: string;
  summary: string;
  effectiveAt: string;
  /** In force already (and not yet accepted by this user), or announced for a later date. */
  inForce: boolean;
}

/**
 * P31: policy versions this signed-in user has not accepted: announced ones (changing on a date) and
 * ones already in force since the user's session began. "Accept" records the acceptance.
 */
export function PolicyBanner({ notices }: { notices: PolicyNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <section
      aria-label="Policy changes"
      className="border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm dark:border-amber-900 dark:bg-amber-950"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3">
        <ul className="space-y-1">
          {notices.map((n) => (
            <li key={n.id}>
              Our{" "}
              <a
                href={`/policies/${n.kind}${n.inForce ? "" : "?upcoming=1"}`}
                className="font-semibold underline"
              >
                {n.title.toLowerCase()}
              </a>{" "}
              {n.inForce ? "changed on" : "changes on"} {n.effectiveAt.slice(0, 10)}.
              {n.summary ? ` ${n.summary}` : ""}
            </li>
          ))}
        </ul>
        <Form method="post" action="/policies">
          <button
            type="submit"
            className="rounded-md bg-white px-3 py-1.5 font-semibold ring-1 ring-amber-300 dark:bg-slate-900"
          >
            {notices.some((n) => n.inForce) ? "Accept" : "Got it"}
          </button>
        </Form>
      </div>
    </section>
  );
}
