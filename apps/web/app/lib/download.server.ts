import type { AppLoadContext } from "@remix-run/node";

/**
 * A stored file as a download, never rendered inline, under the uploader's (cleaned) name; 404 when
 * the storage no longer has it. The caller has checked who may have it.
 */
export async function storedFileDownload(
  context: AppLoadContext,
  row: { storageKey: string; fileName: string; contentType: string },
): Promise<Response> {
  const stored = await context.runtime.services.storage.get(row.storageKey);
  if (!stored) throw new Response("File not found", { status: 404 });
  const ascii = row.fileName.replace(/[^\w. -]/g, "_");
  return new Response(Buffer.from(stored.bytes), {
    headers: {
      "content-type": row.contentType,
      "content-length": String(stored.bytes.length),
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}
