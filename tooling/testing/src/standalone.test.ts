import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The repository stands alone: a clone with nothing beside it runs, tests and documents itself.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" })
  .split("\0")
  .filter((file) => file && existsSync(join(repoRoot, file)));
const code = tracked.filter(
  (file) =>
    /\.(ts|tsx|mjs|cjs|js|sh|json|ya?ml)$/.test(file) &&
    !file.startsWith("packages/quote/test/corpus/") &&
    !file.endsWith("pnpm-lock.yaml"),
);
code.push(".ci/run");

const outside = (path: string) => relative(repoRoot, path).startsWith("..");

describe("the repository stands alone", () => {
  it("no code, test, benchmark or CI script names a path outside the repository", () => {
    const found: string[] = [];
    for (const file of code) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      const dir = dirname(join(repoRoot, file));
      text.split("\n").forEach((line, index) => {
        const where = `${file}:${index + 1}: ${line.trim()}`;
        // A relative path literal that climbs out of the repository from the file's own folder.
        for (const match of line.matchAll(/["'`]((?:\.\.\/)+[^"'`]*)["'`]/g)) {
          if (outside(resolve(dir, match[1] as string))) found.push(where);
        }
        // A path joined onto the repository root that climbs out of it.
        if (/(repoRoot|ROOT|root)\s*,\s*["'`]\.\.\//.test(line)) found.push(where);
        // Absolute paths of this workplace, and the sibling folder the team's material lives in.
        if (/["'`](\/work\/|\/home\/)|\.\.\/shared\b/.test(line)) found.push(where);
      });
    }
    expect(found).toEqual([]);
  });

  it("every relative link in the docs resolves to a file in the repository", () => {
    const broken: string[] = [];
    for (const file of tracked.filter(
      (f) => f.endsWith(".md") && !f.startsWith("packages/quote/test/corpus/"),
    )) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] as string).split("#")[0] as string;
        if (!target || /^[a-z]+:/i.test(target)) continue; // a web address or an anchor in the page
        const path = resolve(dirname(join(repoRoot, file)), target);
        if (outside(path) || !existsSync(path)) broken.push(`${file}: ${match[1]}`);
      }
      // Reference-style links ("[name]: path") and HTML links in the Markdown.
      for (const match of text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)|\bhref="([^"]+)"/gm)) {
        const link = (match[1] ?? match[2]) as string;
        const target = link.split("#")[0] as string;
        if (!target || /^[a-z]+:/i.test(target) || target.startsWith("/")) continue;
        const path = resolve(dirname(join(repoRoot, file)), target);
        if (outside(path) || !existsSync(path)) broken.push(`${file}: ${link}`);
      }
      // Absolute paths of this workplace in prose or code blocks.
      for (const match of text.matchAll(/\/work\/\S+|\.\.\/shared\b\S*/g))
        broken.push(`${file}: ${match[0]}`);
    }
    expect(broken).toEqual([]);
  });

  it("every file path the docs name in code spans exists (a moved or split file updates its docs)", () => {
    const missing: string[] = [];
    for (const file of tracked.filter(
      (f) => f.endsWith(".md") && !f.startsWith("packages/quote/test/corpus/"),
    )) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      const ext = String.raw`\.(?:ts|tsx|md|json|sh|sql|mjs)`;
      // From the repository root (`packages/api/src/…`), or from the document's folder (`src/…`).
      for (const match of text.matchAll(
        new RegExp(String.raw`\`((?:apps|packages|tooling|docs)/[\w./$-]+${ext})\``, "g"),
      ))
        if (!existsSync(join(repoRoot, match[1] as string))) missing.push(`${file}: ${match[1]}`);
      for (const match of text.matchAll(new RegExp(String.raw`\`((?:src|test|app)/[\w./$-]+${ext})\``, "g")))
        if (!existsSync(join(repoRoot, dirname(file), match[1] as string)))
          missing.push(`${file}: ${match[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it("every workspace package has a README: what it owns, what it may import, how to test it", () => {
    const packages = ["apps", "packages", "tooling"].flatMap((group) =>
      readdirSync(join(repoRoot, group), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(repoRoot, group, d.name, "package.json")))
        .map((d) => `${group}/${d.name}`),
    );
    expect(packages).toContain("packages/api");
    const missing: string[] = [];
    for (const dir of packages) {
      const readme = join(repoRoot, dir, "README.md");
      if (!existsSync(readme)) {
        missing.push(`${dir}: no README.md`);
        continue;
      }
      const text = readFileSync(readme, "utf8");
      const name = (JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as { name: string })
        .name;
      if (!text.startsWith(`# ${name}`)) missing.push(`${dir}: README does not start with "# ${name}"`);
      for (const heading of ["What it owns", "What it may import", "How to test it"])
        if (!new RegExp(`^##+ ${heading}`, "m").test(text)) missing.push(`${dir}: no "${heading}" section`);
    }
    expect(missing).toEqual([]);
  });
});
