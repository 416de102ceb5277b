/** The audit search's filters as the page's query string carries them (shared by the page and its CSV). */
export function auditFilters(params: URLSearchParams) {
  const text = (name: string) => params.get(name) ?? "";
  return {
    actor: text("actor"),
    organization: text("organization"),
    object: text("object"),
    action: text("action"),
    from: text("from"),
    to: text("to"),
  };
}

export function auditInput(filters: ReturnType<typeof auditFilters>) {
  return { ...filters, from: filters.from || undefined, to: filters.to || undefined };
}
