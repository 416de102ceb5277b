import { shop } from "@ktizo/api";
import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * A shop's logo, public (marketplace, quote widget). The id is generated per upload, so the response
 * never changes and can be cached for good. The type is the one sniffed from the bytes at upload.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { db, services } = context.runtime;
  const logo = await shop.readShopLogo(db, services.storage, params.logoId ?? "");
  if (!logo) throw new Response("Not found", { status: 404 });
  return new Response(Buffer.from(logo.bytes), {
    headers: {
      "content-type": logo.contentType,
      "content-length": String(logo.bytes.length),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
