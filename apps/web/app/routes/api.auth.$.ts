import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

/** better-auth's HTTP API (sign-in, sign-up, verification links, OAuth callbacks), with its rate limits. */
export function loader({ request, context }: LoaderFunctionArgs) {
  return context.runtime.auth.handler(request);
}

export function action({ request, context }: ActionFunctionArgs) {
  return context.runtime.auth.handler(request);
}
