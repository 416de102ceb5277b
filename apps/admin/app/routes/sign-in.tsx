import { apiFor, safeRedirect, signInWithPassword } from "@ktizo/runtime/remix";
import { Alert, Button, Card, SignInFields } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Sign in · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session } = await apiFor(request, context);
  if (session) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export function action({ request, context }: ActionFunctionArgs) {
  return signInWithPassword(request, context);
}

export default function SignIn() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold">Ktizo admin console</h1>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
          <SignInFields data={data} params={params} />
          <div className="flex items-center justify-between">
            <span />
            <Button type="submit" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
