import { formatDateTime } from "@ktizo/api/shared";
import {
  Alert,
  actionErrors,
  Badge,
  Button,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  SearchForm,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ReauthField } from "~/components/reauth-field";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Users · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, session } = await requirePlatformAdmin(request, context);
  const query = listQuery(new URL(request.url).searchParams);
  const [users, reauth] = await Promise.all([
    api.admin.users.list({ page: query.page, search: query.search }),
    api.admin.session.reauth(),
  ]);
  return json({ users, search: query.search, me: session.userId, reauth: reauth.required });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const userId = String(form.get("userId") ?? "");
  const disable = form.get("intent") === "disable";
  try {
    const result = await api.admin.users.setDisabled(
      disable
        ? {
            userId,
            disabled: true,
            reason: String(form.get("reason") ?? ""),
            password: String(form.get("password") ?? "") || undefined,
          }
        : { userId, disabled: false },
    );
    const message = disable
      ? `The account is disabled and ${result.sessionsEnded} ${result.sessionsEnded === 1 ? "session was" : "sessions were"} ended.`
      : "The account is enabled again.";
    return json({ userId, message, formError: null, fieldErrors: {} as Record<string, string> });
  } catch (error) {
    return json({ userId, message: null, ...actionErrors(error) }, { status: 400 });
  }
}

export default function Users() {
  const { users, search, me, reauth } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with a Ktizo account. Disabling one ends their sessions at once."
      />
      <SearchForm label="Search by name or email" defaultValue={search} />
      {result?.message ? <Alert tone="success">{result.message}</Alert> : null}
      <PagedTable
        caption="Users"
        list={users}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No users match">Try another name or email.</EmptyState>}
        columns={
          <>
            <Th>User</Th>
            <Th>Status</Th>
            <Th>Organizations</Th>
            <Th>Joined</Th>
            <Th className="text-right">Actions</Th>
          </>
        }
        row={(u) => (
          <tr key={u.id}>
            <Td>
              <p className="font-medium">
                {u.name} {u.role === "admin" ? <Badge tone="blue">platform admin</Badge> : null}
              </p>
              <p className="text-slate-600 dark:text-slate-400">{u.email}</p>
            </Td>
            <Td>
              {u.banned ? (
                <Badge tone="red">Disabled</Badge>
              ) : u.emailVerified ? (
                <Badge tone="green">Active</Badge>
              ) : (
                <Badge tone="amber">Unconfirmed email</Badge>
              )}
            </Td>
            <Td>{u.organizationCount}</Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(u.createdAt)}
            </Td>
            <Td className="text-right">
              {u.id === me ? null : (
                <StatusForm user={u} reauth={reauth} result={result?.userId === u.id ? result : undefined} />
              )}
            </Td>
          </tr>
        )}
      />
    </>
  );
}

/**
 * Disabling needs a second step (a reason, kept in the audit log, and a confirming button); a
 * <details> disclosure does it without JavaScript and is keyboard-operable.
 */
function StatusForm({
  user,
  result,
  reauth,
}: {
  user: { id: string; name: string; banned: boolean };
  reauth: boolean;
  result: { formError: string | null; fieldErrors: Record<string, string> } | undefined;
}) {
  const action = user.banned ? "enable" : "disable";
  return (
    <details
      className="relative inline-block text-left"
      open={Boolean(result?.formError || Object.keys(result?.fieldErrors ?? {}).length)}
    >
      <summary className="cursor-pointer list-none rounded-md px-3 py-1.5 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800">
        {user.banned ? "Enable…" : "Disable…"}
        <span className="sr-only"> {user.name}</span>
      </summary>
      <Form
        method="post"
        className="absolute right-0 z-10 mt-2 w-72 space-y-3 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
      >
        <input type="hidden" name="intent" value={action} />
        <input type="hidden" name="userId" value={user.id} />
        {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
        {user.banned ? (
          <p className="text-sm">{user.name} will be able to sign in again.</p>
        ) : (
          <TextField
            label={`Reason for disabling ${user.name}`}
            name="reason"
            hint="Kept in the audit log."
            error={result?.fieldErrors.reason ?? result?.fieldErrors.userId}
          />
        )}
        {user.banned ? null : <ReauthField required={reauth} error={result?.fieldErrors.password} />}
        {user.banned ? null : (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Their sessions end at once; they cannot sign in.
          </p>
        )}
        <Button type="submit" variant={user.banned ? "primary" : "danger"} className="w-full">
          {user.banned ? "Confirm: enable account" : "Confirm: disable account"}
        </Button>
      </Form>
    </details>
  );
}
