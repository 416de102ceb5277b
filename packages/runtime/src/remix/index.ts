// Brings the AppLoadContext type (runtime, cspNonce) into every app that uses these helpers.
import type {} from "../host.ts";

/** Server helpers shared by the Remix apps (web and admin): one way to reach the API, auth and cookies. */
export { apiFor, requireSession } from "./api.ts";
export { authMessage, callAuth, clientIp, withCookies } from "./auth.ts";
export { default as handleRequest, handleError } from "./entry-server.ts";
export {
  type ModelAnalysisStream,
  modelAnalysis,
  modelUploadDeps,
  type ReceivedFile,
  readReceivedFile,
  receiveFiles,
  UploadTooLargeError,
} from "./model-uploads.ts";
export { safeRedirect } from "./redirect.ts";
export {
  type DownloadFile,
  fileDownload,
  memberActor,
  orNotFound,
  publicImage,
  requireRole,
  type SignedInMember,
  storedFileDownload,
  throwIfRefused,
} from "./resources.ts";
export { redirectHome, signOutAction, themeAction } from "./routes.ts";
export { privacyCenterIfDeleting, sendSignInLink, signInWithPassword } from "./sign-in.ts";
export { isTheme, readTheme, serializeTheme, THEMES, type Theme } from "./theme.ts";
