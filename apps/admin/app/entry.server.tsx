// Server rendering with the request's CSP nonce, and error logging: shared by every Ktizo Remix app.
export { handleError, handleRequest as default } from "@ktizo/runtime/remix";
