import { formatDateTime } from "@ktizo/api/shared";
import {
  Badge,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  SearchForm,
  SelectField,
  Td,
  Th,
} from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Ktizo admin" }];

const CHANNELS = ["email", "sms"] as const;
type Channel = (typeof CHANNELS)[number];
const isChannel = (v: string | null): v is Channel => CHANNELS.some((c) => c === v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const query = listQuery(params);
  const channelParam = params.get("channel");
  const channel = isChannel(channelParam) ? channelParam : undefined;
  const messages = await api.admin.outbox.list({ page: query.page, recipient: query.search, channel });
  return json({ messages, search: query.search, channel: channel ?? "" });
}

const STATUS_TONE = { stored: "slate", sent: "green", failed: "red" } as const;

export default function Outbox() {
  const { messages, search, channel } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email and text message the platform sent or stored (the local stand-ins keep them here)."
      />
      <SearchForm label="Search by recipient" defaultValue={search}>
        <SelectField label="Channel" name="channel" defaultValue={channel}>
          <option value="">All</option>
          <option value="email">Email</option>
          <option value="sms">SMS</option>
        </SelectField>
      </SearchForm>
      <PagedTable
        caption="Outbox messages"
        list={messages}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No messages match" />}
        columns={
          <>
            <Th>Recipient</Th>
            <Th>Subject</Th>
            <Th>Channel</Th>
            <Th>Status</Th>
            <Th>Created</Th>
          </>
        }
        row={(m) => (
          <tr key={m.id}>
            <Td className="font-medium">{m.recipient}</Td>
            <Td>
              <Link
                to={`/outbox/${m.id}`}
                className="font-medium text-brand-600 hover:underline dark:text-brand-400"
              >
                {m.subject ?? m.template}
              </Link>
              <p className="text-xs text-slate-500">{m.template}</p>
            </Td>
            <Td>
              <Badge>{m.channel}</Badge>
            </Td>
            <Td>
              <Badge tone={STATUS_TONE[m.status]}>{m.status}</Badge>
            </Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(m.createdAt)}
            </Td>
          </tr>
        )}
      />
    </>
  );
}
