export type GoogleFeature = "gmail" | "drive";

/** Least privilege: read mail (purchase orders arrive by email), and only files Ktizo itself creates in Drive. */
export const GOOGLE_SCOPES: Record<GoogleFeature, string> = {
  gmail: "https://www.googleapis.com/auth/gmail.readonly",
  drive: "https://www.googleapis.com/auth/drive.file",
};

export interface GoogleConnectionStatus {
  connected: boolean;
  scopes: string[];
  connectedAt: Date | null;
}

export interface GmailMessageSummary {
  id: string;
  threadId: string | null;
  subject: string | null;
  from: string | null;
  date: string | null;
  snippet: string | null;
}

export interface GoogleService {
  /** "google" when OAuth client settings are present, else "not-connected". */
  readonly provider: "google" | "not-connected";
  /** The Google consent page for this organization; `state` must be checked on return (CSRF). */
  consentUrl(input: {
    organizationId: string;
    redirectUri: string;
    state: string;
    features: GoogleFeature[];
  }): string;
  /** Exchanges the code from the consent redirect and stores the refresh token, encrypted. */
  connect(input: {
    organizationId: string;
    userId: string;
    code: string;
    redirectUri: string;
  }): Promise<GoogleConnectionStatus>;
  status(organizationId: string): Promise<GoogleConnectionStatus>;
  listRecentMessages(
    organizationId: string,
    options?: { max?: number; query?: string },
  ): Promise<GmailMessageSummary[]>;
  uploadToDrive(
    organizationId: string,
    file: { name: string; mimeType: string; bytes: Uint8Array },
  ): Promise<{ fileId: string }>;
  /** Revokes the grant at Google (best effort) and deletes the stored token in any case. */
  disconnect(input: { organizationId: string; userId: string }): Promise<{ revoked: boolean }>;
}

/** Google is not configured on this installation (no GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET). */
export class GoogleNotConfiguredError extends Error {
  override readonly name = "GoogleNotConfiguredError";
  constructor() {
    super("Google integration is not configured on this installation");
  }
}

/** The organization has not connected Google (or disconnected it). */
export class GoogleNotConnectedError extends Error {
  override readonly name = "GoogleNotConnectedError";
  constructor() {
    super("This organization has not connected Google");
  }
}
