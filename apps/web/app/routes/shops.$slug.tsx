import { apiFor } from "@ktizo/runtime/remix";
import { Badge, Card, Section } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.shop.name ?? "Shop"} · Ktizo` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await apiFor(request, context);
  try {
    return json(await api.marketplace.shopPage({ slug: params.slug ?? "" }));
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND")
      throw new Response("Shop not found", { status: 404 });
    throw e;
  }
}

const stars = (n: number) => "★".repeat(Math.round(n)) + "☆".repeat(5 - Math.round(n));

export default function ShopPage() {
  const { shop, rating, reviewCount, reviews, verified } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{shop.name}</h1>
        {verified ? (
          <p className="mt-1">
            <Badge tone="blue">Verified by Ktizo</Badge>{" "}
            <span className="text-sm text-slate-600 dark:text-slate-400">
              Payments checked and the shop reviewed by the Ktizo team.
            </span>
          </p>
        ) : null}
        <p className="text-slate-600 dark:text-slate-400">
          {shop.city ? `${shop.city}, ` : ""}
          {shop.country} · ships in {shop.standardLeadDays} days
          {shop.rushLeadDays !== null ? ` (rush: ${shop.rushLeadDays})` : ""} ·{" "}
          {rating !== null
            ? `${stars(rating)} ${rating.toFixed(1)} from ${reviewCount} reviews`
            : "no reviews yet"}
        </p>
        <p className="mt-3 max-w-3xl">{shop.description}</p>
        <p className="mt-2 text-sm" data-testid="ships-to">
          Ships to: {shop.shipsTo.join(", ")}
        </p>
        <p className="mt-3">
          <Link to="/" className="font-semibold text-brand-600 hover:underline">
            Upload a model for an instant quote
          </Link>
        </p>
      </div>
      <Section id="materials" title="Materials">
        <ul className="grid gap-2 sm:grid-cols-2">
          {shop.materials.map((m) => (
            <li key={m.id}>
              <Card>
                <p className="font-medium">
                  {m.name} <Badge tone="blue">{m.technology.toUpperCase()}</Badge>{" "}
                  {m.inStock ? (
                    <Badge tone="green">In stock</Badge>
                  ) : (
                    <Badge tone="amber">Out of stock</Badge>
                  )}
                </p>
                <p className="text-sm text-slate-600">Colors: {m.colors.join(", ") || "—"}</p>
              </Card>
            </li>
          ))}
        </ul>
      </Section>
      <Section id="printers" title="Printers">
        <ul className="grid gap-2 sm:grid-cols-2">
          {shop.printers.map((p) => (
            <li key={p.id}>
              <Card>
                <p className="font-medium">
                  {p.name} <Badge tone="blue">{p.technology.toUpperCase()}</Badge>
                </p>
                <p className="text-sm text-slate-600">
                  Build volume {p.buildVolumeMm.x} × {p.buildVolumeMm.y} × {p.buildVolumeMm.z} mm
                  {p.layerHeightsMm.length ? ` · layers ${p.layerHeightsMm.join(", ")} mm` : ""}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      </Section>
      <Section id="reviews" title="Reviews">
        {reviews.length === 0 ? <p className="text-sm">No reviews yet.</p> : null}
        <ul className="space-y-3" aria-label="Reviews">
          {reviews.map((r) => (
            <li key={r.id}>
              <p>
                <span aria-hidden="true">{stars(r.rating)}</span>
                <span className="sr-only">{`${r.rating} out of 5 stars`}</span>{" "}
                <strong>{r.authorName}</strong>
              </p>
              {r.body ? <p className="text-sm">{r.body}</p> : null}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
