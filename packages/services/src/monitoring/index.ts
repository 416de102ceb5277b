export {
  beforeBreadcrumb,
  beforeSend,
  FILTERED,
  isSensitiveName,
  type ScrubbableBreadcrumb,
  type ScrubbableEvent,
  scrubBreadcrumb,
  scrubEvent,
  scrubString,
  scrubValue,
} from "./scrub.ts";
