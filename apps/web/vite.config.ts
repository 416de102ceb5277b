import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  // Workspace packages are TypeScript source: bundle them. PGlite must stay external (see STACK.md).
  ssr: { noExternal: [/^@ktizo\//], external: ["@electric-sql/pglite"] },
  server: { fs: { allow: ["../.."] } },
  build: { target: "es2022" },
});
