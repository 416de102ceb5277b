import { Alert, Badge, Button, EmptyState, Section, SelectField, Table, Td, TextField, Th } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormBody } from "~/components/intent-form";
import { OrgShell } from "~/components/org-shell";
import { useFormat } from "~/lib/format";
import { attempt, type FormResult, formText, refused, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Members · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const { members, invitations } = await org.api.account.members.list();
  return json({ ...shellData(org), me: org.session.userId, members, invitations });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  switch (intent) {
    case "invite": {
      const email = formText(form, "email");
      return attempt(
        intent,
        () => api.account.members.invite({ email, role: formText(form, "role") as "admin" | "member" }),
        `Invitation sent to ${email.trim()}.`,
      );
    }
    case "change-role":
      return attempt(
        intent,
        () =>
          api.account.members.changeRole({
            memberId: formText(form, "memberId"),
            role: formText(form, "role") as "owner" | "admin" | "member",
          }),
        "The role is changed.",
      );
    case "remove":
      return attempt(
        intent,
        () => api.account.members.remove({ memberId: formText(form, "memberId") }),
        "The member is removed.",
      );
    case "cancel":
      return attempt(
        intent,
        () => api.account.invitations.cancel({ invitationId: formText(form, "invitationId") }),
        "The invitation is canceled.",
      );
    case "leave":
      try {
        await api.account.organizations.leave();
      } catch (error) {
        return attempt(intent, () => Promise.reject(error));
      }
      return redirect("/org");
    default:
      return refused(intent, { formError: "Unknown form.", fieldErrors: {} });
  }
}

const ROLE_TONE = { owner: "blue", admin: "green", member: "slate" } as const;

export default function Members() {
  const { dateTime: formatDateTime } = useFormat();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const canManage = data.organization.role !== "member";
  const isOwner = data.organization.role === "owner";
  // Results of the per-row forms are shown above the table, where they are seen.
  const rowResult = ["change-role", "remove", "cancel"].includes(result?.intent ?? "") ? result : undefined;
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="sr-only">Members</h1>
      <div className="space-y-6">
        {rowResult?.message ? <Alert tone="success">{rowResult.message}</Alert> : null}
        {rowResult?.formError ? <Alert tone="error">{rowResult.formError}</Alert> : null}
        {canManage ? (
          <Section
            id="invite-heading"
            title="Invite someone"
            description="They get an email with a link to join."
          >
            <FormBody intent="invite" data={result} submit="Send invitation">
              <div className="grid gap-4 sm:grid-cols-3">
                <TextField
                  className="sm:col-span-2"
                  label="Email address"
                  name="email"
                  type="email"
                  autoComplete="off"
                  error={resultFor(result, "invite")?.fieldErrors.email}
                />
                <SelectField
                  label="Role"
                  name="role"
                  defaultValue="member"
                  error={resultFor(result, "invite")?.fieldErrors.role}
                >
                  <option value="member">Member</option>
                  <option value="admin">Admin</option>
                </SelectField>
              </div>
            </FormBody>
          </Section>
        ) : null}

        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="mb-3 text-base font-semibold">
            Members ({data.members.length})
          </h2>
          <Table caption="Members">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
                {canManage ? <Th className="text-right">Actions</Th> : null}
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.memberId}>
                  <Td>
                    <p className="font-medium">
                      {m.name}
                      {m.userId === data.me ? (
                        <span className="text-slate-500 dark:text-slate-400"> (you)</span>
                      ) : null}
                    </p>
                    <p className="text-slate-600 dark:text-slate-400">{m.email}</p>
                  </Td>
                  <Td>
                    <Badge tone={ROLE_TONE[m.role]}>{m.role}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
                    {formatDateTime(m.joinedAt)}
                  </Td>
                  {canManage ? (
                    <Td>
                      {m.userId === data.me ? null : (
                        <div className="flex flex-wrap justify-end gap-2">
                          <Form method="post" className="flex items-center gap-2">
                            <input type="hidden" name="intent" value="change-role" />
                            <input type="hidden" name="memberId" value={m.memberId} />
                            <label htmlFor={`role-${m.memberId}`} className="sr-only">
                              Role of {m.name}
                            </label>
                            <select
                              id={`role-${m.memberId}`}
                              name="role"
                              defaultValue={m.role}
                              className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600 dark:bg-slate-900 dark:ring-slate-700"
                            >
                              {isOwner ? <option value="owner">Owner</option> : null}
                              <option value="admin">Admin</option>
                              <option value="member">Member</option>
                            </select>
                            <Button type="submit" variant="secondary">
                              Change <span className="sr-only">role of {m.name}</span>
                            </Button>
                          </Form>
                          <Form method="post">
                            <input type="hidden" name="intent" value="remove" />
                            <input type="hidden" name="memberId" value={m.memberId} />
                            <Button type="submit" variant="ghost" className="text-red-700 dark:text-red-400">
                              Remove <span className="sr-only">{m.name}</span>
                            </Button>
                          </Form>
                        </div>
                      )}
                    </Td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        </section>

        {data.invitations ? (
          <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading" className="mb-3 text-base font-semibold">
              Pending invitations
            </h2>
            {data.invitations.length === 0 ? (
              <EmptyState title="No pending invitations" />
            ) : (
              <Table caption="Pending invitations">
                <thead>
                  <tr>
                    <Th>Email</Th>
                    <Th>Role</Th>
                    <Th>Expires</Th>
                    <Th className="text-right">Actions</Th>
                  </tr>
                </thead>
                <tbody>
                  {data.invitations.map((i) => (
                    <tr key={i.id}>
                      <Td className="font-medium">{i.email}</Td>
                      <Td>
                        <Badge tone={ROLE_TONE[i.role]}>{i.role}</Badge>
                      </Td>
                      <Td className="whitespace-nowrap">
                        {i.expired ? <Badge tone="amber">Expired</Badge> : formatDateTime(i.expiresAt)}
                      </Td>
                      <Td className="text-right">
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <Button type="submit" variant="ghost">
                            Cancel <span className="sr-only">invitation for {i.email}</span>
                          </Button>
                        </Form>
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        ) : null}

        <Section
          id="leave-heading"
          title="Leave this organization"
          tone="danger"
          description="You lose access to its workspace. The last owner cannot leave: make someone else owner first."
        >
          <LeaveForm result={resultFor(result, "leave")} />
        </Section>
      </div>
    </OrgShell>
  );
}

function LeaveForm({ result }: { result: FormResult | undefined }) {
  return (
    <Form method="post" className="space-y-3">
      {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
      <input type="hidden" name="intent" value="leave" />
      <Button type="submit" variant="danger">
        Leave organization
      </Button>
    </Form>
  );
}
