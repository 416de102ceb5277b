import { z } from "zod";

export const paginationSchema = z.object({
  page: z.number().int().min(1, "Pages start at 1").default(1),
  pageSize: z.number().int().min(1).max(100, "At most 100 rows per page").default(25),
});
export type Pagination = z.infer<typeof paginationSchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function toPage<T>(items: T[], total: number, p: { page: number; pageSize: number }): Page<T> {
  return {
    items,
    total,
    page: p.page,
    pageSize: p.pageSize,
    pageCount: Math.max(1, Math.ceil(total / p.pageSize)),
  };
}

/**
 * The rows of page `p` of an ordered query, and how many rows all pages hold (`counted` selects that
 * number as `n`, usually `count(*)` over the same filters), fetched at once.
 */
export async function pageRows<R>(
  rows: { limit(limit: number): { offset(offset: number): { execute(): Promise<R[]> } } },
  counted: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> },
  p: { page: number; pageSize: number },
): Promise<[R[], number]> {
  const [items, total] = await Promise.all([
    rows
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize)
      .execute(),
    counted.executeTakeFirstOrThrow(),
  ]);
  return [items, Number(total.n)];
}

/** Escapes a user's search text for ILIKE (so "%", "_" and "\" match themselves). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const searchSchema = z.string().trim().max(200, "Search is too long").optional();
