import { Alert, Button, buttonClass, CheckboxField, Section, TextField } from "@ktizo/ui";
import { Form, Link, useFetcher } from "@remix-run/react";

/** A constraint the person confirmed, in plain words, with its `c` parameter. */
export interface ConfirmedSteering {
  explanation: string;
  param: string;
}

interface SteerAnswer {
  intent: string;
  steering: {
    constraints: ConfirmedSteering[];
    messages: string[];
    source: "anthropic" | "rules";
  } | null;
  explanation: { jobId: string; explanation: string; source: "anthropic" | "rules" } | null;
  formError: string | null;
  fieldErrors: Record<string, string>;
}

const AI_ROUTE = "/org/schedule/plan/ai";

function sourceLabel(source: "anthropic" | "rules"): string {
  return source === "anthropic" ? "Proposed by the AI (Anthropic)" : "Proposed by the local rules";
}

/** The hidden fields that carry the page's options and confirmed steering along. */
function Carried({ allowMoves, confirmed }: { allowMoves: boolean; confirmed: ConfirmedSteering[] }) {
  return (
    <>
      {allowMoves ? <input type="hidden" name="moves" value="1" /> : null}
      {confirmed.map((c) => (
        <input key={c.param} type="hidden" name="c" value={c.param} />
      ))}
    </>
  );
}

/**
 * "Tell the planner…" (issue 15, req. 4): a sentence goes to the AI, which proposes constraints; the
 * person keeps or removes each one, and only "Plan with these" runs the planner with them (through the
 * page's URL). Only rendered when AI is offered to this person in this shop.
 */
export function PlanSteering({
  allowMoves,
  confirmed,
}: {
  allowMoves: boolean;
  confirmed: ConfirmedSteering[];
}) {
  const fetcher = useFetcher<SteerAnswer>();
  const answer = fetcher.data?.intent === "steer" ? fetcher.data : null;
  const busy = fetcher.state !== "idle";
  return (
    <Section
      id="steer"
      title="Tell the planner…"
      description="Say what matters this time in a sentence. The AI turns it into constraints you check before anything is planned."
    >
      {confirmed.length ? (
        <div className="mb-4 space-y-2" data-testid="steering-in-use">
          <p className="text-sm font-medium">This plan follows your steering:</p>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {confirmed.map((c) => (
              <li key={c.param}>{c.explanation}</li>
            ))}
          </ul>
          <Link to={allowMoves ? "?moves=1" : "?"} className={buttonClass("secondary")}>
            Plan without steering
          </Link>
        </div>
      ) : null}
      <fetcher.Form method="post" action={AI_ROUTE} className="space-y-3">
        <input type="hidden" name="intent" value="steer" />
        {allowMoves ? <input type="hidden" name="moves" value="1" /> : null}
        <TextField
          label="Your instruction"
          name="sentence"
          required
          maxLength={500}
          autoComplete="off"
          placeholder="do the Acme order first"
          hint="For example “do the Acme order first”, “keep the Prusa XL free on Friday”, “#1042 not before Monday” or “#1042 on the Prusa XL”."
          error={answer?.fieldErrors.sentence}
        />
        <Button type="submit" variant="secondary" disabled={busy}>
          {busy ? "Reading…" : "Propose constraints"}
        </Button>
      </fetcher.Form>
      {answer?.formError ? (
        <div className="mt-3">
          <Alert tone="error">{answer.formError}</Alert>
        </div>
      ) : null}
      {answer?.steering ? (
        <Form method="get" className="mt-4 space-y-3" data-testid="proposed-constraints">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {sourceLabel(answer.steering.source)}. Untick any you do not want; nothing is planned until you
            confirm.
          </p>
          {answer.steering.messages.length ? (
            <Alert tone="warning">
              <ul className="list-disc pl-5">
                {answer.steering.messages.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {answer.steering.constraints.length ? (
            <>
              <Carried allowMoves={allowMoves} confirmed={confirmed} />
              <ul className="space-y-2">
                {answer.steering.constraints.map((c) => (
                  <li key={c.param}>
                    <CheckboxField name="c" value={c.param} defaultChecked label={c.explanation} />
                  </li>
                ))}
              </ul>
              <Button type="submit">Plan with these</Button>
            </>
          ) : (
            <p className="text-sm">No constraint came out of that sentence; try saying it another way.</p>
          )}
        </Form>
      ) : null}
    </Section>
  );
}

/**
 * "Why is this late?": the planner's facts about the job in plain words from the AI (only rendered when
 * AI is offered; the planner's own reason stays on the page either way).
 */
export function ExplainLate({
  jobId,
  allowMoves,
  confirmed,
}: {
  jobId: string;
  allowMoves: boolean;
  confirmed: ConfirmedSteering[];
}) {
  const fetcher = useFetcher<SteerAnswer>();
  const answer = fetcher.data?.intent === "explain" ? fetcher.data : null;
  return (
    <div className="mt-1">
      {answer?.explanation ? (
        <p className="rounded-md bg-slate-50 p-2 text-sm dark:bg-slate-800" data-testid="late-explanation">
          {answer.explanation.explanation}{" "}
          <span className="text-xs text-slate-500 dark:text-slate-400">
            ({answer.explanation.source === "anthropic" ? "AI" : "local rules"})
          </span>
        </p>
      ) : (
        <fetcher.Form method="post" action={AI_ROUTE}>
          <input type="hidden" name="intent" value="explain" />
          <input type="hidden" name="jobId" value={jobId} />
          <Carried allowMoves={allowMoves} confirmed={confirmed} />
          <Button type="submit" variant="secondary" disabled={fetcher.state !== "idle"}>
            Why is this late?
          </Button>
        </fetcher.Form>
      )}
      {answer?.formError ? (
        <p className="text-sm text-red-600 dark:text-red-400">{answer.formError}</p>
      ) : null}
    </div>
  );
}
