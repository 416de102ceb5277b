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
  /**
   * The real name for a page's own script (the 3D viewer reads the format from its extension) as
   * `X-File-Name`, when `fileName` is a neutral one; the browser still saves nothing by itself.
   */
  exposedName?: string;
}

/** A file download: bytes or a stream, always as an attachment under the (cleaned) file name. */
export function fileDownload(body: Uint8Array | ReadableStream | string, file: DownloadFile): Response {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const size = bytes instanceof Uint8Array ? bytes.byteLength : file.size;
  const headers = privacy.attachmentHeaders({ ...file, size });
  if (file.exposedName !== undefined) headers.set("X-File-Name", encodeURIComponent(file.exposedName));
  return new Response(bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes, { headers });
}

/**
 * A public image shown by other pages (a shop's logo): the one download that is not an attachment. Its
 * type is the one sniffed from the bytes when it was stored; nosniff and a sandboxing CSP keep it an
 * image; `immutable` because its id changes with every upload.
 */
export function publicImage(bytes: Uint8Array, contentType: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(bytes.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}

/**
 * A stored file (job file, shared file, attachment) as a download, streamed from storage; 404 when the
 * storage no longer has it. The caller has checked who may have it.
 */
export async function storedFileDownload(
  context: AppLoadContext,
  row: { storageKey: string; fileName: string; contentType: string; exposedName?: string },
): Promise<Response> {
  const stored = await context.runtime.services.storage.open(row.storageKey);
  if (!stored) throw new Response("File not found", { status: 404 });
  return fileDownload(stored.body, {
    contentType: row.contentType,
    fileName: row.fileName,
    size: stored.size,
    ...(row.exposedName === undefined ? {} : { exposedName: row.exposedName }),
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

/**
 * For a route's write whose other errors become a message on its page: the API's refusals stay
 * refusals, NOT_FOUND as a plain 404 (with `message`) and FORBIDDEN as a 403. Returns for anything else.
 */
export function throwIfRefused(error: unknown, message = "Not found"): void {
  const code = codeOf(error);
  if (code === "NOT_FOUND") throw new Response(message, { status: 404 });
  if (code === "FORBIDDEN") {
    throw new Response(error instanceof Error ? error.message : "Forbidden", { status: 403 });
  }
}

/** The signed-in member of the active organization, as `requireOrg` of the apps returns them. */
export interface SignedInMember {
  organization: { id: string; role: OrganizationRole };
  session: { userId: string };
}

/**
 * The actor a resource route passes to a domain entry point: the member's organization (from the
 * session, never from input) and user, after refusing (403) a member below `minRole` the way the API's
 * `orgProcedure(minRole)` does; before the route reads a body.
 */
export function memberActor(
  member: SignedInMember,
  minRole: OrganizationRole,
  what: string,
): { organizationId: string; actorUserId: string } {
  requireRole(member.organization.role, minRole, what);
  return { organizationId: member.organization.id, actorUserId: member.session.userId };
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
