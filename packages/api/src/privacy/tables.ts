import type { Database } from "@ktizo/db";
import { sql } from "kysely";

/** A text or JSON column of a table in the public schema (snake_case, as the database names it). */
export interface TextColumn {
  table: string;
  column: string;
  json: boolean;
  /** "json" or "jsonb" for JSON columns. */
  jsonType?: "json" | "jsonb";
}

/**
 * Every text and JSON column of every table, read from information_schema: exports and the deletion
 * scan cover tables added later without anyone listing them here.
 */
export async function textColumns(db: Database): Promise<TextColumn[]> {
  const rows = await sql<{ tbl: string; col: string; dtype: string }>`
    select c.table_name as tbl, c.column_name as col, c.data_type as dtype
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'jsonb', 'json')
    order by c.table_name, c.ordinal_position`.execute(db);
  return rows.rows.map((r) => ({
    table: r.tbl,
    column: r.col,
    json: r.dtype === "jsonb" || r.dtype === "json",
    ...(r.dtype === "jsonb" || r.dtype === "json" ? { jsonType: r.dtype as "json" | "jsonb" } : {}),
  }));
}

export function groupByTable(columns: TextColumn[]): Map<string, TextColumn[]> {
  const byTable = new Map<string, TextColumn[]>();
  for (const c of columns) {
    const list = byTable.get(c.table) ?? [];
    list.push(c);
    byTable.set(c.table, list);
  }
  return byTable;
}

/**
 * A condition true for rows in which any of `columns` contains one of `needles` (case-insensitive
 * substring match; identifiers come from information_schema, values are bound parameters).
 */
export function mentionsAny(columns: TextColumn[], needles: string[]) {
  const parts = columns.flatMap((c) =>
    needles
      .filter((n) => n.length > 0)
      .map((n) => sql`strpos(lower(${sql.ref(c.column)}::text), lower(${n})) > 0`),
  );
  return parts.length === 0 ? sql`false` : sql.join(parts, sql` or `);
}

/** Rows of a table that mention any needle, as plain objects (snake_case keys). */
export async function rowsMentioning(
  db: Database,
  table: string,
  columns: TextColumn[],
  needles: string[],
): Promise<Record<string, unknown>[]> {
  const result = await sql<Record<string, unknown>>`
    select * from ${sql.table(table)} where ${mentionsAny(columns, needles)}`.execute(db);
  return result.rows;
}

/** Every text and JSON column of every table that still mentions any of the needles: "table.column". */
export async function columnsMentioning(db: Database, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [table, columns] of groupByTable(await textColumns(db))) {
    for (const column of columns) {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where ${mentionsAny([column], needles)}`.execute(
        db,
      );
      if ((r.rows[0]?.n ?? 0) > 0) found.push(`${table}.${column.column}`);
    }
  }
  return found;
}
