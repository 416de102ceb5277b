export type AnalyticsValue = string | number | boolean | null;

export interface AnalyticsEvent {
  /** A product event name: "quote_requested", "order_paid", … */
  event: string;
  /** The signed-in user, turned into a pseudonymous id before anything leaves; null for anonymous use. */
  userId: string | null;
  properties?: Record<string, AnalyticsValue>;
  /** The visitor's analytics choice: only `true` sends; denied or not yet asked sends nothing (P14). */
  consent: boolean | null | undefined;
}

export interface AnalyticsService {
  /** "posthog" or "off". */
  readonly provider: "posthog" | "off";
  /** Queues the event if consent was given; returns whether it was queued. Never throws on bad properties. */
  capture(event: AnalyticsEvent): boolean;
  /** Sends what is queued (call before a short-lived process exits). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}
