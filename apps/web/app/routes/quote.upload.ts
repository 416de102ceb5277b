import { DomainError, marketplace } from "@ktizo/api";
import { apiFor, clientIp } from "@ktizo/runtime/remix";
import {
  type ActionFunctionArgs,
  json,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { ensureUploadSession, maxUploadBytes } from "~/components/marketplace/server";

/**
 * Model uploads (multipart, one or several files under "file"). The size limit is enforced while the
 * body streams in; contents are analysed in the worker pool; every refusal says why. Browsers with
 * scripts get JSON per request (one file per request, for a progress bar each); a plain form post is
 * redirected to the quote page of the first file.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: "Use POST" }, { status: 405 });
  const { session } = await apiFor(request, context);
  const maxBytes = maxUploadBytes(context);
  const headers = new Headers();
  let owner: marketplace.UploadOwner;
  if (session) owner = { userId: session.userId };
  else {
    const anon = await ensureUploadSession(request, context);
    if (anon.setCookie) headers.append("set-cookie", anon.setCookie);
    owner = { userId: null, uploadSessionId: anon.uploadSessionId };
  }
  const wantsJson = request.headers.get("accept")?.includes("application/json") ?? false;
  const fail = (message: string, status = 400) =>
    wantsJson
      ? json({ error: message }, { status, headers })
      : redirect(`/?uploadError=${encodeURIComponent(message)}`, { headers });
  // the client-IP limit is checked before the body is read
  try {
    await marketplace.admitMarketplaceUpload(
      context.runtime.db,
      clientIp(request, context),
      context.runtime.clock.now(),
    );
  } catch (e) {
    if (e instanceof DomainError && e.code === "TOO_MANY_REQUESTS") return fail(e.message, 429);
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
      return fail(`The file is larger than ${Math.floor(maxBytes / 1048576)} MB`, 413);
    return fail("The upload could not be read; try again");
  }
  const files = form.getAll("file").filter((f): f is File => typeof f !== "string" && f.size > 0);
  if (files.length === 0) return fail("Choose an STL, 3MF or OBJ file");
  const uploads: marketplace.UploadView[] = [];
  for (const file of files) {
    try {
      uploads.push(
        await marketplace.createModelUpload(
          context.runtime.db,
          {
            storage: context.runtime.services.storage,
            // In the worker pool, off the event loop (runtime.analyzeModel).
            analyze: (bytes) => context.runtime.analyzeModel(bytes),
          },
          owner,
          { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
          { maxBytes, now: context.runtime.clock.now() },
        ),
      );
    } catch (e) {
      if (e instanceof DomainError) return fail(e.message);
      throw e;
    }
  }
  if (wantsJson) return json({ uploads }, { headers });
  return redirect(`/quote/${uploads[0]?.id ?? ""}`, { headers });
}

export function loader() {
  return redirect("/");
}
