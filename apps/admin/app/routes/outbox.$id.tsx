import { formatDateTime } from "@ktizo/api/shared";
import { Badge, Card, errorCode, PageHeader } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Message · Ktizo admin" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  try {
    return json({ message: await api.admin.outbox.get({ id: params.id ?? "" }) });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND") throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export default function OutboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  const facts: [string, string][] = [
    ["To", message.recipient],
    ["Channel", message.channel],
    ["Category", message.category],
    ["Template", message.template],
    ["Provider", message.provider + (message.providerMessageId ? ` (${message.providerMessageId})` : "")],
    ["Created", formatDateTime(message.createdAt)],
  ];
  return (
    <>
      <Link to="/outbox" className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
        ← Back to the outbox
      </Link>
      <div className="mt-2">
        <PageHeader
          title={message.subject ?? `${message.channel.toUpperCase()} to ${message.recipient}`}
          actions={<Badge>{message.status}</Badge>}
        />
      </div>
      <Card>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[8rem_1fr]">
          {facts.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="font-medium text-slate-500 dark:text-slate-400">{term}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
          {message.error ? (
            <>
              <dt className="font-medium text-red-600">Error</dt>
              <dd className="text-red-700 dark:text-red-300">{message.error}</dd>
            </>
          ) : null}
        </dl>
        <h2 className="mb-2 mt-6 text-sm font-semibold">Message</h2>
        {/* The text body, shown as text: never the stored HTML, which could run in the console. */}
        <pre
          className="whitespace-pre-wrap break-words rounded-md bg-slate-50 p-4 font-mono text-sm dark:bg-slate-950"
          data-testid="outbox-body"
        >
          {message.bodyText}
        </pre>
      </Card>
    </>
  );
}
