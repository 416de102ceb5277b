// Pure scrubbing of error reports (P15): no Sentry import, so it is testable and usable from any runtime.
// The web app passes `beforeSend` / `beforeBreadcrumb` to Sentry.init.

export const FILTERED = "[Filtered]";
const MAX_DEPTH = 12;

/** Headers that carry credentials or identify the client; dropped whole. */
const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "stripe-signature",
  "x-twilio-signature",
  "x-uploadthing-api-key",
  "x-csrf-token",
  "x-xsrf-token",
  "x-forwarded-for",
  "x-real-ip",
  "cf-connecting-ip",
  "forwarded",
]);

/** Words that make a field sensitive wherever they appear in its name (camelCase, snake_case, kebab-case). */
const SENSITIVE_WORDS = new Set([
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "keys",
  "otp",
  "pin",
  "card",
  "cards",
  "cvc",
  "cvv",
  "pan",
  "iban",
  "bic",
  "email",
  "emails",
  "phone",
  "mobile",
  "address",
  "addresses",
  "addr",
  "auth",
  "authorization",
  "cookie",
  "cookies",
  "credential",
  "credentials",
  "signature",
  "name",
  "names",
  "surname",
  "fullname",
  "firstname",
  "lastname",
  "username",
  "nickname",
  "ssn",
  "ip",
  "bearer",
]);
/** The same words glued into one ("apikey", "accesstoken", "emailaddress"). */
const SENSITIVE_FRAGMENTS = [
  "password",
  "passwd",
  "secret",
  "token",
  "apikey",
  "email",
  "cookie",
  "credential",
  "iban",
  "authorization",
  "ipaddress",
  "phonenumber",
  "cardnumber",
];

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when a field's name says it holds a secret or personal data. */
export function isSensitiveName(name: string): boolean {
  if (CREDENTIAL_HEADERS.has(name.toLowerCase())) return true;
  if (nameWords(name).some((word) => SENSITIVE_WORDS.has(word))) return true;
  const glued = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SENSITIVE_FRAGMENTS.some((fragment) => glued.includes(fragment));
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/\s+/g, "").toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

interface ValuePattern {
  pattern: RegExp;
  /** Extra check on a match; false keeps the text. */
  accept?: (match: string) => boolean;
  /** What replaces the match (default FILTERED). */
  replace?: (match: string, ...groups: string[]) => string;
}

