import { mkdirSync, writeFileSync } from "node:fs";
import { buildLoader } from "./src/build.ts";

// `pnpm --filter @ktizo/widget build`: writes dist/widget.js, which the web app serves at /widget.js.
const { code, gzipBytes } = await buildLoader();
mkdirSync(new URL("./dist", import.meta.url), { recursive: true });
writeFileSync(new URL("./dist/widget.js", import.meta.url), code);
console.log(`widget.js: ${code.length} bytes, ${gzipBytes} bytes gzipped`);
