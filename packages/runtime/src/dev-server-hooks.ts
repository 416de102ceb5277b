import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Remix's Vite plugin hands the request handler its dev hooks (critical CSS, stack-trace fixing)
 * through ONE process-global slot (`globalThis.__remix_devServerHooks`, set in `configureServer`).
 * With the web app and the admin console each on its own Vite dev server in this process, the second
 * server overwrote the first's hooks, so web requests asked the admin's route manifest for their CSS
 * and every web-only route answered 500. Here each dev server's hooks are captured as it is created,
 * and the global slot holds a dispatcher that calls the hooks of the app serving the current request.
 */
const GLOBAL_KEY = "__remix_devServerHooks";

type DevServerHooks = Record<string, ((...args: never[]) => unknown) | undefined>;
const slot = globalThis as unknown as Record<string, DevServerHooks | undefined>;
const current = new AsyncLocalStorage<DevServerHooks>();
let dispatcher: DevServerHooks | undefined;

function installDispatcher(): DevServerHooks {
  dispatcher ??= new Proxy({} as DevServerHooks, {
    get(_target, name) {
      if (typeof name !== "string") return undefined;
      const hook = current.getStore()?.[name];
      return hook ? (...args: never[]) => hook(...args) : undefined;
    },
  });
  slot[GLOBAL_KEY] = dispatcher;
  return dispatcher;
}

/**
 * Call right after one app's Vite dev server was created: takes the hooks its Remix plugin just
 * registered and returns a middleware wrapper that makes them the current hooks for that app's requests.
 */
export function claimRemixDevHooks(appName: string): <T>(run: () => T) => T {
  const hooks = slot[GLOBAL_KEY];
  if (!hooks || hooks === dispatcher) {
    throw new Error(`the Remix Vite plugin of ${appName} registered no dev server hooks`);
  }
  installDispatcher();
  return (run) => current.run(hooks, run);
}
