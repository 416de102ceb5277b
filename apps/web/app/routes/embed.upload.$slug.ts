import { DomainError, marketplace } from "@ktizo/api";
import { clientIp } from "@ktizo/runtime/remix";
import {
  type ActionFunctionArgs,
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
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
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }),
    );
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError)
      return json(
        { error: `The file is larger than ${Math.floor(maxBytes / 1048576)} MB` },
        { status: 413, headers },
      );
    return json({ error: "The upload could not be read; try again" }, { status: 400, headers });
  }
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0)
    return json({ error: "Choose an STL, 3MF or OBJ file" }, { status: 400, headers });
  const given = form.get("session");
  const session = marketplace.uploadSessionIdSchema.safeParse(given);
  const uploadSessionId = session.success ? session.data : marketplace.newEmbedSession();
  try {
    const upload = await marketplace.storeEmbedUpload(
      db,
      {
        storage: context.runtime.services.storage,
        // In the worker pool, off the event loop (runtime.analyzeModel).
        analyze: (bytes) => context.runtime.analyzeModel(bytes),
      },
      uploadSessionId,
      { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      { maxBytes, now: context.runtime.clock.now() },
    );
    return json({ upload, uploadSessionId }, { headers });
  } catch (e) {
    if (e instanceof DomainError)
      return json({ error: e.message }, { status: STATUS[e.code] ?? 400, headers });
    throw e;
  }
}

export function loader() {
  return json({ error: "Use POST" }, { status: 405 });
}
