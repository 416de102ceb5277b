import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The Remix server builds keep these external, so production node loads them from their dist/. */
const SERVER_PACKAGES = readdirSync(join(repoRoot, "packages"))
  .filter((name) => name !== "ui")
  .map((name) => `packages/${name}`)
  .concat("apps/widget");

type Exports = Record<string, string | Record<string, string>>;

/**
 * `pnpm start` runs plain node with the `ktizo-compiled` condition: an export without it would send node
 * to a .ts file it cannot run. Every entry must map src/x.ts to the dist/x.js the build writes.
 */
describe("server packages export their compiled build", () => {
  for (const dir of SERVER_PACKAGES) {
    it(`${dir}: every export has a ktizo-compiled entry in dist/ and a build script`, () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as {
        exports: Exports;
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.build).toContain("tooling/scripts/compile-server.mjs");
      for (const [subpath, target] of Object.entries(pkg.exports)) {
        expect(typeof target, `${dir} ${subpath}`).toBe("object");
        const { "ktizo-compiled": compiled, default: source } = target as Record<string, string>;
        expect(source, `${dir} ${subpath}`).toMatch(/^\.\/src\/.+\.tsx?$/);
        expect(compiled, `${dir} ${subpath}`).toBe(
          source!.replace(/^\.\/src\//, "./dist/").replace(/\.tsx?$/, ".js"),
        );
      }
    });
  }
});
