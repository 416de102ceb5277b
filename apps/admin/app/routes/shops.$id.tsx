import { formatDateTime, formatMoney } from "@ktizo/api/shared";
import { Alert, actionErrors, Badge, Button, Card, errorCode, PageHeader, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReauthField } from "~/components/reauth-field";
import { requirePlatformAdmin } from "~/lib/admin.server";
import { orderStatusLabel } from "~/lib/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.shop.name ?? "Shop"} · Ktizo admin` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  try {
    const organizationId = params.id ?? "";
    const [shop, reauth, support] = await Promise.all([
      api.admin.shops.get({ organizationId }),
      api.admin.session.reauth(),
      api.admin.support.status({ organizationId }),
    ]);
    // The support view runs in the web app (the shop's own pages), signed in there as this admin.
    const webOrigin = context.runtime.settings.auth.BETTER_AUTH_URL.replace(/\/+$/, "");
    const supportUrl = `${webOrigin}/support/${encodeURIComponent(organizationId)}`;
    return json({ shop, reauth: reauth.required, support: support.grant, supportUrl });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND") throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const organizationId = params.id ?? "";
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "verify" || intent === "unverify") {
      await api.admin.shops.verify({ organizationId, verified: intent === "verify" });
      return json({
        intent,
        message: intent === "verify" ? "The shop is marked verified." : "The verified mark is removed.",
        formError: null,
        fieldErrors: {} as Record<string, string>,
      });
    }
    if (intent === "cancel") {
      await api.admin.shops.cancel({
        organizationId,
        confirmSlug: String(form.get("confirmSlug") ?? ""),
        reason: String(form.get("reason") ?? ""),
        password: String(form.get("password") ?? "") || undefined,
      });
      return json({
        intent,
        message:
          "The shop is cancelled: it takes no new orders and its members have been emailed the reason.",
        formError: null,
        fieldErrors: {} as Record<string, string>,
      });
    }
    const action = intent === "relist" ? "relist" : "unlist";
    await api.admin.shops.moderate({
      organizationId,
      action,
      reason: String(form.get("reason") ?? ""),
      password: String(form.get("password") ?? "") || undefined,
    });
    const message =
      action === "unlist"
        ? "The shop is unlisted and has been emailed the reason."
        : "The shop is listed again and has been told.";
    return json({ intent, message, formError: null, fieldErrors: {} as Record<string, string> });
  } catch (error) {
    return json({ intent, message: null, ...actionErrors(error) }, { status: 400 });
  }
}

