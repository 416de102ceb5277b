import { HOST_EVENTS, type HostToEmbed, parseEmbedMessage, SHOP_SLUG } from "./protocol.ts";

/**
 * The script a shop pastes into its site:
 *   <script src="https://<ktizo-host>/widget.js" data-shop="<slug>" async></script>
 * Optional: data-target="#some-element" to mount into a placeholder. It adds one iframe to
 * /embed/quote/<slug>, sized by messages from that page, and re-emits the page's events on the host.
 * No framework, no globals beyond one guard flag, nothing that blocks the host page.
 */
const INITIAL_HEIGHT = 560; // reserved up front so the page does not jump when the form loads

function mount(script: HTMLScriptElement): void {
  if (script.dataset.ktizoMounted) return;
  script.dataset.ktizoMounted = "1";
  const slug = script.dataset.shop ?? "";
  if (!SHOP_SLUG.test(slug)) {
    console.error(`[ktizo] data-shop="${slug}" is not a valid shop id`);
    return;
  }
  const ktizoOrigin = new URL(script.src, location.href).origin;
  const target = script.dataset.target ? document.querySelector<HTMLElement>(script.dataset.target) : null;
  const container = target ?? document.createElement("div");
  if (!target) script.insertAdjacentElement("afterend", container);
  container.classList.add("ktizo-quote-widget");

  const dark = window.matchMedia?.("(prefers-color-scheme: dark)");
  const frame = document.createElement("iframe");
  const src = new URL(`/embed/quote/${slug}`, ktizoOrigin);
  src.searchParams.set("host", location.origin);
  src.searchParams.set("scheme", dark?.matches ? "dark" : "light");
  frame.src = src.href;
  frame.title = "Instant 3D printing quote";
  frame.setAttribute("allow", "clipboard-write");
  frame.style.cssText = `display:block;width:100%;height:${INITIAL_HEIGHT}px;border:0;color-scheme:normal`;
  container.appendChild(frame);

  const post = (message: HostToEmbed) => frame.contentWindow?.postMessage(message, ktizoOrigin);
  dark?.addEventListener?.("change", (e) =>
    post({ type: "ktizo:color-scheme", scheme: e.matches ? "dark" : "light" }),
  );

  window.addEventListener("message", (event) => {
    // Only our own frame, from Ktizo's origin: other frames and the host page itself are ignored.
    if (event.origin !== ktizoOrigin || event.source !== frame.contentWindow) return;
    const message = parseEmbedMessage(event.data);
    if (!message) return;
    if (message.type === "ktizo:resize") {
      frame.style.height = `${Math.ceil(message.height)}px`;
      return;
    }
    const detail = message.type === "ktizo:quote-ready" ? message.quote : message.order;
    container.dispatchEvent(new CustomEvent(HOST_EVENTS[message.type], { detail, bubbles: true }));
  });
}

const current = document.currentScript as HTMLScriptElement | null;
if (current?.dataset.shop !== undefined) mount(current);
else document.querySelectorAll<HTMLScriptElement>("script[data-shop][src*='widget.js']").forEach(mount);
