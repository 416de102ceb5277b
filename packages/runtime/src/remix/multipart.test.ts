import { describe, expect, it } from "vitest";
import { MalformedMultipartError, multipartBoundary, type PartHeaders, readMultipart } from "./multipart.ts";

/** A body as the given chunks (sizes cycle), the way a socket delivers it. */
function streamOf(bytes: Uint8Array, sizes: number[], failAfter?: number): ReadableStream<Uint8Array> {
  let at = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && at >= failAfter) {
        controller.error(new Error("aborted"));
        return;
      }
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const size = sizes[k++ % sizes.length]!;
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function encode(form: FormData) {
  const response = new Response(form);
  const boundary = multipartBoundary(response.headers.get("content-type"));
  return { boundary: boundary!, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function parse(body: ReadableStream<Uint8Array>, boundary: string) {
  const parts: Array<PartHeaders & { content: Buffer }> = [];
  await readMultipart(body, boundary, (headers) => {
    const chunks: Buffer[] = [];
    return {
      write: (chunk) => {
        chunks.push(Buffer.from(chunk));
      },
      end: () => {
        parts.push({ ...headers, content: Buffer.concat(chunks) });
      },
    };
  });
  return parts;
}

describe("readMultipart", () => {
  // Content full of near-delimiters: CRLF, "--", and the boundary's own beginning.
  const tricky = (boundary: string) =>
    new TextEncoder().encode(
      `a\r\n-\r\n--\r\n--${boundary.slice(0, -1)}x\r\n\r\n--${boundary.slice(0, 5)}\r`,
    );

  it("reads every part, whatever the chunk seams, with the content byte for byte", async () => {
    const binary = new Uint8Array(70_000).map((_, i) => (i * 31 + (i >> 8)) & 255);
    const probe = await encode(new FormData());
    const form = new FormData();
    form.append("session", "abc ü");
    form.append("file", new Blob([binary]), 'we;ird "name".stl');
    form.append("file", new Blob([tricky(probe.boundary)]), "b.stl");
    form.append("empty", new Blob([]), "");
    const { boundary, bytes } = await encode(form);
    const expected = [
      { name: "session", content: Buffer.from("abc ü") },
      // Browsers (and undici) send a quote in a file name as %22; it stays as sent.
      { name: "file", filename: "we;ird %22name%22.stl", content: Buffer.from(binary) },
      { name: "file", filename: "b.stl", content: Buffer.from(tricky(probe.boundary)) },
      { name: "empty", content: Buffer.alloc(0) },
    ];
    for (const sizes of [[1], [2, 3, 5, 7], [boundary.length + 3], [65_536], [bytes.length]]) {
      const parts = await parse(streamOf(bytes, sizes), boundary);
      expect(
        parts.map(({ name, filename, content }) => ({
          name,
          ...(filename !== undefined ? { filename } : {}),
          content,
        })),
        `chunks of ${sizes.join(",")}`,
      ).toEqual(expected);
    }
  });

  it("reads quoted parameters with escapes and unquoted ones", async () => {
    const body = new TextEncoder().encode(
      '--XY\r\nContent-Disposition: form-data; filename="a\\"b;c.stl"; name=file\r\n\r\nabc\r\n--XY--\r\n',
    );
    const parts = await parse(streamOf(body, [3]), "XY");
    expect(parts).toEqual([{ name: "file", filename: 'a"b;c.stl', content: Buffer.from("abc") }]);
  });

  it("refuses a body that ends before its closing boundary, broken framing and huge part headers", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(10_000)]), "a.stl");
    const { boundary, bytes } = await encode(form);
    await expect(parse(streamOf(bytes.subarray(0, 5_000), [1000]), boundary)).rejects.toBeInstanceOf(
      MalformedMultipartError,
    );
    const garbage = new TextEncoder().encode(`--${boundary}\r\nno colon here\r\n\r\nx\r\n--${boundary}--`);
    await expect(parse(streamOf(garbage, [7]), boundary)).rejects.toBeInstanceOf(MalformedMultipartError);
    const long = new TextEncoder().encode(`--${boundary}\r\nx-pad: ${"a".repeat(40_000)}\r\n\r\n`);
    await expect(parse(streamOf(long, [4096]), boundary)).rejects.toBeInstanceOf(MalformedMultipartError);
  });

  it("passes on the stream's own error (an aborted upload) and a sink's error", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(100_000)]), "a.stl");
    const { boundary, bytes } = await encode(form);
    await expect(parse(streamOf(bytes, [8192], 50_000), boundary)).rejects.toThrow("aborted");
    const refusing = readMultipart(streamOf(bytes, [8192]), boundary, () => ({
      write: () => {
        throw new RangeError("too large");
      },
      end: () => {},
    }));
    await expect(refusing).rejects.toBeInstanceOf(RangeError);
  });

  it("drops a preamble of any length without keeping it, and reads the parts after it", async () => {
    const preamble = new Uint8Array(200_000).fill(0x41);
    const parts = new TextEncoder().encode(
      '\r\n--XY\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XY--\r\n',
    );
    const body = new Uint8Array([...preamble, ...parts]);
    expect(await parse(streamOf(body, [4096]), "XY")).toEqual([{ name: "a", content: Buffer.from("1") }]);
    // No boundary at all: it reads to the end (the host's limit stops a large one) and refuses it.
    await expect(parse(streamOf(preamble, [4096]), "XY")).rejects.toBeInstanceOf(MalformedMultipartError);
  });

  it("finds the boundary of a multipart Content-Type only", () => {
    expect(multipartBoundary("multipart/form-data; boundary=abc")).toBe("abc");
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe("a b");
    expect(multipartBoundary("application/json; boundary=abc")).toBeNull();
    expect(multipartBoundary("multipart/form-data")).toBeNull();
    expect(multipartBoundary(null)).toBeNull();
  });
});
