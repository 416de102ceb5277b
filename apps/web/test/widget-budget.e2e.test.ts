import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";

/**
 * Requirement 5: the widget's page ships at most 150 KB of gzipped JavaScript before the 3D viewer.
 * Reads the built app's Remix manifest: the scripts a first visit to /embed/quote/<shop> loads are the
 * manifest itself, the client entry, the root route and the embed route, each with its static imports.
 */
const BUDGET_BYTES = 150 * 1024;
const client = fileURLToPath(new URL("../build/client", import.meta.url));

interface ManifestEntry {
  module: string;
  imports?: string[];
}

function readManifest(): {
  file: string;
  manifest: { entry: ManifestEntry; routes: Record<string, ManifestEntry> };
} {
  const assets = join(client, "assets");
  const [file] = readdirSync(assets)
    .filter((f) => /^manifest-[\w-]+\.js$/.test(f))
    .map((f) => join(assets, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!file) throw new Error("no Remix manifest in the build");
  const text = readFileSync(file, "utf8");
  const json = /^window\.__remixManifest=(\{.*\});?\s*$/s.exec(text)?.[1];
  if (!json) throw new Error("unexpected manifest format");
  return { file, manifest: JSON.parse(json) };
}

const gzipped = (path: string) => gzipSync(readFileSync(path), { level: 9 }).byteLength;

describe.runIf(requireOrSkip("widget JavaScript budget", appsNotBuiltReason()))(
  "widget JavaScript budget",
  () => {
    it("the embed page's initial scripts stay within 150 KB gzipped, and the 3D viewer is not among them", () => {
      const { file, manifest } = readManifest();
      const route = manifest.routes["routes/embed.quote.$slug"];
      const root = manifest.routes.root;
      expect(route, "the embed route is in the build").toBeDefined();
      expect(root).toBeDefined();
      const scripts = new Set<string>();
      for (const entry of [manifest.entry, root as ManifestEntry, route as ManifestEntry]) {
        scripts.add(entry.module);
        for (const i of entry.imports ?? []) scripts.add(i);
      }
      const sizes = [...scripts].map((s) => ({ script: s, bytes: gzipped(join(client, s)) }));
      const total = sizes.reduce((sum, s) => sum + s.bytes, gzipped(file));
      console.info(
        `widget page initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`,
      );
      expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
      // three.js and the viewer come later, from a dynamic import once a model is uploaded: none of the
      // first scripts contains the renderer, and the build does have it in a chunk of its own.
      const renderer = (path: string) => readFileSync(path, "utf8").includes("WebGLRenderer");
      expect([...scripts].filter((s) => renderer(join(client, s)))).toEqual([]);
      const assets = readdirSync(join(client, "assets")).filter((f) => f.endsWith(".js"));
      expect(assets.some((f) => renderer(join(client, "assets", f)))).toBe(true);
    });
  },
);
