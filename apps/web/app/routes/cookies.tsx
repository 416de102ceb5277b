import { safeRedirect } from "@ktizo/runtime/remix";
import { consentCookie, readConsent } from "@ktizo/services/consent";
import { type ActionFunctionArgs, json, type MetaFunction, redirect } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Cookies · Ktizo" }];

/** Records the cookie choice (accept or reject, equal weight) and goes back where the visitor was. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const choice = form.get("choice");
  if (choice !== "accepted" && choice !== "rejected")
    return json({ error: "Choose accept or reject." }, { status: 400 });
  const secure = context.runtime.settings.app.NODE_ENV === "production";
  return redirect(safeRedirect(form.get("redirectTo"), "/"), {
    headers: { "Set-Cookie": consentCookie(choice, { secure }) },
  });
}

export async function loader({ request }: { request: Request }) {
  return json({ consent: readConsent(request.headers.get("cookie")) });
}

/** The cookie list (P18) and a way to change the choice at any time. */
export default function Cookies() {
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Cookies</h1>
      <p>Ktizo sets only these cookies:</p>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th className="py-2">Cookie</th>
            <th className="py-2">Why</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="py-2 font-mono">ktizo.session_token</td>
            <td className="py-2">Keeps you signed in (only when you sign in).</td>
          </tr>
          <tr>
            <td className="py-2 font-mono">ktizo.device</td>
            <td className="py-2">
              Remembers that you signed in on this browser before, so you can still sign in while someone
              elsewhere is guessing your password (only when you sign in).
            </td>
          </tr>
          <tr>
            <td className="py-2 font-mono">ktizo-theme</td>
            <td className="py-2">Your light or dark theme (only when you choose one).</td>
          </tr>
          <tr>
            <td className="py-2 font-mono">ktizo_consent</td>
            <td className="py-2">Your answer to the cookie notice.</td>
          </tr>
          <tr>
            <td className="py-2 font-mono">ktizo_upload_session</td>
            <td className="py-2">
              Keeps the models you upload before signing in together, so their quotes open and become yours
              when you sign in (only when you upload without an account; 7 days).
            </td>
          </tr>
        </tbody>
      </table>
      <p>
        On the live site the session, device and theme cookies are named with the <code>__Host-</code> prefix
        (for example <code>__Host-ktizo.session_token</code>): the browser then keeps them to this exact site,
        over HTTPS only.
      </p>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        On Ktizo over HTTPS each name starts with <span className="font-mono">__Host-</span>: the cookie is
        sent only over encrypted connections and only to this exact site.
      </p>
      <p>
        No advertising or third-party tracking cookies. Analytics, if you accept them, set no cookies of their
        own.
      </p>
      <form method="post" className="flex gap-2">
        <input type="hidden" name="redirectTo" value="/cookies" />
        <button
          type="submit"
          name="choice"
          value="rejected"
          className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300"
        >
          Reject analytics
        </button>
        <button
          type="submit"
          name="choice"
          value="accepted"
          className="rounded-md px-3.5 py-2 text-sm font-semibold ring-1 ring-slate-300"
        >
          Accept analytics
        </button>
      </form>
    </div>
  );
}
