import { Alert, actionErrors, Button, buttonClass, EmptyState, errorCode, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ThreadLinkSection } from "~/components/inbox/thread-link-section";
import { InboxThreadList } from "~/components/inbox/thread-list";
import { InboxThreadMessages } from "~/components/inbox/thread-messages";
import { ThreadReplySection } from "~/components/inbox/thread-reply-section";
import { linkClass } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { num } from "~/components/shop/format";
import { PurchaseOrderDraft } from "~/components/shop/purchase-order-draft";
import { ShopPage } from "~/components/shop/shop-page";
import { attempt, type FormResult, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Ktizo" }];

type Api = Awaited<ReturnType<typeof requireOrg>>["api"];
type DraftAnswer = Awaited<ReturnType<Api["inbox"]["draftJob"]>>;
type Threads = Awaited<ReturnType<Api["inbox"]["threads"]>>["threads"];
type Thread = Awaited<ReturnType<Api["inbox"]["thread"]>>;
type Choice = { id: string; label: string };
const none = {
  threads: [] as Threads,
  thread: null as Thread | null,
  jobs: [] as Choice[],
  customers: [] as Choice[],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const params = new URL(request.url).searchParams;
  const status = await api.inbox.status();
  const base = { ...shellData(org), status, currency: org.organization.profile.currency };
  if (!status.connected)
    return json({
      ...base,
      threads: [],
      thread: null,
      jobs: [],
      customers: [],
      problem: null as string | null,
    });
  const threadId = params.get("thread");
  try {
    const [list, thread] = await Promise.all([
      api.inbox.threads({ query: params.get("q") || null }),
      threadId
        ? api.inbox.thread({ threadId }).catch((error: unknown) => {
            if (errorCode(error) === "NOT_FOUND" || errorCode(error) === "BAD_REQUEST") return null;
            throw error;
          })
        : null,
    ]);
    const [jobs, customers] = thread
      ? await Promise.all([
          api.job
            .list({ pageSize: 100 })
            .then((p) => p.items.map((j) => ({ id: j.id, label: `#${j.number} ${j.title}` }))),
          api.job.customers
            .list({ pageSize: 100 })
            .then((p) => p.items.map((c) => ({ id: c.id, label: c.name }))),
        ])
      : [none.jobs, none.customers];
    return json({ ...base, threads: list.threads, thread, jobs, customers, problem: null });
  } catch (error) {
    const problem = actionErrors(error, "Gmail could not be read just now.").formError;
    return json({ ...base, ...none, problem });
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const threadId = formText(form, "threadId");
  switch (intent) {
    case "reply":
      return attempt(
        intent,
        () => api.inbox.reply({ threadId, text: formText(form, "text") }),
        "Reply sent.",
      );
    case "link": {
      const [kind, id] = formText(form, "target").split(":");
      return attempt(
        intent,
        () => api.inbox.link({ threadId, ...(kind === "customer" ? { customerId: id } : { jobId: id }) }),
        "Thread linked: its messages are in the conversation, new ones follow.",
      );
    }
    case "unlink":
      return attempt(intent, () => api.inbox.unlink({ threadId }), "Thread unlinked.");
    case "disconnect":
      return attempt(
        intent,
        () => api.inbox.disconnect(),
        "Google disconnected: the grant is revoked and your token and cached mail are deleted.",
      );
    case "draft": {
      try {
        const attachmentId = formText(form, "attachmentId");
        const draft: DraftAnswer = await api.inbox.draftJob({
          threadId,
          messageId: formText(form, "messageId"),
          ...(attachmentId ? { attachmentId } : {}),
        });
        return json({ intent, ok: true, message: null, formError: null, fieldErrors: {}, draft });
      } catch (error) {
        return refused(intent, actionErrors(error, "The purchase order could not be read."));
      }
    }
    case "createJob": {
      const count = Math.min(200, num(form.get("itemCount")) ?? 0);
      const items = Array.from({ length: count }, (_, i) => ({
        description: formText(form, `item${i}.description`),
        quantity: num(form.get(`item${i}.quantity`)) ?? Number.NaN,
        unitPriceMinor: read.money(formText(form, `item${i}.unitPrice`) || "0"),
      }));
      const customerId = formText(form, "customerId");
      try {
        const created = await api.inbox.createJobFromDraft({
          threadId,
          job: {
            title: formText(form, "title"),
            ...(customerId
              ? { customerId }
              : {
                  newCustomer: {
                    name: formText(form, "customerName"),
                    ...(formText(form, "customerEmail") ? { email: formText(form, "customerEmail") } : {}),
                    ...(formText(form, "customerCompany")
                      ? { company: formText(form, "customerCompany") }
                      : {}),
                  },
                }),
            rush: form.get("rush") === "on",
            dueAt: read.dueAt(formText(form, "dueDate")),
            items,
            ...(formText(form, "notes") ? { note: formText(form, "notes") } : {}),
          } as Parameters<Api["inbox"]["createJobFromDraft"]>[0]["job"],
        });
        return redirect(`/org/jobs/${created.jobId}?created=1`);
      } catch (error) {
        return refused(intent, actionErrors(error, "The job could not be created."));
      }
    }
    default:
      return refused(intent, { formError: "Unknown action", fieldErrors: {} });
  }
}

export default function Inbox() {
  const { organization, memberships, status, threads, thread, jobs, customers, problem, currency } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as (FormResult & { draft?: DraftAnswer }) | undefined;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = (intent: string) =>
    navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const selected = params.get("thread");
  const done = data?.ok && data.message ? data.message : null;
  const draft = data?.intent === "draft" && data.ok ? data.draft : undefined;

  if (!status.connected) {
    return (
      <ShopPage shell={{ organization, memberships }} title="Inbox">
        {done ? <Alert tone="success">{done}</Alert> : null}
        <EmptyState title="Connect your Google account">
          <p>
            Read and answer your email here, link threads to jobs and customers, and turn purchase orders into
            draft jobs.
          </p>
          <p className="mt-4">
            <Link to="/org/google/connect" className={buttonClass("primary")}>
              Connect Google
            </Link>
          </p>
        </EmptyState>
      </ShopPage>
    );
  }

  return (
    <ShopPage
      shell={{ organization, memberships }}
      title="Inbox"
      description={
        <>
          {status.email}
          {status.provider === "local" ? " · demo inbox (Google is not configured here)" : ""}
        </>
      }
      actions={
        <Form method="post">
          <input type="hidden" name="intent" value="disconnect" />
          <Button type="submit" variant="secondary" disabled={busy("disconnect")}>
            Disconnect Google
          </Button>
        </Form>
      }
    >
      {params.get("connected") ? <Alert tone="success">Google connected.</Alert> : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Section id="inbox-threads" title="Threads">
          <InboxThreadList threads={threads} selected={selected} />
        </Section>
        <div className="min-w-0 space-y-6">
          {thread ? (
            <>
              <InboxThreadMessages thread={thread} busy={busy} />
              {data?.intent === "draft" && !data.ok ? <ErrorSummary result={data} /> : null}
              {draft ? (
                draft.readable ? (
                  <PurchaseOrderDraft
                    key={JSON.stringify(draft.draft)}
                    answer={draft}
                    threadId={thread.id}
                    shopCurrency={currency}
                    customers={customers}
                    result={resultFor(data, "createJob")}
                    busy={busy("createJob")}
                  />
                ) : (
                  <Alert tone="error">{draft.message}</Alert>
                )
              ) : (
                <ErrorSummary result={resultFor(data, "createJob")} />
              )}
              <ThreadLinkSection thread={thread} jobs={jobs} customers={customers} data={data} busy={busy} />
              <ThreadReplySection thread={thread} email={status.email} done={done} data={data} busy={busy} />
            </>
          ) : selected ? (
            <Alert tone="error">That thread is not in your inbox.</Alert>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Open a thread to read it, reply or link it to a job.
            </p>
          )}
        </div>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        <Link to="/account/privacy" className={linkClass}>
          Your privacy center
        </Link>{" "}
        lists what Google access you gave and lets you disconnect.
      </p>
    </ShopPage>
  );
}
