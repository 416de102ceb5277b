import { PageHeader } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Overview · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session } = await requirePlatformAdmin(request, context);
  return json({ email: session.email, services: context.runtime.describe() });
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${data.email}`} />
      <h2 className="mb-2 font-semibold">Services</h2>
      <ul className="list-inside list-disc text-sm text-slate-700 dark:text-slate-300">
        {data.services.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}
