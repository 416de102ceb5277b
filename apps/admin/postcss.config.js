import { fileURLToPath } from "node:url";

// Paths are resolved from this folder, not from the process's working directory (the host runs at the repo root).
export default {
  plugins: {
    tailwindcss: { config: fileURLToPath(new URL("./tailwind.config.ts", import.meta.url)) },
    autoprefixer: {},
  },
};
