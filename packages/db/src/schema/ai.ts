import type { ColumnType, Generated, JSONColumnType } from "kysely";

/** One request the AI service made for someone (issue 15, req. 6): kinds of data sent, never content. */
export interface AiRequestLogTable {
  id: string;
  organizationId: string;
  userId: string | null;
  feature: string;
  dataKinds: JSONColumnType<string[], string, string>;
  provider: string;
  model: string;
  inputTokens: Generated<number>;
  outputTokens: Generated<number>;
  /** The local rules estimate their counts (characters / 4); a provider reports its own. */
  tokensEstimated: Generated<boolean>;
  outcome: "ok" | "error";
  errorKind: string | null;
  createdAt: ColumnType<Date, Date | string, never>;
}

/** What became of an AI suggestion shown to someone: accepted (sent, maybe edited) or dismissed. */
export interface AiSuggestionOutcomeTable {
  id: string;
  organizationId: string;
  userId: string | null;
  feature: string;
  subjectType: string;
  subjectId: string;
  outcome: "accepted" | "dismissed";
  edited: Generated<boolean>;
  createdAt: ColumnType<Date, Date | string, never>;
}

export interface AiTables {
  aiRequestLog: AiRequestLogTable;
  aiSuggestionOutcome: AiSuggestionOutcomeTable;
}
