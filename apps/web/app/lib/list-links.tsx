import { useNavigate } from "@remix-run/react";
import type { AnchorHTMLAttributes, MouseEvent } from "react";

/**
 * Links of a long list (the board's hundreds of cards): plain anchors that one handler on the list sends
 * through the router. A router `<Link>` per row resolves its path and runs a dozen hooks in every server
 * render, which was a measurable share of the board page. `data-discover` lets Remix find the route
 * ahead of a click as it does for `<Link>`; without JavaScript they are ordinary links.
 */
export function ListLink(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a data-list-link="" data-discover="true" {...props} />;
}

/** The list's click handler: a plain left click on a `ListLink` inside it navigates in the app. */
export function useListLinks() {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[data-list-link]") : null;
    const href = link?.getAttribute("href");
    if (!link || !href || !event.currentTarget.contains(link) || link.getAttribute("target")) return;
    event.preventDefault();
    navigate(href);
  };
}
