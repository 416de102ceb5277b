import type { SmsService } from "../sms/types.ts";
import type { MailMessage, MailService } from "./types.ts";

/**
 * Every email's links are absolute, built on the configured public URL (BETTER_AUTH_URL). Domain code
 * speaks in paths ("/orders/ord_…"); this is the one place that turns them into links a mail client can
 * open, so no template can send a relative link.
 */

// A path at the start of the text or after a space or an opening bracket/quote: "/orders/x", "(/cart)".
const TEXT_PATH = /(^|[\s(<"'])(\/(?![/\\])[^\s<>"')]+)/g;
// href="/…" or href='/…' in HTML (protocol-relative "//" is left alone: it names another host).
const HTML_HREF = /(\shref\s*=\s*["'])(\/(?![/\\]))/gi;

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, "");
}

/** The absolute URL of a path of the app. */
export function absoluteUrl(publicUrl: string, path: string): string {
  return `${base(publicUrl)}${path.startsWith("/") ? path : `/${path}`}`;
}

/** A plain text with every relative link made absolute (mail text, SMS bodies). */
function absoluteText(text: string, root: string): string {
  return text.replace(TEXT_PATH, (_, before: string, path: string) => `${before}${root}${path}`);
}

/** The message with every relative link in its text and HTML made absolute. */
export function withAbsoluteLinks(message: MailMessage, publicUrl: string): MailMessage {
  const root = base(publicUrl);
  return {
    ...message,
    text: absoluteText(message.text, root),
    ...(message.html === undefined
      ? {}
      : {
          html: message.html.replace(HTML_HREF, (_, attr: string, slash: string) => `${attr}${root}${slash}`),
        }),
  };
}

/** Relative links left in a message (tests scan sent mail with it). */
export function relativeLinks(message: Pick<MailMessage, "text" | "html">): string[] {
  const found = [...message.text.matchAll(TEXT_PATH)].map((m) => m[2] ?? "");
  for (const m of (message.html ?? "").matchAll(/\shref\s*=\s*["'](\/(?![/\\])[^"']*)/gi))
    found.push(m[1] ?? "");
  return found;
}

/** Wraps a mail service so whatever it sends carries absolute links. */
export function absoluteLinkMail(mail: MailService, publicUrl: string): MailService {
  return {
    provider: mail.provider,
    send: (message) => mail.send(withAbsoluteLinks(message, publicUrl)),
  };
}

/** Wraps an SMS service so every text carries absolute links, like the mail (issue 13). */
export function absoluteLinkSms(sms: SmsService, publicUrl: string): SmsService {
  return {
    provider: sms.provider,
    send: (message) => sms.send({ ...message, body: absoluteText(message.body, base(publicUrl)) }),
    verifyWebhook: (request) => sms.verifyWebhook(request),
  };
}
