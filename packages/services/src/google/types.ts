/**
 * Google for one workspace USER (issue 13): each user connects their own Google account, Gmail is read
 * and sent as that user, and Drive folders of jobs live in the account of the user who creates them.
 *
 * Least privilege, three scopes and no more:
 * - gmail.readonly: list and read threads, attachments and the history cursor (never modify labels or delete);
 * - gmail.send: send replies as the user (gmail.modify is not needed: Ktizo never archives or labels mail);
 * - drive.file: only files and folders Ktizo itself creates, never the rest of the user's Drive.
 */
export const GOOGLE_SCOPES = {
  gmailRead: "https://www.googleapis.com/auth/gmail.readonly",
  gmailSend: "https://www.googleapis.com/auth/gmail.send",
  drive: "https://www.googleapis.com/auth/drive.file",
} as const;
export const GOOGLE_SCOPE_LIST: readonly string[] = Object.values(GOOGLE_SCOPES);

/** What each scope lets Ktizo do, for the page shown before the redirect to Google. */
export const GOOGLE_SCOPE_EXPLANATIONS: ReadonlyArray<{ scope: string; label: string; why: string }> = [
  {
    scope: GOOGLE_SCOPES.gmailRead,
    label: "Read your email",
    why: "to show your inbox in the workspace, read purchase orders sent to you, and copy new messages of threads you link to a job or customer into its conversation",
  },
  {
    scope: GOOGLE_SCOPES.gmailSend,
    label: "Send email as you",
    why: "only when you press Send on a reply in the workspace inbox",
  },
  {
    scope: GOOGLE_SCOPES.drive,
    label: "Files Ktizo creates in your Drive",
    why: "to create a folder per job and upload its files; Ktizo cannot see any other file in your Drive",
  },
];

/** Whose Google account: one per user per organization. */
export interface GoogleAccountRef {
  organizationId: string;
  userId: string;
}

export interface GoogleAccountStatus {
  connected: boolean;
  accountId: string | null;
  email: string | null;
  scopes: string[];
  connectedAt: Date | null;
}

export interface GmailThreadSummary {
  id: string;
  subject: string;
  from: string;
  snippet: string;
  /** ISO instant of the newest message. */
  date: string | null;
  messageCount: number;
  hasAttachments: boolean;
}

export interface GmailAttachmentInfo {
  attachmentId: string;
  filename: string;
  mimeType: string;
  size: number;
}

export interface GmailMessageFull {
  id: string;
  threadId: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  /** ISO instant (Gmail's internalDate). */
  date: string;
  /** The RFC 2822 Message-ID header, for In-Reply-To and References of a reply. */
  messageIdHeader: string | null;
  references: string | null;
  /** The text/plain part (or the HTML part stripped to text). */
  body: string;
  snippet: string;
  attachments: GmailAttachmentInfo[];
}

export interface GmailThreadFull {
  id: string;
  historyId: string | null;
  messages: GmailMessageFull[];
}

export interface GmailOutgoing {
  to: string;
  cc?: string;
  subject: string;
  text: string;
  /** The Gmail thread the reply belongs to. */
  threadId?: string;
  /** Message-ID of the message replied to. */
  inReplyTo?: string | null;
  /** References of the message replied to (its own Message-ID is appended). */
  references?: string | null;
}

export interface DriveFileSummary {
  id: string;
  name: string;
  mimeType: string;
  size: number | null;
  modifiedAt: string | null;
  webLink: string | null;
}

export interface GoogleService {
  /** "google": real OAuth client; "local": the development stand-in (demo inbox, in-memory Drive). */
  readonly provider: "google" | "local";
  /** Google's consent page; `state` must be checked on return (CSRF). The scopes are always GOOGLE_SCOPE_LIST. */
  consentUrl(input: { redirectUri: string; state: string; loginHint?: string | null }): string;
  /** Exchanges the code from the consent redirect; stores the refresh token encrypted, for this user. */
  connect(input: GoogleAccountRef & { code: string; redirectUri: string }): Promise<GoogleAccountStatus>;
  status(ref: GoogleAccountRef): Promise<GoogleAccountStatus>;
  listThreads(
    ref: GoogleAccountRef,
    options?: { max?: number; pageToken?: string | null; query?: string | null },
  ): Promise<{ threads: GmailThreadSummary[]; nextPageToken: string | null }>;
  getThread(ref: GoogleAccountRef, threadId: string): Promise<GmailThreadFull>;
  getAttachment(ref: GoogleAccountRef, messageId: string, attachmentId: string): Promise<Uint8Array>;
  /** Sends as the connected user (From is the account's address); the raw RFC 2822 message is built here. */
  send(ref: GoogleAccountRef, message: GmailOutgoing): Promise<{ id: string; threadId: string }>;
  /** The mailbox's current history id (users.getProfile): the starting cursor of a sync. */
  currentHistoryId(ref: GoogleAccountRef): Promise<string>;
  /**
   * Messages added since `startHistoryId` (users.history.list, all pages, bounded). Throws
   * GmailHistoryExpiredError when Google no longer has that history (404): the caller re-syncs in full.
   */
  history(
    ref: GoogleAccountRef,
    startHistoryId: string,
  ): Promise<{ historyId: string; added: Array<{ id: string; threadId: string }> }>;
  createFolder(
    ref: GoogleAccountRef,
    input: { name: string },
  ): Promise<{ id: string; webLink: string | null }>;
  uploadFile(
    ref: GoogleAccountRef,
    input: { folderId: string; name: string; mimeType: string; bytes: Uint8Array },
  ): Promise<{ id: string; webLink: string | null }>;
  listFolder(
    ref: GoogleAccountRef,
    folderId: string,
    options?: { max?: number },
  ): Promise<DriveFileSummary[]>;
  /**
   * Revokes the grant at Google (best effort) and deletes the account in any case: its token, and by
   * cascade its thread links and cached mail; its Drive folders stop syncing.
   */
  disconnect(ref: GoogleAccountRef): Promise<{ revoked: boolean }>;
}

/** Google is not configured on this installation (no GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET). */
export class GoogleNotConfiguredError extends Error {
  override readonly name = "GoogleNotConfiguredError";
  constructor() {
    super("Google integration is not configured on this installation");
  }
}

/** The user has not connected Google (or disconnected it, or the token no longer works). */
export class GoogleNotConnectedError extends Error {
  override readonly name = "GoogleNotConnectedError";
  constructor() {
    super("Connect your Google account first");
  }
}

/** Gmail no longer keeps the history since the cursor (HTTP 404): re-sync the linked threads in full. */
export class GmailHistoryExpiredError extends Error {
  override readonly name = "GmailHistoryExpiredError";
  constructor() {
    super("Gmail history cursor is too old");
  }
}

/** A thread, message, attachment or folder the account does not have (or another account's). */
export class GoogleItemNotFoundError extends Error {
  override readonly name = "GoogleItemNotFoundError";
  constructor(what: string) {
    super(`${what} not found in this Google account`);
  }
}
