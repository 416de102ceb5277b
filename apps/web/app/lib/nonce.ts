import { useRouteLoaderData } from "@remix-run/react";

/**
 * The request's CSP nonce for `<script>` and `<style>` elements the page renders itself. Browsers hide
 * nonce attributes from the DOM, so the client renders "" to match what hydration sees.
 */
export function useCspNonce(): string | undefined {
  const data = useRouteLoaderData<{ nonce?: string }>("root");
  return typeof document === "undefined" ? data?.nonce : "";
}
