import { shop } from "@ktizo/api";
import { publicImage } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * A shop's logo, public (marketplace, quote widget): the shop domain's public read by the logo's id,
 * answered with the one public-image response (`publicImage`). The id is generated per upload, so the
 * response never changes and can be cached for good.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { db, services } = context.runtime;
  const logo = await shop.readShopLogo(db, services.storage, params.logoId ?? "");
  if (!logo) throw new Response("Not found", { status: 404 });
  return publicImage(logo.bytes, logo.contentType);
}
