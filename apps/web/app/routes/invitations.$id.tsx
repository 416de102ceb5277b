import { requireSession } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Badge, Button, Card, errorCode } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useFormat } from "~/lib/format";
import { formText } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Invitation · Ktizo" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Signing in (or up) brings the invitee back here.
  const { api, session } = await requireSession(request, context);
  try {
    const invitation = await api.account.invitations.get({ invitationId: params.id ?? "" });
    return json({ invitation, email: session.email });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND")
      throw new Response("This invitation does not exist, or it was sent to another email address.", {
        status: 404,
      });
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const invitationId = params.id ?? "";
  try {
    if (formText(form, "intent") === "accept") {
      // Accepting also makes the organization the session's active one.
      await api.account.invitations.accept({ invitationId });
      return redirect("/org");
    }
    await api.account.invitations.decline({ invitationId });
    return redirect("/?declined=1");
  } catch (error) {
    return json(actionErrors(error), { status: 400 });
  }
}

export default function Invitation() {
  const { dateTime: formatDateTime } = useFormat();
  const { invitation, email } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const pending = invitation.status === "pending";
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-xl font-bold">Join {invitation.organizationName}</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          {invitation.inviterName} invited {email} to join as <Badge tone="blue">{invitation.role}</Badge>.
        </p>
        {pending ? (
          <p className="mt-1 text-xs text-slate-500">
            The invitation expires {formatDateTime(invitation.expiresAt)}.
          </p>
        ) : null}
        <div className="mt-6 space-y-4">
          {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
          {pending ? (
            <Form method="post" className="flex gap-3">
              <Button type="submit" name="intent" value="accept" disabled={busy}>
                Accept and join
              </Button>
              <Button type="submit" name="intent" value="decline" variant="secondary" disabled={busy}>
                Decline
              </Button>
            </Form>
          ) : (
            <>
              <Alert tone="info">{statusMessage(invitation.status)}</Alert>
              <Link
                to="/"
                className="text-sm font-semibold text-brand-600 hover:underline dark:text-brand-400"
              >
                Back to Ktizo
              </Link>
            </>
          )}
        </div>
      </Card>
    </div>
  );
}

function statusMessage(status: string): string {
  switch (status) {
    case "accepted":
      return "You already accepted this invitation.";
    case "rejected":
      return "You declined this invitation.";
    case "canceled":
      return "This invitation was canceled. Ask for a new one.";
    default:
      return "This invitation has expired. Ask for a new one.";
  }
}
