import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
// The promises list, copied from the published policies into the repository (docs/promises.md).
const promisesFile = join(repoRoot, "docs/promises.md");
const docFile = join(repoRoot, "docs/privacy-promises.md");

/** Every promise id in the shared promises list: "- **P14** …". */
function promiseIds(): string[] {
  return [...readFileSync(promisesFile, "utf8").matchAll(/\*\*(P\d+)\*\*/g)].map((m) => m[1]!);
}

/** The doc's rows by id: "| P14 | status | code | tests | open |". */
function docRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readFileSync(docFile, "utf8").split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const id = cells[1];
    if (id && /^P\d+$/.test(id)) rows.set(id, cells.slice(2, -1));
  }
  return rows;
}

describe("docs/privacy-promises.md", () => {
  it("has a row for every promise in PROMISES.md, and no others", () => {
    const ids = promiseIds();
    expect(ids.length).toBeGreaterThanOrEqual(31);
    const rows = docRows();
    expect(ids.filter((id) => !rows.has(id))).toEqual([]);
    expect([...rows.keys()].filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("gives each a status, and says what is open unless it is kept", () => {
    for (const [id, [status, , tests, open]] of docRows()) {
      expect(["kept", "partly open", "open"], id).toContain(status);
      if (status === "kept") expect(tests, `${id} is kept but names no test`).toMatch(/\.test\.tsx?`/);
      if (status !== "kept")
        expect(open, `${id} is ${status} but says nothing is missing`).not.toMatch(/^[—-]?$/);
    }
  });

  it("names only test and code files that exist", () => {
    const text = readFileSync(docFile, "utf8");
    const paths = [...text.matchAll(/`((?:apps|packages|docs|tooling)\/[^`\s]+\.(?:ts|tsx|md))`/g)].map(
      (m) => m[1]!,
    );
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !existsSync(join(repoRoot, p)))).toEqual([]);
  });
});
