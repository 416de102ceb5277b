import { TECHNOLOGIES } from "@ktizo/api/shared";
import { apiFor } from "@ktizo/runtime/remix";
import { Badge, Button, Card, EmptyState, Pagination, pageHref, SelectField, TextField } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Print shops · Ktizo" }];

const SORTS = ["rating", "leadTime", "name", "newest"] as const;
const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  list.find((x) => x === v);
const num = (v: string | null) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : undefined);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await apiFor(request, context);
  const p = new URL(request.url).searchParams;
  const country = p.get("country")?.trim() ?? "";
  const countryOk = /^[A-Za-z]{2}$/.test(country);
  const page = await api.marketplace.searchShops({
    search: p.get("search") || undefined,
    technology: pick(TECHNOLOGIES, p.get("technology")),
    materialKind: p.get("material") || undefined,
    color: p.get("color") || undefined,
    country: countryOk ? country : undefined,
    maxLeadDays: num(p.get("maxLeadDays")) ? Math.round(num(p.get("maxLeadDays")) ?? 1) : undefined,
    minRating: num(p.get("minRating")) ? Math.min(5, num(p.get("minRating")) ?? 1) : undefined,
    sort: pick(SORTS, p.get("sort")) ?? "rating",
    page: Math.max(1, Number.parseInt(p.get("page") ?? "1", 10) || 1),
    pageSize: 12,
  });
  // A country that is not a two-letter code filters nothing and says so.
  const countryError = country && !countryOk ? "Use a two-letter country code such as US" : null;
  return json({ ...page, countryError });
}

export default function Shops() {
  const page = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Print shops</h1>
      <Form method="get" className="grid gap-3 sm:grid-cols-4" aria-label="Filter shops">
        <TextField label="Search" name="search" defaultValue={params.get("search") ?? ""} />
        <SelectField label="Technology" name="technology" defaultValue={params.get("technology") ?? ""}>
          <option value="">Any</option>
          <option value="fdm">FDM</option>
          <option value="resin">Resin</option>
          <option value="powder">Powder</option>
        </SelectField>
        <TextField
          label="Material"
          name="material"
          placeholder="PLA, PETG…"
          defaultValue={params.get("material") ?? ""}
        />
        <TextField label="Color" name="color" defaultValue={params.get("color") ?? ""} />
        <TextField
          label="Ships to (country code)"
          name="country"
          placeholder="US, DE…"
          maxLength={2}
          defaultValue={params.get("country") ?? ""}
          error={page.countryError ?? undefined}
        />
        <TextField
          label="Ships within (days)"
          name="maxLeadDays"
          type="number"
          min={1}
          defaultValue={params.get("maxLeadDays") ?? ""}
        />
        <TextField
          label="Minimum rating"
          name="minRating"
          type="number"
          min={1}
          max={5}
          step={0.5}
          defaultValue={params.get("minRating") ?? ""}
        />
        <SelectField label="Sort by" name="sort" defaultValue={params.get("sort") ?? "rating"}>
          <option value="rating">Rating</option>
          <option value="leadTime">Lead time</option>
          <option value="name">Name</option>
          <option value="newest">Newest</option>
        </SelectField>
        <Button type="submit" className="sm:col-span-4 sm:justify-self-start">
          Search
        </Button>
      </Form>
      {page.items.length === 0 ? <EmptyState title="No shop matches these filters" /> : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Shops">
        {page.items.map((s) => (
          <li key={s.slug}>
            <Card>
              <h2 className="text-lg font-semibold">
                <Link to={`/shops/${s.slug}`} className="hover:underline">
                  {s.name}
                </Link>
                {s.verified ? (
                  <span className="ml-2 align-middle">
                    <Badge tone="blue">Verified by Ktizo</Badge>
                  </span>
                ) : null}
              </h2>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {s.city ? `${s.city}, ` : ""}
                {s.country} · {s.standardLeadDays} days
                {s.rating !== null ? ` · ★ ${s.rating.toFixed(1)} (${s.reviewCount})` : " · no reviews yet"}
              </p>
              <p className="mt-2 line-clamp-2 text-sm">{s.description}</p>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                Ships to {s.shipsTo.join(", ")}
              </p>
              <div className="mt-2 flex flex-wrap gap-1">
                {s.technologies.map((t) => (
                  <Badge key={t} tone="blue">
                    {t.toUpperCase()}
                  </Badge>
                ))}
                {s.materialKinds.map((m) => (
                  <Badge key={m}>{m}</Badge>
                ))}
              </div>
            </Card>
          </li>
        ))}
      </ul>
      <Pagination
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        href={(n) => pageHref(params, n)}
      />
    </div>
  );
}
