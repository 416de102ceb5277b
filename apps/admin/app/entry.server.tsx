// Server rendering with the request's CSP nonce: shared by every Ktizo Remix app.
export { handleRequest as default } from "@ktizo/runtime/remix";
