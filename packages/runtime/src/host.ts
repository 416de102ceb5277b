import { readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { API_ENDPOINT, handleApiRequest } from "@ktizo/api";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import express from "express";
import { bodyKindFor, bodyLimits } from "./body-limit.ts";
import { claimRemixDevHooks } from "./dev-server-hooks.ts";
import { drainServer, RunningHandlers } from "./drain.ts";
import { tuneServerHeap } from "./heap.ts";
import { sentryOrigin } from "./monitoring.ts";
import { checkReadiness, requestIdFor, routeLabel, withRequestScope } from "./observability/index.ts";
import { crossOriginRefusal } from "./origin-guard.ts";
import { boundedRequestHandler } from "./remix-request.ts";
import { createApiContext } from "./request-context.ts";
import type { Runtime } from "./runtime.ts";
import { createNonce, securityHeaders } from "./security-headers.ts";

export type AppName = "web" | "admin";

export interface AppServer {
  server: Server;
  /**
   * Stops taking requests and waits for the ones in flight (SIGTERM drain): readiness answers 503
   * at once so a balancer moves traffic away, idle keep-alive connections close, busy ones finish, and
   * handlers whose client left run to their end (drain.ts).
   */
  close(): Promise<void>;
}

export interface AppServerOptions {
  name: AppName;
  /** The app's folder (apps/web or apps/admin). */
  root: string;
  port: number;
  host: string;
  runtime: Runtime;
  dev: boolean;
}

/** What Remix loaders and actions receive as `context`. */
export interface KtizoLoadContext {
  runtime: Runtime;
  cspNonce: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends KtizoLoadContext {}
}

/**
 * Serves one Remix app: security headers, the client-IP header, cross-origin writes refused, /healthz,
 * static files, then Remix with every request body bounded while it streams.
 * In development the app runs through Vite's dev server (in this process); in production from its build.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { name, root, port, host, runtime, dev } = options;
  // a web process's heap room between full collections (heap.ts: uploads made V8 collect back to back)
  tuneServerHeap();
  const production = runtime.settings.app.NODE_ENV === "production";
  const ipHeader = runtime.settings.auth.CLIENT_IP_HEADER;
  const proxyHeader = runtime.settings.app.TRUSTED_PROXY_IP_HEADER?.toLowerCase();
  // The browser's error reports go to Sentry's ingest origin, and nowhere else.
  const reportOrigin = sentryOrigin(runtime.browser);
  const connectSources = reportOrigin ? [reportOrigin] : [];
  // Besides its own host, the web app answers on its public URL and the admin console on the origins
  // listed for it (behind a proxy the Host header may be an internal name).
  const trustedOrigins =
    name === "web"
      ? [new URL(runtime.settings.auth.BETTER_AUTH_URL).origin]
      : runtime.settings.auth.AUTH_TRUSTED_ORIGINS;
  const limits = bodyLimits({ maxUploadMb: runtime.settings.app.MARKETPLACE_MAX_UPLOAD_MB });

  const app = express();
  const server = createServer(app);
  app.disable("x-powered-by");
  let draining = false;
  // Every handler, so the drain also waits for those whose client left (drain.ts).
  const handlers = new RunningHandlers();

  // Every line logged while serving a request carries its id; one access line and one latency
  // sample per request, with ids and tokens in the path replaced (routeLabel).
  app.use((req, res, next) => {
    const requestId = requestIdFor(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    // While draining, no connection is kept for another request: clients and balancers reconnect elsewhere.
    if (draining) res.setHeader("connection", "close");
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req.path);
      runtime.metrics.httpDuration.observe(
        { app: name, method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` },
        seconds,
      );
      withRequestScope(requestId, () =>
        runtime.log.info(
          { app: name, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
          "request",
        ),
      );
    });
    withRequestScope(requestId, next);
  });

  app.use((req, res, next) => {
    // Only the host decides the client IP: whatever a client sent in this header is replaced.
    const forwarded = proxyHeader ? req.headers[proxyHeader] : undefined;
    const fromProxy = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    req.headers[ipHeader] = fromProxy || req.socket.remoteAddress || "unknown";
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    res.set(
      securityHeaders({
        nonce,
        production,
        viteDev: dev,
        embeddable: req.path.startsWith("/embed/"),
        connectSources,
      }),
    );
    next();
  });

  app.use((req, res, next) => {
    const refusal = crossOriginRefusal({
      method: req.method,
      path: req.path,
      headers: req.headers,
      trustedOrigins,
    });
    if (!refusal) return next();
    res.status(403).set("cache-control", "no-store").type("text/plain").send(`Refused: ${refusal}.`);
  });

  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  // Liveness: the process runs. Readiness (/healthz): it can serve now (database reachable, not stopping).
  app.get("/livez", (_req, res) => {
    res.set("cache-control", "no-store").json({ ok: true, app: name });
  });
  app.get("/healthz", async (_req, res) => {
    const readiness = await checkReadiness(runtime.db, { draining });
    res
      .status(readiness.ok ? 200 : 503)
      .set("cache-control", "no-store")
      .json({ ...readiness, app: name, databaseKind: runtime.dbKind });
  });

  if (name === "web") {
    // The routers over HTTP, served here rather than through a Remix resource route: Remix's route
    // matching and loader machinery cost more per call than most procedures (the bench:api profile of
    // marketplace.searchShops). Same edges as every request: headers, origin check, bounded body.
    app.all(
      `${API_ENDPOINT}/*`,
      boundedRequestHandler({
        handle: (request) =>
          handlers.track(
            handleApiRequest({
              request,
              createContext: () => createApiContext(runtime, request),
              onInternalError: (cause, procedure) => {
                runtime.log.error({ procedure, err: cause.stack ?? cause.message }, "procedure failed");
                runtime.errors.capture(cause, request);
              },
            }),
          ),
        limitFor: (path) => limits[bodyKindFor(path)],
      }),
    );
  }

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite = async () => {};
  if (dev) {
    const { createServer: createViteServer } = await import("vite");
    const vite = await createViteServer({
      root,
      configFile: join(root, "vite.config.ts"),
      server: { middlewareMode: true, hmr: { server } },
      appType: "custom",
    });
    // Both apps' Vite servers live in this process: route this app's requests to its own Remix dev hooks.
    const withOwnHooks = claimRemixDevHooks(name);
    app.use((_req, _res, next) => withOwnHooks(next));
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => vite.close();
  } else {
    app.use("/assets", express.static(join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
    // The few other public files (favicon…) by name: a static lookup on every page request would cost a
    // file-system stat per page view (seen in the /shops profile).
    const clientDir = join(root, "build/client");
    const publicFiles = new Set(readdirSync(clientDir).filter((name) => name !== "assets"));
    const servePublic = express.static(clientDir, { maxAge: "1h", index: false });
    app.use((req, res, next) => (publicFiles.has(req.path.slice(1)) ? servePublic(req, res, next) : next()));
    build = (await import(join(root, "build/server/index.js"))) as ServerBuild;
  }

  const handleRemix = createRequestHandler(build, production ? "production" : "development");
  app.all(
    "*",
    boundedRequestHandler({
      handle: (request, res) =>
        handlers.track(handleRemix(request, { runtime, cspNonce: res.locals.cspNonce as string })),
      limitFor: (path) => limits[bodyKindFor(path)],
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    close: async () => {
      draining = true;
      await drainServer(server, handlers);
      await closeVite();
    },
  };
}
