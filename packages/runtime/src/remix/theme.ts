import { createCookie } from "@remix-run/node";

export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];

/** The preference cookie (P18): readable by the server so the page renders in the right theme, no flash. */
const themeCookie = createCookie("ktizo-theme", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  // biome-ignore lint/style/noProcessEnv: the cookie is made at import, before settings load; NODE_ENV is set by the start scripts
  secure: process.env.NODE_ENV === "production",
  maxAge: 60 * 60 * 24 * 365,
});

export async function readTheme(request: Request): Promise<Theme> {
  const value: unknown = await themeCookie.parse(request.headers.get("cookie"));
  return THEMES.includes(value as Theme) ? (value as Theme) : "system";
}

export function serializeTheme(theme: Theme): Promise<string> {
  return themeCookie.serialize(theme);
}

export function isTheme(value: unknown): value is Theme {
  return THEMES.includes(value as Theme);
}
