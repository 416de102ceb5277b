import { apiFor, requireSession } from "@ktizo/runtime/remix";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Policies · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await apiFor(request, context);
  return json({ policies: await api.privacy.policies.current() });
}

/** The policy banner's "Got it": records that the user has seen (accepted) the announced versions. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  await api.privacy.policies.accept();
  return redirect(request.headers.get("referer") ? new URL(request.headers.get("referer")!).pathname : "/");
}

export default function Policies() {
  const { policies } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Policies</h1>
      <ul className="space-y-2">
        {policies.map((p) => (
          <li key={p.kind}>
            {/* Only a published policy has a page to open. */}
            {p.current ? (
              <a href={`/policies/${p.kind}`} className="font-semibold text-brand-600 hover:underline">
                {p.kind === "privacy" ? "Privacy policy" : "Terms of service"}
              </a>
            ) : (
              <span className="font-semibold">
                {p.kind === "privacy" ? "Privacy policy" : "Terms of service"}
              </span>
            )}
            {p.current
              ? ` — version ${p.current.version}, in effect since ${p.current.effectiveAt.slice(0, 10)}`
              : " — not published yet"}
            {p.upcoming
              ? ` (version ${p.upcoming.version} takes effect on ${p.upcoming.effectiveAt.slice(0, 10)})`
              : ""}
          </li>
        ))}
      </ul>
      <p>
        <a href="/cookies" className="text-brand-600 hover:underline">
          Cookies
        </a>
      </p>
    </div>
  );
}
