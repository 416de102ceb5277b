import type { ColumnType } from "kysely";
import type { CreatedAt } from "./foundation.ts";

/** One Google connection per organization; the refresh token only as AES-256-GCM ciphertext. */
export interface GoogleConnectionTable {
  organizationId: string;
  connectedByUserId: string | null;
  /** Space-separated OAuth scopes Google granted. */
  scopes: string;
  refreshTokenCiphertext: string;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ServicesTables {
  googleConnection: GoogleConnectionTable;
}
