import { apiFor } from "@ktizo/runtime/remix";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.policy.title ?? "Policy"} · Ktizo` },
];

/** A policy page (P31): the version in force, or a given version (?version=2), with the version history. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const kind = params.kind;
  if (kind !== "privacy" && kind !== "terms") throw new Response("Not found", { status: 404 });
  const { api } = await apiFor(request, context);
  const url = new URL(request.url);
  const requested = Number(url.searchParams.get("version"));
  let version = Number.isInteger(requested) && requested > 0 ? requested : undefined;
  if (url.searchParams.get("upcoming") === "1") {
    const all = await api.privacy.policies.current();
    version = all.find((p) => p.kind === kind)?.upcoming?.version ?? version;
  }
  try {
    return json({ policy: await api.privacy.policies.get({ kind, version }) });
  } catch {
    throw new Response("This policy has not been published yet", { status: 404 });
  }
}

export default function Policy() {
  const { policy } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <header>
        <h1 className="text-3xl font-bold">{policy.title}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Version {policy.version} · effective {policy.effectiveAt.slice(0, 10)}
        </p>
      </header>
      <div className="whitespace-pre-wrap leading-relaxed">{policy.body}</div>
      <footer className="border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
        <h2 className="font-semibold">Versions</h2>
        <ul>
          {policy.versions.map((v) => (
            <li key={v.id}>
              <a href={`?version=${v.version}`} className="text-brand-600 underline">
                Version {v.version}
              </a>{" "}
              — effective {v.effectiveAt.slice(0, 10)}
              {v.summary ? `: ${v.summary}` : ""}
            </li>
          ))}
        </ul>
      </footer>
    </article>
  );
}
