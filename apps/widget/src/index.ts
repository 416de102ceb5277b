export { buildLoader } from "./build.ts";
export { type EmbedToHost, HOST_EVENTS, type HostToEmbed, parseEmbedMessage, SHOP_SLUG } from "./protocol.ts";
