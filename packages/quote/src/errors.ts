/** Stable error codes. Never rename one: callers and stored records depend on them. */
export const QUOTE_ERROR_CODES = [
  "EMPTY_FILE",
  "FILE_TOO_LARGE",
  "FILE_UNREADABLE",
  "UNKNOWN_FORMAT",
  "STL_TRUNCATED",
  "STL_SIZE_MISMATCH",
  "STL_PARSE_ERROR",
  "OBJ_PARSE_ERROR",
  "INVALID_NUMBER",
  "NON_FINITE_COORDINATE",
  "INDEX_OUT_OF_RANGE",
  "TOO_MANY_TRIANGLES",
  "ZIP_INVALID",
  "ZIP_NOT_3MF",
  "ZIP_TOO_MANY_ENTRIES",
  "ZIP_BOMB",
  "ZIP_PATH_TRAVERSAL",
  "ZIP_UNSUPPORTED",
  "XML_MALFORMED",
  "XML_DTD_FORBIDDEN",
  "XML_ENCODING",
  "INVALID_3MF",
  "MISSING_3MF_PART",
  "UNSUPPORTED_3MF_EXTENSION",
  "INVALID_OPTIONS",
  "INVALID_PRICING",
  "INVALID_PRINTER",
  "INVALID_ESTIMATE_PARAMS",
  "QUEUE_FULL",
  "POOL_CLOSED",
  "WORKER_FAILED",
] as const;

export type QuoteErrorCode = (typeof QUOTE_ERROR_CODES)[number];

/** The one error type the package throws for bad input. `code` is stable; `message` is for people. */
export class QuoteError extends Error {
  readonly code: QuoteErrorCode;
  constructor(code: QuoteErrorCode, message: string) {
    super(message);
    this.name = "QuoteError";
    this.code = code;
  }
  toJSON(): { code: QuoteErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isQuoteError(e: unknown): e is QuoteError {
  return e instanceof QuoteError;
}

export function fail(code: QuoteErrorCode, message: string): never {
  throw new QuoteError(code, message);
}
