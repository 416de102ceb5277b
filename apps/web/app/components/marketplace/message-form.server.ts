import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/** Reads the message form (multipart, attachment at most 10 MB while streaming) into the procedure input. */
export async function readMessageForm(request: Request, orderId: string) {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: 10 * 1024 * 1024 }),
    );
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { error: "Attachments are at most 10 MB" } as const;
    throw e;
  }
  const file = form.get("attachment");
  const attachment =
    file && typeof file !== "string" && file.size > 0
      ? {
          fileName: file.name || "attachment",
          contentType: file.type || "application/octet-stream",
          base64: Buffer.from(await file.arrayBuffer()).toString("base64"),
        }
      : undefined;
  return { form, input: { orderId, body: String(form.get("body") ?? ""), attachment } } as const;
}
