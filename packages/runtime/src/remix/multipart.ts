/**
 * A streaming `multipart/form-data` reader for model uploads. Each part's content is handed to its
 * sink as views of the chunks the socket delivered (no copy), found with `Buffer#indexOf` (native code),
 * so a 50 MB model costs the web process one pass of memchr, not a byte-by-byte search in JavaScript
 * (what Remix's `unstable_parseMultipartFormData` does, twice: for the boundary and for line breaks).
 * Only a part that straddles two chunks costs a copy of the few bytes at the seam.
 */

/** Where one part's content goes: `write` may return a promise (backpressure: the next chunk waits). */
export interface PartSink {
  write(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
}

export interface PartHeaders {
  name: string;
  /** Present (possibly "") when the part is a file. */
  filename?: string;
  contentType?: string;
}

export class MalformedMultipartError extends Error {
  override readonly name = "MalformedMultipartError";
}

/** A part's header block larger than this is refused (browsers send a few hundred bytes). */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** The boundary of a `multipart/form-data` Content-Type, or null. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The parameters of a Content-Disposition value: quoted strings may hold `;` and `\"`. */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!.trim());
  }
  return params;
}

function parseHeaders(block: string): PartHeaders {
  let headers: PartHeaders | null = null;
  let contentType: string | undefined;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MalformedMultipartError("A part header has no name.");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") contentType = value;
    if (key !== "content-disposition") continue;
    if (!/^form-data\s*(;|$)/i.test(value)) throw new MalformedMultipartError("A part is not form-data.");
    const params = dispositionParams(value);
    const name = params.get("name");
    if (name === undefined) throw new MalformedMultipartError("A part has no field name.");
    const filename = params.get("filename");
    headers = { name, ...(filename !== undefined ? { filename } : {}) };
  }
  if (!headers) throw new MalformedMultipartError("A part has no Content-Disposition.");
  return contentType ? { ...headers, contentType } : headers;
}

/** The length of the longest suffix of `buf` that is a prefix of `needle` (0 if none). */
function partialMatchAtEnd(buf: Buffer, needle: Buffer): number {
  const from = Math.max(0, buf.length - needle.length + 1);
  for (let at = buf.indexOf(needle[0]!, from); at !== -1; at = buf.indexOf(needle[0]!, at + 1)) {
    if (buf.subarray(at).equals(needle.subarray(0, buf.length - at))) return buf.length - at;
  }
  return 0;
}

/**
 * Reads `body` as multipart with `boundary`, calling `onPart` with each part's headers and writing the
 * part's content to the sink it returns. Resolves when the closing delimiter has been read; rejects with
 * MalformedMultipartError on broken framing or a body that ends early, or with the stream's own error
 * (an aborted upload, the host's size limit). A sink's error ends the reading at once.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  onPart: (headers: PartHeaders) => PartSink | Promise<PartSink>,
): Promise<void> {
  // Every delimiter is CRLF "--" boundary; the first one may lack the CRLF, so one is put in front.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let state: "preamble" | "after-delimiter" | "headers" | "body" | "done" = "preamble";
  let pending: Buffer = Buffer.from(CRLF);
  let sink: PartSink | null = null;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      // Only the few bytes left at a seam (a possible delimiter, an unfinished header) are copied.
      let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      while (buf.length > 0 && state !== "done") {
        if (state === "preamble") {
          const at = buf.indexOf(delimiter);
          if (at === -1) {
            // A preamble is read and dropped (only a possible start of the boundary is kept): a body
            // that never has one runs into the host's size limit (413), as any other body would.
            pending = Buffer.from(buf.subarray(buf.length - partialMatchAtEnd(buf, delimiter)));
            buf = Buffer.alloc(0);
          } else {
            buf = buf.subarray(at + delimiter.length);
            state = "after-delimiter";
          }
        } else if (state === "after-delimiter") {
          if (buf.length < 2) {
            pending = Buffer.from(buf);
            break;
          }
          if (buf[0] === 0x2d && buf[1] === 0x2d) state = "done";
          else if (buf[0] === 0x0d && buf[1] === 0x0a) {
            buf = buf.subarray(2);
            state = "headers";
          } else throw new MalformedMultipartError("A boundary is followed by neither CRLF nor --.");
        } else if (state === "headers") {
          const end = buf.indexOf(HEADER_END);
          if (end === -1) {
            if (buf.length > MAX_HEADER_BYTES)
              throw new MalformedMultipartError("A part's headers are too long.");
            pending = Buffer.from(buf);
            break;
          }
          if (end > MAX_HEADER_BYTES) throw new MalformedMultipartError("A part's headers are too long.");
          sink = await onPart(parseHeaders(buf.subarray(0, end).toString("utf8")));
          buf = buf.subarray(end + HEADER_END.length);
          state = "body";
        } else {
          const at = buf.indexOf(delimiter);
          if (at !== -1) {
            if (at > 0) await sink!.write(buf.subarray(0, at));
            await sink!.end();
            sink = null;
            buf = buf.subarray(at + delimiter.length);
            state = "after-delimiter";
          } else {
            const keep = partialMatchAtEnd(buf, delimiter);
            if (buf.length > keep) await sink!.write(buf.subarray(0, buf.length - keep));
            pending = Buffer.from(buf.subarray(buf.length - keep));
            break;
          }
        }
      }
      if (state === "done") break;
    }
    if (state !== "done") throw new MalformedMultipartError("The upload ended before its last boundary.");
  } finally {
    // The epilogue after the closing delimiter is not read; an error leaves the body to the host.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
