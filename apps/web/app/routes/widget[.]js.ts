import { loaderScript } from "@ktizo/widget/serve";

/** GET /widget.js: the embeddable quote widget's loader, cacheable by any site that includes it. */
export async function loader({ request }: { request: Request }) {
  const { code, etag } = await loaderScript();
  const headers = {
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": "public, max-age=3600, stale-while-revalidate=86400",
    "Cross-Origin-Resource-Policy": "cross-origin",
    ETag: etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(code, { headers });
}
