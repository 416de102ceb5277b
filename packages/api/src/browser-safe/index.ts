/**
 * `@ktizo/api/shared`: the browser-safe part of the API. Everything here runs in the browser as well as
 * on the server, so it imports nothing from the server (no database, no services, no Node built-ins).
 * Screens, emails and exports take their money, time and labels from here, so there is one way of each.
 */
export {
  JOB_STATUSES,
  type JobStatus,
  STATUS_LABELS,
  TECHNOLOGIES,
  type Technology,
} from "./job-status.ts";
export { shopLocale } from "./locale.ts";
export {
  convertMinor,
  currencyDigits,
  currencyForLocale,
  formatMoney,
  type MoneyParse,
  minorToDecimal,
  moneyInputValue,
  parseMoney,
  parseRate,
  rateInputValue,
  readMoney,
  readRate,
} from "./money.ts";
export { ORDER_STATUSES, type OrderStatusName } from "./order-status.ts";
export {
  type EffectivePlanKey,
  isPlanKey,
  PLAN_GRACE_DAYS,
  PLAN_KEYS,
  PLAN_TRIAL_DAYS,
  PLANS,
  type Plan,
  type PlanKey,
  type PlanLimits,
} from "./plans.ts";
export {
  dateInputValue,
  dateTimeInputValue,
  formatDate,
  formatDateTime,
  isTimeZone,
  type WallTime,
  wallTime,
  type ZoneFormat,
  zonedTimeToUtc,
  zoneOffsetMs,
} from "./time.ts";
