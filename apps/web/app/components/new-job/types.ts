import type { RouterOutputs, Served } from "~/lib/api-types";

/** A draft read from a pasted purchase order (ai.intakePurchaseOrder): it only prefills the form. */
export type PurchaseOrderDraftView = Served<RouterOutputs["ai"]["intakePurchaseOrder"]>;

/** The fields of a submission the server refused, shown again as typed. */
export type SentFields = Record<string, string> | undefined;

/** A field's first value: as sent when the server refused the form, else from the draft. */
export const initialValue = (sent: SentFields) => (name: string, fromDraft?: string | null) =>
  sent ? (sent[name] ?? "") : (fromDraft ?? undefined);
