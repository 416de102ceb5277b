export { type Clock, fixedClock, systemClock } from "./clock.ts";
export { createOutboxMail } from "./mail/outbox.ts";
export type { MailMessage, MailService } from "./mail/types.ts";

import type { MailService } from "./mail/types.ts";

/** Every outside service the platform uses, each chosen once at start-up (real adapter or local stand-in). */
export interface Services {
  mail: MailService;
}
