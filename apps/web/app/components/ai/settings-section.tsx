import { Alert, Button, Section } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";

/**
 * The shop's AI switch and a way to its audit trail (issue 15, req. 6). Off: no AI box or button is
 * offered to anyone in the shop and no request leaves; each person also has their own switch in the
 * privacy center.
 */
export function AiSettingsSection({
  aiOff,
  canChange,
  busy,
  error,
}: {
  aiOff: boolean;
  canChange: boolean;
  busy: boolean;
  error: string | null;
}) {
  return (
    <Section
      id="ai"
      title="AI features"
      description="Reading purchase orders, steering the planner, explaining late jobs and drafting replies to customers. The planner and everything else work the same without them."
    >
      <div className="space-y-3 text-sm">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <p data-testid="ai-switch-state">
          AI is <strong>{aiOff ? "switched off" : "switched on"}</strong> for this shop
          {aiOff ? ": nothing is sent to an AI provider." : "; each request is recorded."}
        </p>
        {canChange ? (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="ai-switch" />
              <input type="hidden" name="aiOff" value={aiOff ? "0" : "1"} />
              <Button type="submit" variant="secondary" disabled={busy}>
                {aiOff ? "Switch AI on" : "Switch AI off"}
              </Button>
            </Form>
            <p>
              <Link to="/org/ai-activity" className={linkClass}>
                AI activity: every request, who made it and what kinds of data it sent
              </Link>
            </p>
          </>
        ) : (
          <p>Owners and admins can change this.</p>
        )}
      </div>
    </Section>
  );
}
