import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

// Server-side workspace packages stay external: the host process (tsx in development, the compiled dist/ in
// production) loads them once, so the app and the host share one runtime (database, auth, services).
// PGlite must stay external too (STACK.md).
const SERVER_EXTERNAL = /^(@ktizo\/(api|auth|db|quote|runtime|services)|@electric-sql\/pglite)(\/|$)/;

export default defineConfig(({ isSsrBuild }) => ({
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
  ssr: {
    external: ["@ktizo/api", "@ktizo/auth", "@ktizo/db", "@ktizo/quote", "@ktizo/runtime", "@ktizo/services"],
  },
  server: { fs: { allow: ["../.."] } },
  build: {
    target: "es2022",
    rollupOptions: isSsrBuild ? { external: (id: string) => SERVER_EXTERNAL.test(id) } : {},
  },
}));
