/** Longer targets are refused: no page of the apps has a path and query anywhere near this long. */
const MAX_REDIRECT_LENGTH = 2048;
/** Control characters (browsers drop tabs and newlines from URLs, so `/\t/x` becomes `//x`), DEL, C1. */
function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff
    )
      return true;
  }
  return false;
}
const ORIGIN = "http://redirect.invalid";

/** The forms a value may take once percent-decoded (once, twice, ...), so encoded tricks are seen too. */
function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3; i += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break; // a lone `%` is text: nothing further decodes it, neither do we
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

function isSafeForm(form: string): boolean {
  return form.startsWith("/") && !form.startsWith("//") && !form.includes("\\") && !hasControlCharacter(form);
}

/**
 * The one check for every `redirectTo` (sign-in GET and POST in both apps, the cookie page, Google
 * sign-in): only a same-origin relative path is returned, else `fallback`. The value and each of its
 * percent-decoded forms must start with one `/` and hold no backslash or control character,
 * so `//evil`, `/\evil`, `/%09/evil`, `%2F%2Fevil`, `/%5Cevil`, `https://evil`, `javascript:` all fall
 * back. What is returned is the path as the URL parser reads it, so the browser cannot read it otherwise.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_REDIRECT_LENGTH) return fallback;
  // A raw space is no URL a page of ours wrote (they are encoded); decoded spaces are ordinary text.
  if (/\s/.test(to) || !decodedForms(to).every(isSafeForm)) return fallback;
  let url: URL;
  try {
    url = new URL(to, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isSafeForm(path) ? path : fallback;
}
