import { GoogleNotConfiguredError, GoogleNotConnectedError, type GoogleService } from "./types.ts";

/** Google not configured: nothing is connected and nothing can be. */
export function createNotConnectedGoogle(): GoogleService {
  return {
    provider: "not-connected",
    consentUrl: () => {
      throw new GoogleNotConfiguredError();
    },
    connect: async () => {
      throw new GoogleNotConfiguredError();
    },
    status: async () => ({ connected: false, scopes: [], connectedAt: null }),
    listRecentMessages: async () => {
      throw new GoogleNotConnectedError();
    },
    uploadToDrive: async () => {
      throw new GoogleNotConnectedError();
    },
    disconnect: async () => ({ revoked: false }),
  };
}
