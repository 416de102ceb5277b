import { privacy, ROLE_RANK } from "@ktizo/api";
import type { OrganizationRole } from "@ktizo/db";
import type { AppLoadContext } from "@remix-run/node";

/**
 * The one way a resource route (a route file with a loader or action and no page) answers with a file or
 * refuses: every download is an attachment with the same safe headers (privacy's tested
 * `attachmentHeaders`: never rendered inline, nosniff, private no-store), another shop's or customer's
 * object is a plain 404, and a role the API would refuse is a 403. Request bodies are bounded while they
 * stream by the host (`bodyLimitFor`), before a route reads them. apps/web/test/resource-routes.ts lists
 * every such route with its access case.
 */

export interface DownloadFile {
  contentType: string;
  fileName: string;
  /** Bytes, when known (sent as Content-Length). */
  size: number | null;
}

/** A file download: bytes or a stream, always as an attachment under the (cleaned) file name. */
export function fileDownload(body: Uint8Array | ReadableStream | string, file: DownloadFile): Response {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const size = bytes instanceof Uint8Array ? bytes.byteLength : file.size;
  return new Response(bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes, {
    headers: privacy.attachmentHeaders({ ...file, size }),
  });
}

/**
 * A stored file (job file, shared file, attachment) as a download, streamed from storage; 404 when the
 * storage no longer has it. The caller has checked who may have it.
 */
export async function storedFileDownload(
  context: AppLoadContext,
  row: { storageKey: string; fileName: string; contentType: string },
): Promise<Response> {
  const stored = await context.runtime.services.storage.open(row.storageKey);
  if (!stored) throw new Response("File not found", { status: 404 });
  return fileDownload(stored.body, {
    contentType: row.contentType,
    fileName: row.fileName,
    size: stored.size,
  });
}

/** The codes an API error carries (a DomainError or the tRPC error a procedure call throws). */
function codeOf(error: unknown): string | null {
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
    ? (error as { code: string }).code
    : null;
}

/**
 * Runs a resource route's read. What the API answers NOT_FOUND (another organization's or customer's
 * object, a gone one) or BAD_REQUEST (a malformed id) becomes a 404 Response with `message`; anything
 * else is raised as it is.
 */
export async function orNotFound<T>(read: () => Promise<T>, message = "Not found"): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = codeOf(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") throw new Response(message, { status: 404 });
    throw error;
  }
}

/** Refuses (403) a member below `minRole`, exactly as the API's `orgProcedure(minRole)` would. */
export function requireRole(role: OrganizationRole, minRole: OrganizationRole, what: string): void {
  if (ROLE_RANK[role] < ROLE_RANK[minRole]) {
    throw new Response(
      `Only the shop's ${minRole === "owner" ? "owners" : "owners and admins"} can ${what}.`,
      {
        status: 403,
      },
    );
  }
}
