import { EmptyState, Pagination, Table, Td, Th } from "@ktizo/ui";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";

/** A page of the AI audit trail (ai.activity.mine and ai.activity.organization answer alike). */
export type AiActivityPage = Served<RouterOutputs["ai"]["activity"]["mine"]>;

/** "job_titles" → "job titles": the kinds of data a request sent, as words. */
const kindWords = (kinds: string[]) => kinds.map((k) => k.replaceAll("_", " ")).join(", ");

/**
 * The AI audit trail (issue 15, req. 6): one row per request, with the kinds of data sent (never the
 * content), the model and its token counts (≈: the local rules' estimate). `who` shows the person
 * (the shop's trail) or the shop (a person's own trail).
 */
export function AiActivityTable({
  page,
  who,
  href,
}: {
  page: AiActivityPage;
  who: "person" | "shop";
  href: (page: number) => string;
}) {
  const { dateTime } = useFormat();
  if (page.total === 0) {
    return (
      <EmptyState title="No AI requests yet">Each request an AI feature makes is listed here.</EmptyState>
    );
  }
  return (
    <>
      <Table caption="AI requests">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>{who === "person" ? "Who" : "Shop"}</Th>
            <Th>Feature</Th>
            <Th>Data sent (kinds)</Th>
            <Th>Model</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th>Outcome</Th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((r) => (
            <tr key={r.id} data-testid="ai-request">
              <Td className="whitespace-nowrap">{dateTime(r.at)}</Td>
              <Td>{who === "person" ? (r.userName ?? "Deleted user") : r.organizationName}</Td>
              <Td>{r.featureLabel}</Td>
              <Td className="min-w-48">{kindWords(r.dataKinds)}</Td>
              <Td>
                {r.model}
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  {r.provider === "anthropic"
                    ? "Anthropic"
                    : r.provider === "rules"
                      ? "local rules (nothing sent)"
                      : r.provider}
                </span>
              </Td>
              <Td className="whitespace-nowrap text-right">
                {r.tokensEstimated ? "≈ " : ""}
                {r.inputTokens} / {r.outputTokens}
              </Td>
              <Td>{r.outcome === "ok" ? "Answered" : "Failed"}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} href={href} />
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        ≈ marks token counts the local rules estimated (about four characters a token); Anthropic's are its
        own.
      </p>
    </>
  );
}
