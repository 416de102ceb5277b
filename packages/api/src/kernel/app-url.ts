/**
 * An absolute link for emails. Domain functions only know paths ("/invitations/inv_…"); the public
 * origin is the one better-auth already uses for its own email links (BETTER_AUTH_URL), so every
 * email points at the same host. Falls back to the dev server so `pnpm dev` needs no setting.
 */
// biome-ignore lint/style/noProcessEnv: the runtime publishes the validated BETTER_AUTH_URL here until ApiContext carries the base URL (runtime.ts TODO)
export function appUrl(path: string, env: Record<string, string | undefined> = process.env): string {
  const base = (env.BETTER_AUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}
