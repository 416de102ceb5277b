import { Alert, Button } from "@ktizo/ui";
import { useFetcher } from "@remix-run/react";
import { MessageThread, type ThreadMessage } from "~/components/marketplace/message-thread";

interface DraftAnswer {
  intent: string;
  draft: { reply: string; source: "anthropic" | "rules" } | null;
  formError: string | null;
}

/**
 * The shop's side of an order's thread with "Suggest a reply" (issue 15, req. 5): the AI drafts a reply
 * to the customer's latest message into the reply box, where it can be edited and sent (recorded as
 * accepted, and whether it was edited) or dismissed (recorded too). Without AI it is the plain thread.
 */
export function ShopMessages({
  orderId,
  messages,
  otherName,
  attachmentBase,
  aiAvailable,
}: {
  orderId: string;
  messages: ThreadMessage[];
  otherName: string;
  attachmentBase: string;
  aiAvailable: boolean;
}) {
  const fetcher = useFetcher<DraftAnswer>();
  const action = `/orders/shop/${orderId}/reply-draft`;
  const draft = fetcher.data?.intent === "suggest" ? fetcher.data.draft : null;
  const customerWrote = messages.some((m) => m.side === "customer");
  const above =
    aiAvailable && customerWrote ? (
      <div className="space-y-2" data-testid="reply-suggestion">
        {fetcher.data?.formError ? <Alert tone="error">{fetcher.data.formError}</Alert> : null}
        {draft ? (
          <fetcher.Form method="post" action={action} className="flex flex-wrap items-center gap-2 text-sm">
            <input type="hidden" name="intent" value="dismiss" />
            <span className="text-slate-600 dark:text-slate-400">
              A suggested reply ({draft.source === "anthropic" ? "AI" : "local template"}) is in the box
              below: edit it and send it, or
            </span>
            <Button type="submit" variant="secondary" disabled={fetcher.state !== "idle"}>
              Dismiss the suggestion
            </Button>
          </fetcher.Form>
        ) : (
          <fetcher.Form method="post" action={action}>
            <input type="hidden" name="intent" value="suggest" />
            <Button type="submit" variant="secondary" disabled={fetcher.state !== "idle"}>
              {fetcher.state !== "idle" ? "Drafting…" : "Suggest a reply"}
            </Button>
          </fetcher.Form>
        )}
      </div>
    ) : null;
  return (
    <MessageThread
      messages={messages}
      otherName={otherName}
      attachmentBase={attachmentBase}
      draft={draft?.reply ?? null}
      composerExtras={{
        above,
        fields: draft ? <input type="hidden" name="aiDraft" value={draft.reply} /> : null,
      }}
    />
  );
}