/** Secrets and personal data recognised by their shape, in the order they are applied. */
const VALUE_PATTERNS: ValuePattern[] = [
  // `password=…` and friends in query strings and log lines: keep the name, drop the value.
  {
    pattern:
      /\b(password|passwd|pwd|secret|token|access_token|refresh_token|api_key|apikey|key|otp|code)=([^&\s"']+)/gi,
    replace: (_m, name) => `${name}=${FILTERED}`,
  },
  // Any other query parameter whose name says it is sensitive (`email=`, `phone=`, `customer_name=`).
  {
    pattern: /([?&;])([A-Za-z0-9_.[\]%-]+)=([^&#\s"']*)/g,
    replace: (match, sep, name) => (isSensitiveName(safeDecode(name)) ? `${sep}${name}=${FILTERED}` : match),
  },
  { pattern: /\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi },
  { pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g },
  { pattern: /\bwhsec_[A-Za-z0-9+/=]{8,}/g },
  { pattern: /\bpk_live_[A-Za-z0-9]{8,}/g },
  { pattern: /\bsk-ant-[A-Za-z0-9_-]{10,}/g },
  { pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g },
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // The same, percent-encoded (in URLs and form bodies).
  { pattern: /[A-Za-z0-9._%+-]+%40[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi },
  { pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, accept: ibanValid },
  {
    pattern: /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g,
    accept: (match) => luhnValid(match.replace(/\D/g, "")),
  },
  // Phone numbers: E.164 and international with separators, then common national formats.
  { pattern: /\+[1-9](?:[ .-]?\(?\d\)?){6,14}(?!\d)/g },
  { pattern: /(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])/g },
  { pattern: /(?<![\w-])0\d{2,4}[ /-]\d{3,4}[ -]?\d{3,4}(?![\w-])/g },
];

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces every secret-looking or personal substring of a text. */
export function scrubString(text: string): string {
  let out = text;
  for (const { pattern, accept, replace } of VALUE_PATTERNS) {
    out = out.replace(pattern, (match: string, ...rest: unknown[]) => {
      if (accept && !accept(match)) return match;
      if (replace) return replace(match, ...rest.filter((r): r is string => typeof r === "string"));
      return FILTERED;
    });
  }
  return out;
}

function scrubNumber(value: number): number | string {
  if (Number.isInteger(value) && value > 0) {
    const digits = String(value);
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return FILTERED;
  }
  return value;
}

/** Scrubs any JSON-like value: sensitive names dropped to FILTERED, strings cleaned, depth bounded, cycles cut. */
export function scrubValue(value: unknown, depth = 0, ancestors: WeakSet<object> = new WeakSet()): unknown {
  return scrubKeeping(value, depth, ancestors, NO_KEYS);
}

const NO_KEYS: ReadonlySet<string> = new Set();
/** The SDK's own description of itself and of the runtime, OS and browser: its `name` fields are not people. */
const DESCRIPTIVE_NAME: ReadonlySet<string> = new Set(["name"]);
const SDK_CONTEXTS = new Set(["os", "client_os", "runtime", "browser", "device", "app", "culture", "trace"]);

/** scrubValue, except that the field names in `keep` are not treated as sensitive (values are still cleaned). */
function scrubKeeping(
  value: unknown,
  depth: number,
  ancestors: WeakSet<object>,
  keep: ReadonlySet<string>,
): unknown {
  if (typeof value === "string") return scrubString(value);
  if (typeof value === "number") return scrubNumber(value);
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrubKeeping(item, depth + 1, ancestors, keep));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        isSensitiveName(key) && !keep.has(key) ? FILTERED : scrubKeeping(item, depth + 1, ancestors, keep);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** `contexts`: the SDK's standard ones keep their `name` (e.g. "Chrome", "node"); custom ones do not. */
function scrubContexts(contexts: unknown): unknown {
  if (!isRecord(contexts)) return scrubValue(contexts, 1);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(contexts)) {
    out[key] = SDK_CONTEXTS.has(key)
      ? scrubKeeping(item, 2, new WeakSet(), DESCRIPTIVE_NAME)
      : scrubValue(item, 2);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scrubHeaders(headers: unknown): Record<string, unknown> | undefined {
  if (!isRecord(headers)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (isSensitiveName(name)) continue;
    out[name] = scrubValue(value, 1);
  }
  return out;
}

/** Query strings come as a string, an object, or [name, value] pairs; pairs are judged by their name. */
function scrubQuery(query: unknown): unknown {
  if (Array.isArray(query)) {
    return query.map((pair) =>
      Array.isArray(pair) && typeof pair[0] === "string"
        ? [pair[0], isSensitiveName(pair[0]) ? FILTERED : scrubValue(pair[1], 2)]
        : scrubValue(pair, 2),
    );
  }
  return scrubValue(query, 1);
}

/** The parts of a Sentry event this module knows about; anything else is scrubbed generically. */
export interface ScrubbableEvent {
  request?: {
    url?: string;
    method?: string;
    headers?: Record<string, string>;
    cookies?: unknown;
    data?: unknown;
    query_string?: unknown;
    env?: unknown;
    [key: string]: unknown;
  };
  user?: { id?: string | number; [key: string]: unknown };
  sdk?: unknown;
  contexts?: unknown;
  [key: string]: unknown;
}

/**
 * Returns a scrubbed copy of a Sentry event: no cookies, credential headers, request bodies, client IPs,
 * user details beyond the id, secret-named fields or secret-looking values anywhere.
 */
export function scrubEvent<T extends ScrubbableEvent>(event: T): T {
  const { request, user, sdk, contexts, ...rest } = event;
  const out = scrubValue(rest) as Record<string, unknown>;
  if (sdk !== undefined) out.sdk = scrubKeeping(sdk, 1, new WeakSet(), DESCRIPTIVE_NAME);
  if (contexts !== undefined) out.contexts = scrubContexts(contexts);
  if (request) {
    const { headers, cookies: _cookies, data: _data, env: _env, query_string, ...others } = request;
    const cleaned = scrubValue(others) as Record<string, unknown>;
    if (query_string !== undefined) cleaned.query_string = scrubQuery(query_string);
    const cleanHeaders = scrubHeaders(headers);
    out.request = cleanHeaders ? { ...cleaned, headers: cleanHeaders } : cleaned;
  }
  if (user && user.id !== undefined) out.user = { id: user.id };
  return out as T;
}

export interface ScrubbableBreadcrumb {
  message?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Returns a scrubbed copy of a breadcrumb (console messages, fetch/xhr data, navigation URLs). */
export function scrubBreadcrumb<T extends ScrubbableBreadcrumb>(breadcrumb: T): T {
  const out = scrubValue(breadcrumb) as Record<string, unknown>;
  if (isRecord(out.data)) {
    // Fetch/xhr breadcrumbs may carry bodies under these names; never keep them.
    for (const name of ["body", "request_body", "response_body", "requestBody", "responseBody"])
      delete out.data[name];
  }
  return out as T;
}

/** For `Sentry.init({ beforeSend })`. */
export function beforeSend<T extends ScrubbableEvent>(event: T): T {
  return scrubEvent(event);
}

/** For `Sentry.init({ beforeBreadcrumb })`. */
export function beforeBreadcrumb<T extends ScrubbableBreadcrumb>(breadcrumb: T): T {
  return scrubBreadcrumb(breadcrumb);
}
