export { checkReadiness, type Readiness } from "./health.ts";
export {
  createLogger,
  currentRequestId,
  type Logger,
  readableDestination,
  requestIdFor,
  routeLabel,
  withRequestScope,
} from "./log.ts";
export { createMetrics, type Metrics, startMetricsServer } from "./metrics.ts";
