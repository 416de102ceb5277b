import { DomainError, marketplace } from "@ktizo/api";
import {
  apiFor,
  clientIp,
  modelAnalysis,
  modelUploadDeps,
  receiveFiles,
  UploadTooLargeError,
} from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, json, redirect } from "@remix-run/node";
import { ensureUploadSession, maxUploadBytes } from "~/components/marketplace/server";

/**
 * Model uploads (multipart, one or several files under "file"). The size limit is enforced while the
 * body streams in, each file written once, straight into storage's staging place while it is hashed; the
 * worker pool analyses it from there and an accepted file is committed in place (a refused or broken one
 * is discarded by `cleanup`), so no model sits whole in the web process; every refusal
 * says why. Browsers with
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

  let received: Awaited<ReturnType<typeof receiveFiles>>;
  try {
    received = await receiveFiles(request, {
      field: "file",
      maxBytes,
      storage: context.runtime.services.storage,
      analyze: modelAnalysis(context),
    });
  } catch (e) {
    if (e instanceof UploadTooLargeError)
      return fail(`The file is larger than ${Math.floor(maxBytes / 1048576)} MB`, 413);
    return fail("The upload could not be read; try again");
  }
  const uploads: marketplace.UploadView[] = [];
  try {
    if (received.files.length === 0) return fail("Choose an STL, 3MF or OBJ file");
    const deps = modelUploadDeps(context);
    for (const file of received.files) {
      try {
        uploads.push(
          await marketplace.createModelUpload(context.runtime.db, deps, owner, file, {
            maxBytes,
            now: context.runtime.clock.now(),
          }),
        );
      } catch (e) {
        if (e instanceof DomainError) return fail(e.message);
        throw e;
      }
    }
  } finally {
    await received.cleanup();
  }
  if (wantsJson) return json({ uploads }, { headers });
  return redirect(`/quote/${uploads[0]?.id ?? ""}`, { headers });
}

export function loader() {
  return redirect("/");
}
