export { appsNotBuiltReason, startTestHost, type TestHost } from "./test-host.ts";