export default function ShopPage() {
  const { shop: s, reauth, support, supportUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const held = s.holdReason !== null;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/shops" className="text-brand-700 underline">
          All shops
        </Link>
      </p>
      <PageHeader
        title={s.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {s.slug}
            {held ? (
              <Badge tone="red">Unlisted by the platform</Badge>
            ) : s.listed ? (
              <Badge tone="green">Listed</Badge>
            ) : (
              <Badge>Unlisted</Badge>
            )}
            {s.verified ? <Badge tone="blue">Verified</Badge> : null}
            {s.cancelling ? <Badge tone="amber">Cancelling</Badge> : null}
          </span>
        }
      />
      {result?.message ? <Alert tone="success">{result.message}</Alert> : null}
      {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <h2 className="mb-3 font-semibold">Members</h2>
            <ul className="space-y-1 text-sm">
              {s.members.map((m) => (
                <li key={m.email}>
                  {m.name} <span className="text-slate-600 dark:text-slate-400">({m.email})</span> · {m.role}
                </li>
              ))}
            </ul>
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Printers</h2>
            {s.printers.length === 0 ? (
              <p className="text-sm">None.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {s.printers.map((p) => (
                  <li key={p.name}>
                    {p.name} · {p.technology}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Recent orders</h2>
            {s.orders.length === 0 ? (
              <p className="text-sm">None.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {s.orders.map((o) => (
                  <li key={o.id}>
                    <Link to={`/orders/${o.id}`} className="text-brand-700 underline">
                      #{o.number}
                    </Link>{" "}
                    {orderStatusLabel(o.status)} · {formatMoney(o.totalMinor, o.currency)} ·{" "}
                    {formatDateTime(o.createdAt)}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Reviews</h2>
            {s.reviews.length === 0 ? (
              <p className="text-sm">None.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {s.reviews.map((r, i) => (
                  <li key={`${r.authorName}-${i}`}>
                    {r.rating}/5 · {r.authorName}: {r.body}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Audit</h2>
            <ul className="space-y-1 text-sm">
              {s.audit.map((a, i) => (
                <li key={`${a.action}-${i}`}>
                  <span className="text-slate-600 dark:text-slate-400">{formatDateTime(a.createdAt)}</span>{" "}
                  {a.action}
                  {a.actorName ? ` · ${a.actorName}` : ""}
                </li>
              ))}
            </ul>
            <Link
              to={`/audit?organization=${encodeURIComponent(s.slug)}`}
              className="mt-2 inline-block text-sm text-brand-700 underline"
            >
              Search its whole audit log
            </Link>
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Card>
            <h2 className="mb-3 font-semibold">Support view</h2>
            {support ? (
              <>
                <p className="text-sm">
                  {support.grantedByName} granted read-only access until {formatDateTime(support.expiresAt)}.
                  Every page you open is shown to the shop.
                </p>
                <a href={supportUrl} className="mt-3 inline-block text-sm text-brand-700 underline">
                  Open the workspace read-only
                </a>
              </>
            ) : (
              <p className="text-sm">
                The shop has not granted support access. Its owner can grant it for a limited time from the
                workspace settings.
              </p>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Payouts</h2>
            <p className="text-sm">
              {s.stripeAccountId
                ? `${s.stripeAccountId} · ${s.chargesEnabled ? "takes charges" : "charges not enabled"}`
                : "No Stripe account yet."}
            </p>
            <Form method="post" className="mt-3">
              <Button
                type="submit"
                name="intent"
                value={s.verified ? "unverify" : "verify"}
                variant="secondary"
                className="w-full"
              >
                {s.verified ? "Remove the verified mark" : "Mark verified (reviewed)"}
              </Button>
            </Form>
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">{held ? "Relist" : "Unlist"}</h2>
            {held ? <p className="mb-3 text-sm">Unlisted because: {s.holdReason}</p> : null}
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value={held ? "relist" : "unlist"} />
              <TextField
                label={held ? "Note to the shop" : "Reason (emailed to the shop)"}
                name="reason"
                error={result?.intent === "cancel" ? undefined : result?.fieldErrors.reason}
              />
              {held ? null : (
                <ReauthField
                  required={reauth}
                  error={result?.intent === "cancel" ? undefined : result?.fieldErrors.password}
                />
              )}
              <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                {held
                  ? "The shop appears on the marketplace again and can change its own listing."
                  : "The shop disappears from the marketplace and cannot list itself again until you relist it. Its workspace and orders keep working."}
              </p>
              <Button type="submit" variant={held ? "primary" : "danger"} className="w-full">
                {held ? "Confirm: relist the shop" : "Confirm: unlist the shop"}
              </Button>
            </Form>
          </Card>
          {s.cancelling ? null : (
            <Card>
              <h2 className="mb-3 font-semibold">Cancel the shop</h2>
              <Form method="post" className="space-y-3">
                <input type="hidden" name="intent" value="cancel" />
                <TextField
                  label="Reason (emailed to every member)"
                  name="reason"
                  error={result?.intent === "cancel" ? result.fieldErrors.reason : undefined}
                />
                <TextField
                  label={`Type ${s.slug} to confirm`}
                  name="confirmSlug"
                  autoComplete="off"
                  error={result?.intent === "cancel" ? result.fieldErrors.confirmSlug : undefined}
                />
                <ReauthField
                  required={reauth}
                  error={result?.intent === "cancel" ? result.fieldErrors.password : undefined}
                />
                <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                  The shop stops taking orders now: it leaves the marketplace, its widget is switched off,
                  open quotes expire and carts lose its items. Its workspace and data are deleted permanently
                  after the grace period; its members can export until then, and the owner cannot undo it.
                </p>
                <Button type="submit" variant="danger" className="w-full">
                  Confirm: cancel the shop
                </Button>
              </Form>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}
