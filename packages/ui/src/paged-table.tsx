import type { ReactNode } from "react";
import { pageHref } from "./format.ts";
import { Pagination, Table } from "./table.tsx";

/** One page of a list, as the API's paginated procedures answer it. */
export interface Paged<T> {
  items: T[];
  page: number;
  pageCount: number;
  total: number;
}

/**
 * A paged list: its table (header cells in `columns`, one `<tr>` per item from `row`), or `empty` when
 * the page has no rows, then previous/next links that keep the list's query string (`params`). The
 * pager shows under an empty list too when `pagerWhenEmpty` is set (the admin console's lists).
 */
export function PagedTable<T>({
  caption,
  list,
  params,
  columns,
  row,
  empty,
  pagerWhenEmpty = false,
}: {
  caption: string;
  list: Paged<T>;
  params: URLSearchParams;
  columns: ReactNode;
  row: (item: T) => ReactNode;
  empty: ReactNode;
  pagerWhenEmpty?: boolean;
}) {
  const hasRows = list.items.length > 0;
  return (
    <>
      {hasRows ? (
        <Table caption={caption}>
          <thead>
            <tr>{columns}</tr>
          </thead>
          <tbody>{list.items.map((item) => row(item))}</tbody>
        </Table>
      ) : (
        empty
      )}
      {hasRows || pagerWhenEmpty ? (
        <Pagination
          page={list.page}
          pageCount={list.pageCount}
          total={list.total}
          href={(p) => pageHref(params, p)}
        />
      ) : null}
    </>
  );
}
