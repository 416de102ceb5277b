/** Page number and search text of a paged list, read from the page's query string. */
export function listQuery(params: URLSearchParams) {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { page: Number.isFinite(page) && page > 0 ? page : 1, search: params.get("q") ?? "" };
}

/** The same list's URL on another page, keeping its filters. */
export function pageHref(params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  next.set("page", String(page));
  return `?${next.toString()}`;
}
