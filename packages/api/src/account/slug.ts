import { randomBytes } from "node:crypto";
import type { Executor } from "../kernel/index.ts";
import { RESERVED_SLUGS, SLUG_PATTERN } from "./schemas.ts";

const MAX_BASE = 40; // leaves room for a "-NN" or random suffix within the 48-character limit

/** "Café Müller 3D" → "cafe-muller-3d": a URL-safe base that always matches the slug pattern. */
export function slugBase(name: string): string {
  let base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_BASE)
    .replace(/-+$/, "");
  if (base.length === 0) base = "organization";
  if (base.length < 3 || RESERVED_SLUGS.has(base)) base = `${base}-shop`;
  return base;
}

/**
 * A slug for `name` that no organization uses yet: the base, else base-2, base-3… (checked in one
 * query), else a random suffix. The unique index stays the final word on races.
 */
export async function generateUniqueSlug(db: Executor, name: string): Promise<string> {
  const base = slugBase(name);
  const taken = new Set(
    (
      await db
        .selectFrom("organization")
        .select("slug")
        .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)]))
        .execute()
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; n < 100; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
  return randomSlug(base);
}

export function randomSlug(base: string): string {
  const slug = `${base}-${randomBytes(4).toString("hex")}`;
  if (!SLUG_PATTERN.test(slug)) throw new Error(`generated slug does not match the pattern: ${slug}`);
  return slug;
}
