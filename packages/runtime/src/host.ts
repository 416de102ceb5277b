import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { claimRemixDevHooks } from "./dev-server-hooks.ts";
import { sentryOrigin } from "./monitoring.ts";
import type { Runtime } from "./runtime.ts";
import { createNonce, securityHeaders } from "./security-headers.ts";

export type AppName = "web" | "admin";

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
 * Serves one Remix app: security headers, the client-IP header, /healthz, static files, then Remix.
 * In development the app runs through Vite's dev server (in this process); in production from its build.
 */
export async function startAppServer(
  options: AppServerOptions,
): Promise<{ server: Server; close(): Promise<void> }> {
  const { name, root, port, host, runtime, dev } = options;
  const production = runtime.settings.app.NODE_ENV === "production";
  const ipHeader = runtime.settings.auth.CLIENT_IP_HEADER;
  const proxyHeader = runtime.settings.app.TRUSTED_PROXY_IP_HEADER?.toLowerCase();
  // The browser's error reports go to Sentry's ingest origin, and nowhere else.
  const reportOrigin = sentryOrigin(runtime.browser);
  const connectSources = reportOrigin ? [reportOrigin] : [];

  const app = express();
  const server = createServer(app);
  app.disable("x-powered-by");

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

  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, app: name, database: runtime.dbKind });
  });

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
    app.use(express.static(join(root, "build/client"), { maxAge: "1h" }));
    build = (await import(join(root, "build/server/index.js"))) as ServerBuild;
  }

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (_req, res) => ({ runtime, cspNonce: res.locals.cspNonce as string }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    close: async () => {
      await closeVite();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
