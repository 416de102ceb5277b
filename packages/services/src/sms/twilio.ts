import type { Database } from "@ktizo/db";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { sendRecorded } from "../outbox.ts";
import { smsEntry } from "./outbox.ts";
import { assertValidSms, type SmsMessage, type SmsService } from "./types.ts";

export interface TwilioSmsOptions {
  db: Database;
  accountSid: string;
  authToken: string;
  /** An E.164 sender number or a Messaging Service SID (MG…). */
  from: string;
  /** Replaces https://api.twilio.com (tests: a loopback server). */
  apiBaseUrl?: string;
}

/**
 * Twilio's SDK has no base-URL option (only region/edge, which keep twilio.com), so requests are
 * re-targeted in its pluggable HTTP client: same SDK code, same form fields and auth, other origin.
 */
function retargetedHttpClient(apiBaseUrl: string): twilio.RequestClient {
  const base = new URL(apiBaseUrl);
  class RetargetedClient extends twilio.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = base.protocol;
      uri.host = base.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return new RetargetedClient();
}

/** Real SMS through Twilio (P11); each message is also recorded in the outbox table with its outcome. */
export function createTwilioSms(options: TwilioSmsOptions): SmsService {
  const client = twilio(options.accountSid, options.authToken, {
    ...(options.apiBaseUrl ? { httpClient: retargetedHttpClient(options.apiBaseUrl) } : {}),
  });
  const senderOf = (from: string) => (from.startsWith("MG") ? { messagingServiceSid: from } : { from });
  return {
    provider: "twilio",
    async send(message: SmsMessage) {
      assertValidSms(message);
      return sendRecorded(options.db, "twilio", smsEntry(message), async () => {
        const sent = await client.messages.create({
          to: message.to,
          body: message.body,
          ...senderOf(message.from ?? options.from),
          ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
        });
        return sent.sid;
      });
    },
    verifyWebhook({ signature, url, params }) {
      if (!signature) return false;
      return twilio.validateRequest(options.authToken, signature, url, params);
    },
  };
}

/** The X-Twilio-Signature Twilio would send for a request (tests sign their webhook requests with it). */
export function signTwilioTestRequest(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
