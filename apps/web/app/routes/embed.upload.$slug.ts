import { DomainError, marketplace } from "@ktizo/api";
import { clientIp, modelUploadDeps, receiveFiles, UploadTooLargeError } from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { maxUploadBytes } from "~/components/marketplace/server";

const STATUS: Partial<Record<DomainError["code"], number>> = {
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
};

/**
 * A model uploaded through a shop's widget (multipart: "file", and "session", the guest's in-memory
 * upload-session id; a new one is made on the first upload). No cookie: the page lives in another site's
 * frame. The size limit is enforced while the body streams in; the file is checked and analysed as the
 * marketplace's uploads are; uploads are rate limited per shop and client IP. Always JSON.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const headers = { "cache-control": "no-store" };
  if (request.method !== "POST") return json({ error: "Use POST" }, { status: 405, headers });
  const maxBytes = maxUploadBytes(context);
  const { db } = context.runtime;
  // The widget must be on and the shop-and-IP limit not reached before the body is read.
  try {
    await marketplace.admitEmbedUpload(
      db,
      { slug: params.slug ?? "", clientIp: clientIp(request, context) },
      context.runtime.clock.now(),
    );
  } catch (e) {
    if (e instanceof DomainError)
      return json({ error: e.message }, { status: STATUS[e.code] ?? 400, headers });
    throw e;
  }
  let received: Awaited<ReturnType<typeof receiveFiles>>;
  try {
    received = await receiveFiles(request, {
      field: "file",
      maxBytes,
      storage: context.runtime.services.storage,
    });
  } catch (e) {
    if (e instanceof UploadTooLargeError)
      return json(
        { error: `The file is larger than ${Math.floor(maxBytes / 1048576)} MB` },
        { status: 413, headers },
      );
    return json({ error: "The upload could not be read; try again" }, { status: 400, headers });
  }
  try {
    const file = received.files[0];
    if (!file) return json({ error: "Choose an STL, 3MF or OBJ file" }, { status: 400, headers });
    const given = received.fields.get("session");
    const session = marketplace.uploadSessionIdSchema.safeParse(given);
    const uploadSessionId = session.success ? session.data : marketplace.newEmbedSession();
    const upload = await marketplace.storeEmbedUpload(db, modelUploadDeps(context), uploadSessionId, file, {
      maxBytes,
      now: context.runtime.clock.now(),
    });
    return json({ upload, uploadSessionId }, { headers });
  } catch (e) {
    if (e instanceof DomainError)
      return json({ error: e.message }, { status: STATUS[e.code] ?? 400, headers });
    throw e;
  } finally {
    await received.cleanup();
  }
}

export function loader() {
  return json({ error: "Use POST" }, { status: 405 });
}
